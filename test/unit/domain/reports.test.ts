// Report templates, ranges, schedule periods and the shaping of aggregate rows (src/domain/reports.ts),
// the settlement check (src/domain/settlement-check.ts) and report files (src/domain/report-files.ts).
import Papa from "papaparse";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { renderReport, toCsv } from "../../../src/domain/report-files";
import {
  byLocalDate,
  lastWholePeriod,
  MAX_RANGE_DAYS,
  occupancyRows,
  rangeDays,
  rangeInstants,
  requestProblems,
  revenueRows,
  TEMPLATES,
  withTotals,
} from "../../../src/domain/reports";
import { checkSettlements, type LedgerPayment } from "../../../src/domain/settlement-check";
import { settlementOf } from "../../../src/domain/money";

const NY = "America/New_York";

describe("report requests", () => {
  const ok = {
    template: "revenue_by_zone",
    format: "json" as const,
    range: { from: "2026-03-01", to: "2026-03-31" },
    filters: {},
  };
  it("takes a month, and refuses a range one day over the maximum", () => {
    expect(requestProblems(ok)).toEqual([]);
    const to = new Date(Date.parse("2026-01-01T00:00:00Z") + MAX_RANGE_DAYS * 86_400_000).toISOString().slice(0, 10);
    expect(requestProblems({ ...ok, range: { from: "2026-01-01", to } })).toEqual([
      { path: "range", message: `revenue_by_zone covers at most ${MAX_RANGE_DAYS} day(s); this range has ${MAX_RANGE_DAYS + 1}` },
    ]);
  });
  it("names an unknown template, a filter the template does not take, a format it is not made in, a backwards range", () => {
    expect(requestProblems({ ...ok, template: "nope" })[0]?.path).toBe("template");
    expect(requestProblems({ ...ok, template: "occupancy_by_zone", filters: { provider: "stripe" } }).map((p) => p.path)).toEqual(
      ["filters.provider"],
    );
    expect(requestProblems({ ...ok, format: "pdf" }).map((p) => p.path)).toEqual(["format"]);
    expect(requestProblems({ ...ok, range: { from: "2026-03-02", to: "2026-03-01" } }).map((p) => p.path)).toEqual(["range.to"]);
    expect(requestProblems({ ...ok, range: { from: "2026-02-30", to: "2026-03-01" } }).map((p) => p.path)).toEqual(["range"]);
  });
  it("makes the daily summary for one day only, and as PDF", () => {
    const daily = { ...ok, template: "daily_revenue_summary", format: "pdf" as const };
    expect(requestProblems({ ...daily, range: { from: "2026-03-08", to: "2026-03-08" } })).toEqual([]);
    expect(requestProblems(daily).map((p) => p.path)).toEqual(["range"]);
    expect(TEMPLATES.filter((t) => t.formats.includes("pdf")).map((t) => t.id)).toEqual(["daily_revenue_summary"]);
  });
  it("counts days and turns a local range into instants, DST days at their length", () => {
    expect(rangeDays("2026-03-01", "2026-03-31")).toBe(31);
    const spring = rangeInstants({ from: "2026-03-08", to: "2026-03-08" }, NY);
    expect((spring.toMs - spring.fromMs) / 3_600_000).toBe(23);
    const fall = rangeInstants({ from: "2026-11-01", to: "2026-11-01" }, NY);
    expect((fall.toMs - fall.fromMs) / 3_600_000).toBe(25);
    expect(new Date(fall.fromMs).toISOString()).toBe("2026-11-01T04:00:00.000Z");
  });
});

describe("schedule periods", () => {
  const at = Date.parse("2026-03-11T15:00:00Z"); // Wednesday, 11:00 in New York
  it("is yesterday, last Monday to Sunday, or last month, in the tenant's time zone", () => {
    expect(lastWholePeriod("daily", at, NY)).toEqual({ name: "2026-03-10", from: "2026-03-10", to: "2026-03-10" });
    expect(lastWholePeriod("weekly", at, NY)).toEqual({ name: "2026-W10", from: "2026-03-02", to: "2026-03-08" });
    expect(lastWholePeriod("monthly", at, NY)).toEqual({ name: "2026-02", from: "2026-02-01", to: "2026-02-28" });
  });
  it("uses the local date: 02:00 UTC on the 11th is still the 10th in New York", () => {
    expect(lastWholePeriod("daily", Date.parse("2026-03-11T02:00:00Z"), NY).name).toBe("2026-03-09");
    expect(lastWholePeriod("monthly", Date.parse("2026-01-01T02:00:00Z"), NY).name).toBe("2025-11");
  });
});

