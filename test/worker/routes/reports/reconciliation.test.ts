// GET /v1/reports/reconciliation and the daily GTCS push: a local day to the cent across the spring-forward
// and fall-back days with refunds and fees, its CSV read back by a CSV library, the settlement check, the
// cron pushing each day once per version (a correction as the next version), and tenant isolation.
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import worker from "../../../../src";
import { settlementOf } from "../../../../src/domain/money";
import { previousLocalDate } from "../../../../src/domain/reconciliation";
import { runDailyReconciliation } from "../../../../src/sync/daily-reconciliation";
import { call, json, localInstant } from "../../fixtures";
import { connectTo, settled, sim } from "../../sync/fixtures";
import { vendorCreds } from "../../vendors/sync-vendors";
import { payment, refund, reportTenant } from "./ledger";

const TZ = "America/New_York";
const at = (ymd: string, hhmm: string) => localInstant(TZ, ymd, hhmm);
const batchOf = (ms: number) => {
  const s = settlementOf(ms, "18:00", TZ);
  return { date: s.settlementDate, batch: s.batchId };
};

/** The CSV read back with papaparse (money columns as numbers, empty fields as null): the JSON's transactions. */
function parseCsv(text: string) {
  const parsed = Papa.parse<Record<string, unknown>>(text, {
    header: true,
    dynamicTyping: { amountCents: true, feeCents: true },
    skipEmptyLines: true,
  });
  expect(parsed.errors).toEqual([]);
  return parsed.data.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === "" ? null : v])));
}

