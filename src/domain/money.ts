// Money as a city's finance office counts it: integer minor units of an ISO 4217 currency, a payment
// split between the revenue and the fee account by the tenant's routing, and the settlement batch a
// payment falls in. Pure, and the one place rounding happens.
//
// The rounding rule, written once: a percentage of an amount is rounded half up to a whole minor unit
// (`partOf`); the other side of every split is what is left, so the parts always add up to the whole.
import { localParts, parseClock } from "./clock";
import type { ClockTime } from "./types";

// ISO 4217 active codes (List One), by their minor-unit exponent. Every code not in EXPONENT_0, _3 or _4
// has two decimals.
const EXPONENT_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND";
const EXPONENT_4 = "CLF UYW";
const EXPONENT_2 =
  "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF " +
  "CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD " +
  "HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT " +
  "MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR " +
  "SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU " +
  "UZS VED VES WST XCD XCG YER ZAR ZMW ZWG";

const EXPONENTS: ReadonlyMap<string, number> = new Map(
  (
    [
      [EXPONENT_0, 0],
      [EXPONENT_2, 2],
      [EXPONENT_3, 3],
      [EXPONENT_4, 4],
    ] as const
  ).flatMap(([codes, exp]) => codes.split(" ").map((c) => [c, exp] as const)),
);

/** The currency's minor-unit exponent (USD 2, JPY 0, KWD 3), or null for a code ISO 4217 does not list. */
export function minorUnitExponent(currency: string): number | null {
  return EXPONENTS.get(currency.toUpperCase()) ?? null;
}

export const isCurrency = (currency: string): boolean => minorUnitExponent(currency) !== null;

/**
 * A decimal amount as a vendor or a person writes it ("4.75", "500000", 4.75) in minor units, exactly:
 * no floating-point step. Null when the text is not a plain non-negative decimal, has more decimals than
 * the currency has, or the currency is unknown.
 */
export function toMinorUnits(amount: string | number, currency: string): number | null {
  const exp = minorUnitExponent(currency);
  if (exp === null) return null;
  const text = typeof amount === "number" ? numberText(amount) : amount.trim();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text ?? "");
  if (!m) return null;
  const decimals = (m[2] ?? "").replace(/0+$/, "");
  if (decimals.length > exp) return null;
  const minor = Number(m[1]) * 10 ** exp + Number(decimals.padEnd(exp, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

/** A JavaScript number's shortest decimal text, or null for one that is not finite or is written with an exponent. */
function numberText(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  const text = String(n);
  return /e/i.test(text) ? null : text;
}

/** Minor units as a decimal string with the currency's decimals: 475 USD → "4.75", 500 JPY → "500". */
export function formatMinorUnits(minor: number, currency: string): string {
  const exp = minorUnitExponent(currency) ?? 2;
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(exp + 1, "0");
  return exp === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/** Minor units as a number in major units, for vendor shapes that carry one (Paystack's NGN, IPS's dollars). */
export const fromMinorUnits = (minor: number, currency: string): number => Number(formatMinorUnits(minor, currency));

/**
 * `numerator / denominator` of `amount`, rounded half up to a whole minor unit (away from zero for a
 * negative amount). Integers only: exact for any amount a parking payment can have.
 */
export function partOf(amount: number, numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError("partOf: the denominator must be positive");
  const sign = amount < 0 ? -1 : 1;
  const scaled = Math.abs(amount) * numerator;
  return sign * Math.floor((scaled * 2 + denominator) / (denominator * 2));
}

/** How a tenant's payments are split and settled (the Teller routing of the Stamford guide). */
export interface PaymentRouting {
  revenueAccount: string;
  feeAccount: string;
  /** `percent`: `feeBasisPoints` of the gross (500 = 5 %); `fixed`: `feeFixedMinor`, never more than the gross. */
  feeMode: "percent" | "fixed";
  feeBasisPoints: number;
  feeFixedMinor: number;
  settlementAccount: string;
  /** Local time in the tenant's time zone after which a payment falls in the next day's batch. */
  cutoff: ClockTime;
}

export interface Split {
  grossMinor: number;
  feeMinor: number;
  netMinor: number;
  revenueAccount: string;
  feeAccount: string;
}

/** A gross amount split by the routing; fee + net is always exactly the gross. */
export function splitPayment(grossMinor: number, routing: PaymentRouting): Split {
  if (!Number.isSafeInteger(grossMinor) || grossMinor < 0)
    throw new RangeError("splitPayment: the gross must be a non-negative integer");
  const feeMinor =
    routing.feeMode === "percent"
      ? partOf(grossMinor, routing.feeBasisPoints, 10_000)
      : Math.min(routing.feeFixedMinor, grossMinor);
  return {
    grossMinor,
    feeMinor,
    netMinor: grossMinor - feeMinor,
    revenueAccount: routing.revenueAccount,
    feeAccount: routing.feeAccount,
  };
}

/**
 * The fee share of a refund of part of a payment: the refund's proportion of the payment's fee, rounded
 * half up; the last refund (the one that brings the total refunded to the gross) takes exactly what fee
 * is left, so the refunds of a fully refunded payment add up to its fee.
 */
export function refundFeeMinor(
  payment: { grossMinor: number; feeMinor: number },
  refundedBeforeMinor: number,
  refundMinor: number,
  feeRefundedBeforeMinor: number,
): number {
  if (refundedBeforeMinor + refundMinor >= payment.grossMinor) return payment.feeMinor - feeRefundedBeforeMinor;
  if (payment.grossMinor === 0) return 0;
  return Math.min(partOf(refundMinor, payment.feeMinor, payment.grossMinor), payment.feeMinor - feeRefundedBeforeMinor);
}

export interface Settlement {
  /** The local day whose batch the payment is in: its own day before the cutoff, the next one after. */
  batchDate: string;
  /** The day the batch settles: the day after the batch date (daily settlement, weekends included). */
  settlementDate: string;
  /** `BATCH-<year>-<day of year, 3 digits>-001`, the Stamford guide's form; one daily batch per tenant. */
  batchId: string;
}

const nextDate = (ymd: string) => new Date(Date.parse(`${ymd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The batch and settlement day of a payment made at `atMs`, in the tenant's time zone. */
export function settlementOf(atMs: number, cutoff: ClockTime, timezone: string): Settlement {
  const local = localParts(atMs, timezone);
  const cutoffMinute = parseClock(cutoff) ?? 24 * 60;
  const batchDate = local.minuteOfDay < cutoffMinute ? local.ymd : nextDate(local.ymd);
  const year = batchDate.slice(0, 4);
  const dayOfYear = Math.round((Date.parse(`${batchDate}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000) + 1;
  return {
    batchDate,
    settlementDate: nextDate(batchDate),
    batchId: `BATCH-${year}-${String(dayOfYear).padStart(3, "0")}-001`,
  };
}

/** The routing a tenant that never set one gets: the Stamford guide's accounts and 18:00 cutoff, and no fee of its own (a fee the provider reports is still recorded). */
export const DEFAULT_PAYMENT_ROUTING: PaymentRouting = {
  revenueAccount: "4100-PARKING-REVENUE",
  feeAccount: "5200-PROCESSING-FEES",
  feeMode: "percent",
  feeBasisPoints: 0,
  feeFixedMinor: 0,
  settlementAccount: "OPERATING-001",
  cutoff: "18:00",
};
