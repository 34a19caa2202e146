// A day's revenue reconciliation (the daily revenue report, in the GTCS shape of the Stamford integration
// guide, docs/sources.md): every payment whose money
// moved and every refund, in one currency, with the totals a finance system checks them against.
// Pure: the caller reads the records and sends the report. Money is integer cents throughout.
import { localParts, utcOffsetMs } from "./clock";

export interface SettledPayment {
  /** Curbgate's own id (stable, unique per tenant). */
  id: string;
  zone: string | null;
  amountCents: number;
  feeCents: number;
  currency: string;
  revenueAccount: string | null;
  at: number;
}
export interface ReportedRefund {
  id: string;
  zone: string | null;
  amountCents: number;
  currency: string;
  revenueAccount: string | null;
  at: number;
}

export interface ReconciliationLine {
  transactionId: string;
  at: number;
  /** Signed: refunds are negative. */
  amountCents: number;
  type: "PARKING_PAYMENT" | "REFUND";
  zone: string | null;
  accountingCode: string;
}

export interface Reconciliation {
  lines: ReconciliationLine[];
  totalCents: number;
  feeCents: number;
  netCents: number;
  /** Records in other currencies, left out of this report. */
  otherCurrencies: number;
}

/** Local midnight of `ymd` in `tz`, as a UTC instant (the second pass settles days that change offset). */
export function localMidnightMs(ymd: string, tz: string): number {
  const naive = Date.parse(`${ymd}T00:00:00Z`);
  const first = naive - utcOffsetMs(tz, naive);
  return naive - utcOffsetMs(tz, first);
}

/** [from, to) of the local day `ymd` in `tz`: 23, 24 or 25 hours. */
export function localDay(ymd: string, tz: string): { fromMs: number; toMs: number } {
  const next = new Date(Date.parse(`${ymd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { fromMs: localMidnightMs(ymd, tz), toMs: localMidnightMs(next, tz) };
}

/** The local date before the one `atMs` falls on in `tz`. */
export function previousLocalDate(atMs: number, tz: string): string {
  return new Date(Date.parse(`${localParts(atMs, tz).ymd}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

export function reconcile(
  payments: SettledPayment[],
  refunds: ReportedRefund[],
  currency: string,
  defaultAccount: string,
): Reconciliation {
  const same = (r: { currency: string }) => r.currency.toUpperCase() === currency.toUpperCase();
  const lines: ReconciliationLine[] = [
    ...payments.filter(same).map((p) => ({
      transactionId: p.id,
      at: p.at,
      amountCents: p.amountCents,
      type: "PARKING_PAYMENT" as const,
      zone: p.zone,
      accountingCode: p.revenueAccount ?? defaultAccount,
    })),
    ...refunds.filter(same).map((r) => ({
      transactionId: r.id,
      at: r.at,
      amountCents: -r.amountCents,
      type: "REFUND" as const,
      zone: r.zone,
      accountingCode: r.revenueAccount ?? defaultAccount,
    })),
  ].sort((a, b) => a.at - b.at || a.transactionId.localeCompare(b.transactionId));
  const totalCents = lines.reduce((sum, l) => sum + l.amountCents, 0);
  const feeCents = payments.filter(same).reduce((sum, p) => sum + p.feeCents, 0);
  return {
    lines,
    totalCents,
    feeCents,
    netCents: totalCents - feeCents,
    otherCurrencies: payments.length + refunds.length - lines.length,
  };
}
