import { describe, expect, it } from "vitest";
import { localDay, localMidnightMs, previousLocalDate, reconcile } from "../../../src/domain/reconciliation";

const at = (iso: string) => Date.parse(iso);
const NY = "America/New_York";
const H = 3_600_000;

describe("localDay", () => {
  it.each([
    ["2026-04-15", NY, "2026-04-15T04:00:00.000Z", 24],
    ["2026-03-08", NY, "2026-03-08T05:00:00.000Z", 23], // spring forward
    ["2026-11-01", NY, "2026-11-01T04:00:00.000Z", 25], // fall back
    ["2026-04-15", "UTC", "2026-04-15T00:00:00.000Z", 24],
    ["2026-04-15", "Asia/Kolkata", "2026-04-14T18:30:00.000Z", 24],
    ["2026-10-04", "Australia/Lord_Howe", "2026-10-03T13:30:00.000Z", 23.5], // a half-hour shift
  ])("%s in %s starts at %s and lasts %s hours", (ymd, tz, start, hours) => {
    const { fromMs, toMs } = localDay(ymd, tz);
    expect(new Date(fromMs).toISOString()).toBe(start);
    expect((toMs - fromMs) / H).toBe(hours);
    expect(localMidnightMs(ymd, tz)).toBe(fromMs);
  });

  it("yesterday is the local date before today's, whatever the UTC date", () => {
    expect(previousLocalDate(at("2026-05-02T03:00:00Z"), NY)).toBe("2026-04-30"); // still May 1 in New York
    expect(previousLocalDate(at("2026-05-02T05:00:00Z"), NY)).toBe("2026-05-01");
    expect(previousLocalDate(at("2026-03-01T12:00:00Z"), "UTC")).toBe("2026-02-28");
  });
});

describe("reconcile", () => {
  const pay = (id: string, amountCents: number, feeCents: number, atMs: number, currency = "USD") => ({
    id,
    zone: "A1",
    amountCents,
    feeCents,
    currency,
    revenueAccount: null,
    at: atMs,
  });

  it("lists payments and refunds (negative) in time order with totals, fees and net in cents", () => {
    const r = reconcile(
      [pay("pay_b", 1000, 50, 300), { ...pay("pay_a", 475, 25, 100), revenueAccount: "4100-X" }],
      [{ id: "stripe:re_1", zone: null, amountCents: 250, currency: "usd", revenueAccount: null, at: 200 }],
      "USD",
      "4100-PARKING-REVENUE",
    );
    expect(r.lines).toEqual([
      { transactionId: "pay_a", at: 100, amountCents: 475, type: "PARKING_PAYMENT", zone: "A1", accountingCode: "4100-X" },
      {
        transactionId: "stripe:re_1",
        at: 200,
        amountCents: -250,
        type: "REFUND",
        zone: null,
        accountingCode: "4100-PARKING-REVENUE",
      },
      {
        transactionId: "pay_b",
        at: 300,
        amountCents: 1000,
        type: "PARKING_PAYMENT",
        zone: "A1",
        accountingCode: "4100-PARKING-REVENUE",
      },
    ]);
    expect(r).toMatchObject({ totalCents: 1225, feeCents: 75, netCents: 1150, otherCurrencies: 0 });
  });

  it("leaves other currencies out and counts them", () => {
    const r = reconcile([pay("pay_a", 500, 20, 1), pay("pay_e", 900, 30, 2, "EUR")], [], "USD", "R");
    expect(r).toMatchObject({ totalCents: 500, feeCents: 20, netCents: 480, otherCurrencies: 1 });
    expect(r.lines.map((l) => l.transactionId)).toEqual(["pay_a"]);
  });

  it("an empty day is an empty report", () => {
    expect(reconcile([], [], "USD", "R")).toEqual({ lines: [], totalCents: 0, feeCents: 0, netCents: 0, otherCurrencies: 0 });
  });
});