describe("a reconciliation day", () => {
  it("is 23 hours on the spring-forward Sunday, to the cent, with a refund and fees, and its CSV equals its JSON", async () => {
    const t = await reportTenant("rsp");
    const p1 = await payment(t.id, {
      amountCents: 475,
      feeCents: 25,
      at: at("2026-03-08", "00:30"),
      settlement: batchOf(at("2026-03-08", "00:30")),
    });
    const p2 = await payment(t.id, {
      amountCents: 1000,
      feeCents: 50,
      at: at("2026-03-08", "03:30"),
      zone: "B2",
      provider: "stripe",
    });
    const p3 = await payment(t.id, {
      amountCents: 333,
      feeCents: 17,
      at: at("2026-03-08", "23:30"),
      zone: null,
      settlement: batchOf(at("2026-03-08", "12:00")),
    });
    const r1 = await refund(t.id, p2, 250, 13, at("2026-03-08", "23:45"));
    await payment(t.id, { amountCents: 999, feeCents: 0, at: at("2026-03-07", "23:59") }); // the day before
    await payment(t.id, { amountCents: 999, feeCents: 0, at: at("2026-03-09", "00:00") }); // the day after
    await payment(t.id, { amountCents: 888, feeCents: 0, at: at("2026-03-08", "10:00"), status: "pending" }); // no money moved
    await payment(t.id, { amountCents: 700, feeCents: 35, at: at("2026-03-08", "12:00"), currency: "EUR" });

    const res = await call("/v1/reports/reconciliation?date=2026-03-08", { key: t.key });
    expect(res.status).toBe(200);
    const day = await json(res);
    expect(day).toMatchObject({
      date: "2026-03-08",
      timezone: TZ,
      currency: "USD",
      hours: 23,
      reportPeriod: { from: "2026-03-08T05:00:00.000Z", to: "2026-03-09T03:59:59.999Z" },
      summary: { transactions: 4, totalCents: 1558, feeCents: 92, netCents: 1466, refundFeeCents: 13, otherCurrencies: 1 },
      pushes: [],
    });
    expect(day.transactions).toEqual([
      {
        transactionId: p1,
        timestamp: "2026-03-08T05:30:00.000Z",
        type: "PARKING_PAYMENT",
        zone: "A1",
        provider: "teller",
        amountCents: 475,
        feeCents: 25,
        accountingCode: "4100-PARKING-REVENUE",
      },
      {
        transactionId: p2,
        timestamp: "2026-03-08T07:30:00.000Z",
        type: "PARKING_PAYMENT",
        zone: "B2",
        provider: "stripe",
        amountCents: 1000,
        feeCents: 50,
        accountingCode: "4100-PARKING-REVENUE",
      },
      {
        transactionId: p3,
        timestamp: "2026-03-09T03:30:00.000Z",
        type: "PARKING_PAYMENT",
        zone: null,
        provider: "teller",
        amountCents: 333,
        feeCents: 17,
        accountingCode: "4100-PARKING-REVENUE",
      },
      {
        transactionId: r1,
        timestamp: "2026-03-09T03:45:00.000Z",
        type: "REFUND",
        zone: "B2",
        provider: "stripe",
        amountCents: -250,
        feeCents: 0,
        accountingCode: "4100-PARKING-REVENUE",
      },
    ]);
    // The sum of the lines is the total, to the cent.
    expect(day.transactions.reduce((s: number, l: { amountCents: number }) => s + l.amountCents, 0)).toBe(day.summary.totalCents);

    // Settlement: p1 is in the batch the routing expects; p2 carries none; p3 (after the 18:00 cutoff) carries the day's own batch instead of the next one.
    expect(day.settlement.matched).toBe(false);
    expect(day.settlement.mismatches.map((m: { paymentId: string; kind: string }) => [m.paymentId, m.kind])).toEqual([
      [p2, "no_settlement"],
      [p3, "batch_differs"],
    ]);
    expect(day.settlement.mismatches[1].expected).toEqual({
      settlementDate: "2026-03-10",
      settlementBatch: "BATCH-2026-068-001",
    });
    expect(day.settlement.groups).toEqual([
      {
        provider: "stripe",
        currency: "USD",
        settlementDate: null,
        settlementBatch: null,
        payments: 1,
        grossCents: 1000,
        feeCents: 50,
        netCents: 950,
      },
      {
        provider: "teller",
        currency: "USD",
        settlementDate: "2026-03-09",
        settlementBatch: "BATCH-2026-067-001",
        payments: 2,
        grossCents: 808,
        feeCents: 42,
        netCents: 766,
      },
    ]);

    const csv = await call("/v1/reports/reconciliation?date=2026-03-08&format=csv", { key: t.key });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(parseCsv(await csv.text())).toEqual(day.transactions);
    const byAccept = await call("/v1/reports/reconciliation?date=2026-03-08", { key: t.key, headers: { accept: "text/csv" } });
    expect(byAccept.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(parseCsv(await byAccept.text())).toEqual(day.transactions);
  });

  it("is 25 hours on the fall-back Sunday: both 01:30s count, a full refund returns its whole fee", async () => {
    const t = await reportTenant("rfb");
    const first = await payment(t.id, { amountCents: 1234, feeCents: 62, at: Date.parse("2026-11-01T05:30:00Z") }); // 01:30 EDT
    const second = await payment(t.id, { amountCents: 1234, feeCents: 62, at: Date.parse("2026-11-01T06:30:00Z") }); // 01:30 EST
    await payment(t.id, { amountCents: 100, feeCents: 5, at: Date.parse("2026-11-02T04:59:00Z"), method: null }); // 23:59 EST
    await payment(t.id, { amountCents: 100, feeCents: 5, at: Date.parse("2026-11-02T05:00:00Z") }); // the next day
    const r = await refund(t.id, first, 1234, 62, Date.parse("2026-11-01T12:00:00Z"));
    const day = await json(await call("/v1/reports/reconciliation?date=2026-11-01", { key: t.key }));
    expect(day).toMatchObject({
      hours: 25,
      reportPeriod: { from: "2026-11-01T04:00:00.000Z", to: "2026-11-02T04:59:59.999Z" },
      summary: { transactions: 4, totalCents: 1334, feeCents: 129, netCents: 1205, refundFeeCents: 62, otherCurrencies: 0 },
    });
    expect(day.transactions.map((l: { transactionId: string; amountCents: number }) => [l.transactionId, l.amountCents])).toEqual(
      [
        [first, 1234],
        [second, 1234],
        [r, -1234],
        [expect.stringMatching(/^pay_/), 100],
      ],
    );
    const csv = await (
      await call("/v1/reports/reconciliation?date=2026-11-01", { key: t.key, headers: { accept: "text/csv" } })
    ).text();
    expect(parseCsv(csv)).toEqual(day.transactions);
  });

  it("refuses a date that is not a calendar date or a bad currency, with problem+json", async () => {
    const t = await reportTenant("rer");
    for (const q of ["date=2026-02-30", "date=yesterday", "", "date=2026-03-08&currency=dollars", "date=2026-03-08&format=pdf"]) {
      const res = await call(`/v1/reports/reconciliation?${q}`, { key: t.key });
      expect(res.status, q).toBe(422);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      expect((await json(res)).errors.length, q).toBeGreaterThan(0);
    }
  });

  it("needs a credential with reports:read, and shows only the caller's own tenant", async () => {
    const mine = await reportTenant("rmi");
    const theirs = await reportTenant("rth");
    const own = await payment(mine.id, { amountCents: 500, feeCents: 0, at: at("2026-04-02", "10:00") });
    const foreign = await payment(theirs.id, { amountCents: 5000, feeCents: 100, at: at("2026-04-02", "10:00") });
    expect((await call("/v1/reports/reconciliation?date=2026-04-02", { key: null })).status).toBe(401);
    const denied = await call("/v1/reports/reconciliation?date=2026-04-02", { key: mine.noReports });
    expect(denied.status).toBe(403);
    expect(await denied.text()).not.toContain(own);
    const day = await json(await call("/v1/reports/reconciliation?date=2026-04-02", { key: mine.key }));
    expect(day.transactions.map((l: { transactionId: string }) => l.transactionId)).toEqual([own]);
    const csv = await (await call("/v1/reports/reconciliation?date=2026-04-02&format=csv", { key: mine.key })).text();
    expect(csv).toContain(own);
    expect(csv).not.toContain(foreign);
  });
});

describe("the daily GTCS push", () => {
  it("pushes the previous local day once when the cron fires twice, then a correction as version 2", async () => {
    const t = await reportTenant("rgp");
    const quiet = await reportTenant("rgq"); // no GTCS: never pushed
    const c = vendorCreds.gtcs();
    await connectTo(t.key, "gtcs", c);
    await payment(t.id, { amountCents: 475, feeCents: 25, at: at("2026-03-08", "09:00") });
    const p = await payment(t.id, { amountCents: 1000, feeCents: 50, at: at("2026-03-08", "20:00") });
    await refund(t.id, p, 300, 15, at("2026-03-08", "21:00"));
    await payment(quiet.id, { amountCents: 100, feeCents: 0, at: at("2026-03-08", "09:00") });
    const now = at("2026-03-09", "02:00"); // the cron's run on the Monday morning

    const [a, b] = await Promise.all([runDailyReconciliation(env, now), runDailyReconciliation(env, now)]);
    const mine = [...a, ...b].filter((o) => o.tenantId === t.id);
    expect(mine.filter((o) => o.pushed)).toHaveLength(1);
    expect(mine.map((o) => (o.pushed ? "pushed" : o.reason)).sort()).toEqual([
      "pushed",
      expect.stringMatching(/^(taken|unchanged)$/),
    ]);
    expect([...a, ...b].some((o) => o.tenantId === quiet.id)).toBe(false);
    const first = mine.find((o) => o.pushed)!;
    if (!first.pushed) throw new Error("unreachable");
    expect(first).toMatchObject({ date: "2026-03-08", version: 1 });
    const job = await settled(t.key, "gtcs", first.jobId);
    expect(job).toMatchObject({
      status: "succeeded",
      result: { records: 3, detail: { date: "2026-03-08", totalCents: 1175, feeCents: 75, netCents: 1100, version: 1 } },
    });

    // A third run with nothing changed sends nothing.
    expect((await runDailyReconciliation(env, now + 300_000)).find((o) => o.tenantId === t.id)).toMatchObject({
      pushed: false,
      reason: "unchanged",
    });

    // A payment of that day recorded late is a correction: version 2, once.
    await payment(t.id, { amountCents: 200, feeCents: 10, at: at("2026-03-08", "15:00") });
    const later = now + 600_000;
    const again = [...(await runDailyReconciliation(env, later)), ...(await runDailyReconciliation(env, later))].filter(
      (o) => o.tenantId === t.id,
    );
    expect(again.map((o) => (o.pushed ? o.version : o.reason))).toEqual([2, "unchanged"]);
    const second = again[0]!;
    if (!second.pushed) throw new Error("unreachable");
    expect((await settled(t.key, "gtcs", second.jobId)).result.detail).toMatchObject({ version: 2, totalCents: 1375 });
    const held = await sim(`/gtcs/api/gtcs/reconciliation?from=${new Date(at("2026-03-08", "00:00")).toISOString()}`, {
      headers: { authorization: `Bearer ${c.apiKey}` },
    });
    expect(held.body).toMatchObject({
      version: 2,
      summary: { totalRevenue: 13.75, totalTransactions: 4, processingFees: 0.85, netRevenue: 12.9 },
    });

    // Staff see both versions, and the day's fingerprint is the last one pushed.
    const day = await json(await call("/v1/reports/reconciliation?date=2026-03-08", { key: t.key }));
    expect(day.pushes.map((x: { version: number; totalCents: number }) => [x.version, x.totalCents])).toEqual([
      [2, 1375],
      [1, 1175],
    ]);
    expect(day.pushes[0].fingerprint).toBe(day.fingerprint);
  });

  it("runs from the worker's five-minute cron, for yesterday in the tenant's time zone", async () => {
    const t = await reportTenant("rcw");
    await connectTo(t.key, "gtcs", vendorCreds.gtcs());
    const now = Date.now();
    await worker.scheduled(createScheduledController({ cron: "*/5 * * * *", scheduledTime: now }), env);
    const rows = await env.DB.prepare("SELECT date, version, transactions FROM reconciliation_pushes WHERE tenant_id = ?")
      .bind(t.id)
      .all();
    expect(rows.results).toEqual([{ date: previousLocalDate(now, TZ), version: 1, transactions: 0 }]);
  });

  it("queues a claimed version whose run died before its job was recorded, once it is ten minutes old", async () => {
    const t = await reportTenant("rcd");
    await connectTo(t.key, "gtcs", vendorCreds.gtcs());
    await payment(t.id, { amountCents: 900, feeCents: 45, at: at("2026-05-04", "10:00") });
    const now = at("2026-05-05", "03:00");
    const claim = env.DB.prepare(
      "INSERT INTO reconciliation_pushes (tenant_id, date, version, currency, fingerprint, transactions, total_cents, job_id, created_at) VALUES (?, '2026-05-04', 1, 'USD', ?, 1, 900, NULL, ?)",
    );
    // The claim a run made for the day as it is (same fingerprint), before it could record its job.
    const { fingerprint } = await json(await call("/v1/reports/reconciliation?date=2026-05-04", { key: t.key }));
    await claim.bind(t.id, fingerprint, now - 60_000).run();
    // A fresh claim is another run at work: nothing is queued over it.
    expect((await runDailyReconciliation(env, now)).find((o) => o.tenantId === t.id)).toMatchObject({ pushed: false });
    await env.DB.prepare("UPDATE reconciliation_pushes SET created_at = ? WHERE tenant_id = ?")
      .bind(now - 11 * 60_000, t.id)
      .run();
    const outcome = (await runDailyReconciliation(env, now)).find((o) => o.tenantId === t.id);
    expect(outcome).toMatchObject({ pushed: true, version: 1 });
    if (!outcome?.pushed) throw new Error("unreachable");
    expect(await settled(t.key, "gtcs", outcome.jobId)).toMatchObject({
      status: "succeeded",
      result: { detail: { totalCents: 900 } },
    });
    const row = await env.DB.prepare("SELECT job_id FROM reconciliation_pushes WHERE tenant_id = ? AND version = 1")
      .bind(t.id)
      .first();
    expect(row).toEqual({ job_id: outcome.jobId });
  });
});