describe("revenue rows", () => {
  it("adds payments and the refunds of each group per currency, and net after refunds", () => {
    const rows = revenueRows(
      "zone",
      [
        { key: "A1", currency: "USD", payments: 2, grossCents: 1000, feeCents: 50, netCents: 950 },
        { key: null, currency: "USD", payments: 1, grossCents: 2500, feeCents: 0, netCents: 2500 },
        { key: "A1", currency: "EUR", payments: 1, grossCents: 700, feeCents: 35, netCents: 665 },
      ],
      [{ key: "A1", currency: "USD", refunds: 1, refundCents: 250, refundFeeCents: 13 }],
    );
    expect(rows).toEqual([
      {
        zone: "A1",
        currency: "EUR",
        payments: 1,
        grossCents: 700,
        feeCents: 35,
        netCents: 665,
        refunds: 0,
        refundCents: 0,
        refundFeeCents: 0,
        netAfterRefundsCents: 665,
      },
      {
        zone: "A1",
        currency: "USD",
        payments: 2,
        grossCents: 1000,
        feeCents: 50,
        netCents: 950,
        refunds: 1,
        refundCents: 250,
        refundFeeCents: 13,
        netAfterRefundsCents: 713,
      },
      {
        zone: "none",
        currency: "USD",
        payments: 1,
        grossCents: 2500,
        feeCents: 0,
        netCents: 2500,
        refunds: 0,
        refundCents: 0,
        refundFeeCents: 0,
        netAfterRefundsCents: 2500,
      },
    ]);
    const totals = withTotals("zone", rows).at(-1);
    expect(totals).toMatchObject({ zone: "TOTAL", currency: "USD", grossCents: 3500, netAfterRefundsCents: 3213 });
  });
  it("folds 15-minute buckets into local dates (the fall-back day's 25 hours are one date)", () => {
    const from = Date.parse("2026-11-01T04:00:00Z");
    const buckets = Array.from({ length: 100 }, (_, i) => ({
      bucketMs: from + i * 900_000,
      currency: "USD",
      payments: 1,
      grossCents: 1,
      feeCents: 0,
      netCents: 1,
    }));
    const rows = revenueRows("date", byLocalDate(buckets, NY), []);
    expect(rows.map((r) => [r.date, r.payments])).toEqual([["2026-11-01", 100]]);
  });
  it("computes occupancy over capacity and the range, and turnover per space per day", () => {
    const rows = occupancyRows(
      [{ zone: "A1", capacity: 10, sessions: 40, distinctPlates: 30, occupiedMs: 10 * 3_600_000 * 12 }],
      86_400_000 * 2,
      2,
    );
    expect(rows).toEqual([
      {
        zone: "A1",
        capacity: 10,
        sessions: 40,
        distinctPlates: 30,
        occupiedHours: 120,
        occupancyPercent: 25,
        turnoverPerSpacePerDay: 2,
      },
    ]);
  });
});

describe("settlement check", () => {
  const paidAt = Date.parse("2026-03-08T20:00:00Z"); // 16:00 in New York, before the 18:00 cutoff
  const due = settlementOf(paidAt, "18:00", NY);
  const base: LedgerPayment = {
    id: "pay_1",
    provider: "teller",
    providerTransactionId: "txn_1",
    currency: "USD",
    amountCents: 1000,
    feeCents: 50,
    netCents: 950,
    paidAt,
    settlementDate: due.settlementDate,
    settlementBatch: due.batchId,
  };
  it("groups by provider and batch and matches a payment in the batch the routing expects", () => {
    const c = checkSettlements([base, { ...base, id: "pay_2", amountCents: 500, feeCents: 25, netCents: 475 }], "18:00", NY);
    expect(c).toEqual({
      matched: true,
      groups: [
        {
          provider: "teller",
          currency: "USD",
          settlementDate: "2026-03-09",
          settlementBatch: "BATCH-2026-067-001",
          payments: 2,
          grossCents: 1500,
          feeCents: 75,
          netCents: 1425,
        },
      ],
      mismatches: [],
    });
  });
  it("lists a payment in another batch, one with none, and one whose split does not add up", () => {
    const c = checkSettlements(
      [
        { ...base, id: "late", settlementBatch: "BATCH-2026-068-001", settlementDate: "2026-03-10" },
        { ...base, id: "none", settlementBatch: null, settlementDate: null },
        { ...base, id: "split", netCents: 949 },
      ],
      "18:00",
      NY,
    );
    expect(c.matched).toBe(false);
    expect(c.mismatches.map((m) => [m.paymentId, m.kind])).toEqual([
      ["late", "batch_differs"],
      ["none", "no_settlement"],
      ["split", "split_does_not_add_up"],
    ]);
    expect(c.groups.map((g) => [g.settlementBatch, g.payments])).toEqual([
      [null, 1],
      ["BATCH-2026-067-001", 1],
      ["BATCH-2026-068-001", 1],
    ]);
  });
});

describe("report files", () => {
  const table = {
    template: "daily_revenue_summary",
    title: "Daily revenue summary",
    timezone: NY,
    range: { from: "2026-03-08", to: "2026-03-08" },
    filters: {},
    columns: TEMPLATES.find((t) => t.id === "daily_revenue_summary")!.columns,
    rows: withTotals("zone", [
      {
        zone: 'Main, "North"',
        currency: "USD",
        payments: 1,
        grossCents: 475,
        feeCents: 25,
        netCents: 450,
        refunds: 0,
        refundCents: 0,
        refundFeeCents: 0,
        netAfterRefundsCents: 450,
      },
    ]),
  };
  it("writes CSV that a CSV parser reads back to the same rows (quotes and commas included)", () => {
    const parsed = Papa.parse<Record<string, unknown>>(toCsv(table.columns, table.rows), {
      header: true,
      dynamicTyping: true,
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual(table.rows);
  });
  it("makes a PDF that pdf-lib opens again, one page per 40 lines", async () => {
    const bytes = await renderReport(table, "pdf");
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
    const long = { ...table, rows: Array.from({ length: 81 }, () => table.rows[0]!) };
    expect((await PDFDocument.load(await renderReport(long, "pdf"))).getPageCount()).toBe(3);
  });
  it("writes JSON that parses back to the table", async () => {
    expect(JSON.parse(new TextDecoder().decode(await renderReport(table, "json")))).toEqual(table);
  });
});
