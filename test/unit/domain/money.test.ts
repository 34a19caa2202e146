// Money: currency exponents, exact decimal conversion, the one rounding rule, splits that add up, and
// the settlement batch a payment falls in.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PAYMENT_ROUTING,
  formatMinorUnits,
  fromMinorUnits,
  isCurrency,
  minorUnitExponent,
  type PaymentRouting,
  partOf,
  refundFeeMinor,
  settlementOf,
  splitPayment,
  toMinorUnits,
} from "../../../src/domain/money";

const STAMFORD: PaymentRouting = { ...DEFAULT_PAYMENT_ROUTING, feeBasisPoints: 500 };
const NY = "America/New_York";

describe("currencies", () => {
  it("knows each currency's minor unit: cents, kobo, yen with none, fils with three", () => {
    expect(minorUnitExponent("USD")).toBe(2);
    expect(minorUnitExponent("ngn")).toBe(2);
    expect(minorUnitExponent("JPY")).toBe(0);
    expect(minorUnitExponent("KWD")).toBe(3);
    expect(minorUnitExponent("CLF")).toBe(4);
    expect(minorUnitExponent("XXX")).toBeNull();
    expect(isCurrency("EUR")).toBe(true);
    expect(isCurrency("BTC")).toBe(false);
  });

  it("converts decimals to minor units exactly, with no floating-point step", () => {
    expect(toMinorUnits("4.75", "USD")).toBe(475);
    expect(toMinorUnits(4.75, "USD")).toBe(475);
    expect(toMinorUnits(0.29, "USD")).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(toMinorUnits("5000", "NGN")).toBe(500_000);
    expect(toMinorUnits("500", "JPY")).toBe(500);
    expect(toMinorUnits("1.234", "KWD")).toBe(1234);
    expect(toMinorUnits("2.50", "USD")).toBe(250);
    expect(toMinorUnits("2.500", "USD")).toBe(250); // trailing zeros are not extra precision
  });

  it("refuses what is not a plain amount in that currency", () => {
    expect(toMinorUnits("4.755", "USD")).toBeNull();
    expect(toMinorUnits("1.5", "JPY")).toBeNull();
    expect(toMinorUnits("-1", "USD")).toBeNull();
    expect(toMinorUnits("1e3", "USD")).toBeNull();
    expect(toMinorUnits(1e21, "USD")).toBeNull();
    expect(toMinorUnits("", "USD")).toBeNull();
    expect(toMinorUnits("4.75", "XXX")).toBeNull();
    expect(toMinorUnits(Number.NaN, "USD")).toBeNull();
  });

  it("formats minor units with the currency's decimals", () => {
    expect(formatMinorUnits(475, "USD")).toBe("4.75");
    expect(formatMinorUnits(5, "USD")).toBe("0.05");
    expect(formatMinorUnits(-238, "USD")).toBe("-2.38");
    expect(formatMinorUnits(500, "JPY")).toBe("500");
    expect(formatMinorUnits(1234, "KWD")).toBe("1.234");
    expect(fromMinorUnits(500_000, "NGN")).toBe(5000);
  });
});

describe("the rounding rule", () => {
  it("rounds half up to a whole minor unit, symmetrically for negatives", () => {
    expect(partOf(475, 500, 10_000)).toBe(24); // 23.75
    expect(partOf(50, 500, 10_000)).toBe(3); // 2.5 rounds up
    expect(partOf(49, 500, 10_000)).toBe(2); // 2.45
    expect(partOf(-50, 500, 10_000)).toBe(-3);
    expect(partOf(0, 500, 10_000)).toBe(0);
    expect(() => partOf(1, 1, 0)).toThrow(RangeError);
  });
});

describe("splits", () => {
  it("splits the Stamford guide's way, 95 % revenue and 5 % fees, always adding up to the gross", () => {
    expect(splitPayment(475, STAMFORD)).toEqual({
      grossMinor: 475,
      feeMinor: 24,
      netMinor: 451,
      revenueAccount: "4100-PARKING-REVENUE",
      feeAccount: "5200-PROCESSING-FEES",
    });
    for (let gross = 0; gross <= 5000; gross += 7) {
      const s = splitPayment(gross, STAMFORD);
      expect(s.feeMinor + s.netMinor).toBe(gross);
      expect(s.feeMinor).toBeGreaterThanOrEqual(0);
    }
  });

  it("takes a fixed fee, never more than the gross", () => {
    const fixed: PaymentRouting = { ...STAMFORD, feeMode: "fixed", feeFixedMinor: 25 };
    expect(splitPayment(475, fixed)).toMatchObject({ feeMinor: 25, netMinor: 450 });
    expect(splitPayment(10, fixed)).toMatchObject({ feeMinor: 10, netMinor: 0 });
  });

  it("refuses a negative or fractional gross", () => {
    expect(() => splitPayment(-1, STAMFORD)).toThrow(RangeError);
    expect(() => splitPayment(1.5, STAMFORD)).toThrow(RangeError);
  });

  it("gives refunds their share of the fee, and the last refund exactly what fee is left", () => {
    const payment = { grossMinor: 475, feeMinor: 24 };
    const first = refundFeeMinor(payment, 0, 238, 0); // 238/475 of 24 = 12.02
    expect(first).toBe(12);
    const second = refundFeeMinor(payment, 238, 237, first);
    expect(first + second).toBe(24);
    expect(refundFeeMinor({ grossMinor: 0, feeMinor: 0 }, 0, 0, 0)).toBe(0);
  });
});

describe("settlement", () => {
  it("puts the guide's 10:00Z payment (05:00 in Stamford) in that day's batch, settling the next day", () => {
    expect(settlementOf(Date.parse("2024-01-01T10:00:00Z"), "18:00", NY)).toEqual({
      batchDate: "2024-01-01",
      settlementDate: "2024-01-02",
      batchId: "BATCH-2024-001-001",
    });
  });

  it("moves a payment at or after the local cutoff to the next day's batch", () => {
    // 17:59 and 18:00 in New York in winter (UTC-5).
    expect(settlementOf(Date.parse("2024-01-01T22:59:00Z"), "18:00", NY).batchDate).toBe("2024-01-01");
    expect(settlementOf(Date.parse("2024-01-01T23:00:00Z"), "18:00", NY).batchDate).toBe("2024-01-02");
    // New Year's Eve after the cutoff: next year's first batch.
    expect(settlementOf(Date.parse("2024-12-31T23:30:00Z"), "18:00", NY)).toEqual({
      batchDate: "2025-01-01",
      settlementDate: "2025-01-02",
      batchId: "BATCH-2025-001-001",
    });
  });

  it("counts the cutoff in local time across the clock change (18:00 EDT is 22:00Z)", () => {
    expect(settlementOf(Date.parse("2024-03-10T21:59:00Z"), "18:00", NY).batchDate).toBe("2024-03-10");
    expect(settlementOf(Date.parse("2024-03-10T22:00:00Z"), "18:00", NY).batchDate).toBe("2024-03-11");
    // Day 366 of a leap year.
    expect(settlementOf(Date.parse("2024-12-31T12:00:00Z"), "18:00", NY).batchId).toBe("BATCH-2024-366-001");
  });
});
