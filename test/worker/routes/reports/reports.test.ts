// /v1/reports: templates, reports made now (revenue by zone, day, provider and method; occupancy and
// turnover; citations; the PDF daily summary), their limits, scheduled reports made once per period into
// R2 with an emailed link, the download route, and tenant isolation throughout. The revenue query's plan
// is checked to use the ledger's report indexes.
import { env } from "cloudflare:workers";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { db } from "../../../../src/storage/db";
import { revenueQuery } from "../../../../src/storage/revenue-reports";
import { runScheduledReports } from "../../../../src/sync/scheduled-reports";
import { CONNECTORS } from "../../../../src/vendors";
import { call, json, localInstant, uniq } from "../../fixtures";
import { connectTo, settled } from "../../sync/fixtures";
import { payment, refund, reportTenant } from "./ledger";

const TZ = "America/New_York";
const at = (ymd: string, hhmm: string) => localInstant(TZ, ymd, hhmm);
const generate = (key: string | null, body: unknown) => call("/v1/reports/generate", { key, body });

async function seedRevenue(tenantId: string) {
  const a = await payment(tenantId, {
    amountCents: 1000,
    feeCents: 50,
    at: at("2026-03-08", "01:00"),
    zone: "A1",
    provider: "stripe",
    method: "card",
  });
  await payment(tenantId, {
    amountCents: 500,
    feeCents: 25,
    at: at("2026-03-08", "23:00"),
    zone: "A1",
    provider: "teller",
    method: "card",
  });
  await payment(tenantId, {
    amountCents: 2000,
    feeCents: 100,
    at: at("2026-03-09", "12:00"),
    zone: "B2",
    provider: "teller",
    method: null,
  });
  await payment(tenantId, {
    amountCents: 700,
    feeCents: 0,
    at: at("2026-03-09", "12:00"),
    zone: "B2",
    provider: "paystack",
    method: "mobile_money",
    currency: "NGN",
  });
  await payment(tenantId, { amountCents: 9999, feeCents: 0, at: at("2026-03-09", "13:00"), zone: "B2", status: "failed" });
  await payment(tenantId, { amountCents: 4444, feeCents: 0, at: at("2026-04-01", "00:00"), zone: "A1" }); // after the range
  await refund(tenantId, a, 400, 20, at("2026-03-10", "09:00"));
}

const zeroRefunds = { refunds: 0, refundCents: 0, refundFeeCents: 0 };

describe("report templates", () => {
  it("lists every template with its formats, filters and longest range", async () => {
    const t = await reportTenant("tpl");
    const res = await call("/v1/reports/templates", { key: t.key });
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data.map((x: { id: string }) => x.id)).toEqual([
      "revenue_by_zone",
      "revenue_by_day",
      "revenue_by_provider",
      "revenue_by_method",
      "daily_revenue_summary",
      "occupancy_by_zone",
      "citations_by_zone",
    ]);
    expect(data.find((x: { id: string }) => x.id === "daily_revenue_summary")).toMatchObject({
      formats: ["pdf", "csv", "json"],
      maxRangeDays: 1,
    });
    expect((await call("/v1/reports/templates", { key: null })).status).toBe(401);
    expect((await call("/v1/reports/templates", { key: t.noReports })).status).toBe(403);
  });
});

describe("POST /v1/reports/generate", () => {
  it("adds up revenue by zone for a month from the ledger: gross, fee, net, refunds, per currency", async () => {
    const t = await reportTenant("rvz");
    const other = await reportTenant("rvo");
    await seedRevenue(t.id);
    await payment(other.id, { amountCents: 123_456, feeCents: 0, at: at("2026-03-08", "10:00"), zone: "A1" });
    const res = await generate(t.key, { template: "revenue_by_zone", range: { from: "2026-03-01", to: "2026-03-31" } });
    expect(res.status).toBe(200);
    const report = await json(res);
    expect(report).toMatchObject({ template: "revenue_by_zone", timezone: TZ, range: { from: "2026-03-01", to: "2026-03-31" } });
    expect(report.rows).toEqual([
      {
        zone: "A1",
        currency: "USD",
        payments: 2,
        grossCents: 1500,
        feeCents: 75,
        netCents: 1425,
        refunds: 1,
        refundCents: 400,
        refundFeeCents: 20,
        netAfterRefundsCents: 1045,
      },
      {
        zone: "B2",
        currency: "NGN",
        payments: 1,
        grossCents: 700,
        feeCents: 0,
        netCents: 700,
        ...zeroRefunds,
        netAfterRefundsCents: 700,
      },
      {
        zone: "B2",
        currency: "USD",
        payments: 1,
        grossCents: 2000,
        feeCents: 100,
        netCents: 1900,
        ...zeroRefunds,
        netAfterRefundsCents: 1900,
      },
    ]);
    // One zone, through the zone index; the other tenant's A1 payment never appears.
    const a1 = await json(
      await generate(t.key, {
        template: "revenue_by_zone",
        range: { from: "2026-03-01", to: "2026-03-31" },
        filters: { zone: "a1" },
      }),
    );
    expect(a1.rows.map((r: { zone: string; grossCents: number }) => [r.zone, r.grossCents])).toEqual([["A1", 1500]]);
    const theirs = await json(
      await generate(other.key, { template: "revenue_by_zone", range: { from: "2026-03-01", to: "2026-03-31" } }),
    );
    expect(theirs.rows.map((r: { zone: string; grossCents: number }) => [r.zone, r.grossCents])).toEqual([["A1", 123_456]]);
  });

  it("groups by local day (the 23-hour spring-forward day is one date), provider and method", async () => {
    const t = await reportTenant("rvd");
    await seedRevenue(t.id);
    const range = { from: "2026-03-07", to: "2026-03-10" };
    const byDay = await json(await generate(t.key, { template: "revenue_by_day", range, filters: { currency: "usd" } }));
    expect(
      byDay.rows.map((r: { date: string; grossCents: number; refundCents: number }) => [r.date, r.grossCents, r.refundCents]),
    ).toEqual([
      ["2026-03-08", 1500, 0],
      ["2026-03-09", 2000, 0],
      ["2026-03-10", 0, 400],
    ]);
    const byProvider = await json(await generate(t.key, { template: "revenue_by_provider", range }));
    expect(
      byProvider.rows.map((r: { provider: string; currency: string; payments: number }) => [r.provider, r.currency, r.payments]),
    ).toEqual([
      ["paystack", "NGN", 1],
      ["stripe", "USD", 1],
      ["teller", "USD", 2],
    ]);
    const byMethod = await json(await generate(t.key, { template: "revenue_by_method", range, filters: { provider: "teller" } }));
    expect(byMethod.rows.map((r: { method: string; grossCents: number }) => [r.method, r.grossCents])).toEqual([
      ["card", 500],
      ["unknown", 2000],
    ]);
  });

  it("writes CSV that reads back to the JSON rows, and the daily summary as a PDF", async () => {
    const t = await reportTenant("rvc");
    await seedRevenue(t.id);
    const body = { template: "revenue_by_zone", range: { from: "2026-03-01", to: "2026-03-31" } };
    const asJson = await json(await generate(t.key, body));
    const csv = await generate(t.key, { ...body, format: "csv" });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="revenue_by_zone_2026-03-01_2026-03-31.csv"');
    const parsed = Papa.parse(await csv.text(), { header: true, dynamicTyping: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual(asJson.rows);

    const pdf = await generate(t.key, {
      template: "daily_revenue_summary",
      format: "pdf",
      range: { from: "2026-03-08", to: "2026-03-08" },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    const summary = await json(
      await generate(t.key, { template: "daily_revenue_summary", range: { from: "2026-03-08", to: "2026-03-08" } }),
    );
    expect(summary.rows.at(-1)).toMatchObject({ zone: "TOTAL", currency: "USD", grossCents: 1500, netCents: 1425 });
  });

  it("reports occupancy and turnover by zone from session history, and citations outstanding and paid", async () => {
    const t = await reportTenant("roc");
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO zones (tenant_id, code, name, timezone, rules, capacity, version, updated_at) VALUES (?, 'A1', 'Main', ?, '{}', 4, 1, ?)",
      ).bind(t.id, TZ, now),
      env.DB.prepare(
        "INSERT INTO zones (tenant_id, code, name, timezone, rules, capacity, version, updated_at) VALUES (?, 'B2', 'Side', ?, '{}', NULL, 1, ?)",
      ).bind(t.id, TZ, now),
    ]);
    const session = (zone: string, plate: string, from: string, to: string, endedAt: number | null = null) =>
      env.DB.prepare(
        "INSERT INTO parking_sessions (id, tenant_id, zone, plate, start_at, end_at, paid_minutes, amount_cents, status, ended_at, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, 60, 100, 'ended', ?, 1, ?)",
      ).bind(`ses_${zone}_${uniq(10)}`, t.id, zone, plate, at("2026-03-09", from), at("2026-03-09", to), endedAt, now);
    await env.DB.batch([
      session("A1", "AAA111", "08:00", "12:00"), // 4 h
      session("A1", "AAA111", "13:00", "15:00", at("2026-03-09", "14:00")), // ended early: 1 h
      session("A1", "BBB222", "23:00", "23:59"), // 59 min
      session("B2", "CCC333", "10:00", "11:00"),
    ]);
    const occ = await json(
      await generate(t.key, { template: "occupancy_by_zone", range: { from: "2026-03-09", to: "2026-03-09" } }),
    );
    // A1: 4 h + 1 h + 59 min = 359 space-minutes of 4 spaces × 1 440 minutes = 6.23 %; 3 sessions / 4 spaces / 1 day.
    expect(occ.rows).toEqual([
      {
        zone: "A1",
        capacity: 4,
        sessions: 3,
        distinctPlates: 2,
        occupiedHours: 6,
        occupancyPercent: 6.23,
        turnoverPerSpacePerDay: 0.75,
      },
      {
        zone: "B2",
        capacity: null,
        sessions: 1,
        distinctPlates: 1,
        occupiedHours: 1,
        occupancyPercent: null,
        turnoverPerSpacePerDay: null,
      },
    ]);

    const citation = (zone: string, status: string, fine: number, late = 0) =>
      env.DB.prepare(
        "INSERT INTO citations (id, tenant_id, number, source, fingerprint, status, plate, zone, violation_code, fine_cents, late_fee_cents, issued_at, created_at, updated_at) VALUES (?, ?, ?, 'native', 'x', ?, 'ABC123', ?, 'PKG-001', ?, ?, ?, ?, ?)",
      ).bind(`cit_${uniq(12)}`, t.id, `N-${uniq(8)}`, status, zone, fine, late, at("2026-03-09", "10:00"), now, now);
    await env.DB.batch([
      citation("A1", "issued", 2500),
      citation("A1", "escalated", 2500, 1000),
      citation("A1", "paid", 2500),
      citation("A1", "voided", 2500),
      citation("B2", "paid", 5000),
    ]);
    const cit = await json(
      await generate(t.key, { template: "citations_by_zone", range: { from: "2026-03-01", to: "2026-03-31" } }),
    );
    expect(cit.rows).toEqual([
      { zone: "A1", issued: 4, outstanding: 2, outstandingCents: 6000, paid: 1, paidCents: 2500, closed: 1 },
      { zone: "B2", issued: 1, outstanding: 0, outstandingCents: 0, paid: 1, paidCents: 5000, closed: 0 },
    ]);
  });

  it("refuses a range over the maximum, an unknown template, a bad filter or format with 422 problem+json", async () => {
    const t = await reportTenant("rve");
    const cases: [unknown, string][] = [
      [{ template: "revenue_by_zone", range: { from: "2026-01-01", to: "2026-04-30" } }, "range"],
      [{ template: "revenue_by_galaxy", range: { from: "2026-03-01", to: "2026-03-02" } }, "template"],
      [
        { template: "occupancy_by_zone", range: { from: "2026-03-01", to: "2026-03-02" }, filters: { provider: "stripe" } },
        "filters.provider",
      ],
      [{ template: "revenue_by_zone", range: { from: "2026-03-01", to: "2026-03-02" }, filters: { planet: "mars" } }, "filters"],
      [
        { template: "revenue_by_zone", range: { from: "2026-03-01", to: "2026-03-02" }, filters: { zone: "no spaces!" } },
        "filters.zone",
      ],
      [{ template: "revenue_by_zone", format: "pdf", range: { from: "2026-03-01", to: "2026-03-02" } }, "format"],
      [{ template: "daily_revenue_summary", range: { from: "2026-03-01", to: "2026-03-02" } }, "range"],
      [{ template: "revenue_by_zone", range: { from: "2026-03-05", to: "2026-03-01" } }, "range.to"],
      [{ template: "revenue_by_zone", range: { from: "2026-02-30", to: "2026-03-01" } }, "range.from"],
    ];
    for (const [body, path] of cases) {
      const res = await generate(t.key, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
      const problem = await json(res);
      expect(problem.errors.map((e: { path: string }) => e.path).join(" "), JSON.stringify(body)).toContain(path);
    }
  });

  it("needs a credential with reports:read", async () => {
    const t = await reportTenant("rvs");
    const body = { template: "revenue_by_zone", range: { from: "2026-03-01", to: "2026-03-31" } };
    expect((await generate(null, body)).status).toBe(401);
    expect((await generate(t.noReports, body)).status).toBe(403);
  });
});

describe("scheduled reports", () => {
  it("runs once per period when the cron fires twice, stores the file in R2 and records that nobody was emailed", async () => {
    const t = await reportTenant("sch");
    const other = await reportTenant("sco");
    await seedRevenue(t.id);
    const created = await call("/v1/reports/scheduled", {
      key: t.key,
      body: {
        name: "Daily revenue",
        template: "revenue_by_zone",
        format: "csv",
        frequency: "daily",
        recipients: ["finance@city.test"],
      },
    });
    expect(created.status).toBe(201);
    const schedule = await json(created);
    expect(schedule).toMatchObject({
      template: "revenue_by_zone",
      frequency: "daily",
      format: "csv",
      recipients: ["finance@city.test"],
      lastRun: null,
    });

    const now = at("2026-03-09", "06:00"); // reports 2026-03-08
    const runs = [
      ...(await Promise.all([runScheduledReports(env, CONNECTORS, now), runScheduledReports(env, CONNECTORS, now)])).flat(),
    ].filter((r) => r.scheduleId === schedule.id);
    expect(runs.filter((r) => r.made)).toHaveLength(1);
    expect(runs.map((r) => r.period)).toEqual(["2026-03-08", "2026-03-08"]);
    const made = runs.find((r) => r.made)!;
    if (!made.made) throw new Error("unreachable");
    expect(made.delivery).toMatch(/^not emailed: No connected provider sends email/);
    // A later run in the same period makes nothing.
    expect((await runScheduledReports(env, CONNECTORS, now + 3_600_000)).find((r) => r.scheduleId === schedule.id)).toMatchObject(
      { made: false },
    );

    const object = await env.BLOBS.get(`reports/${t.id}/${made.fileId}.csv`);
    expect(object).not.toBeNull();
    const stored = await object!.text();
    const listed = (await json(await call("/v1/reports/scheduled", { key: t.key }))).data;
    expect(listed).toHaveLength(1);
    expect(listed[0].lastRun).toMatchObject({
      fileId: made.fileId,
      period: "2026-03-08",
      status: "stored",
      delivery: made.delivery,
    });
    expect(listed[0].lastRun.downloadUrl).toBe(`https://curbgate.test/v1/reports/files/${made.fileId}`);

    const download = await call(`/v1/reports/files/${made.fileId}`, { key: t.key });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await download.text();
    expect(text).toBe(stored);
    const expected = await json(
      await generate(t.key, { template: "revenue_by_zone", range: { from: "2026-03-08", to: "2026-03-08" } }),
    );
    expect(Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: true }).data).toEqual(expected.rows);

    // Another tenant: no file, no schedule; no key, no scope.
    expect((await call(`/v1/reports/files/${made.fileId}`, { key: other.key })).status).toBe(404);
    expect((await json(await call("/v1/reports/scheduled", { key: other.key }))).data).toEqual([]);
    expect((await call(`/v1/reports/files/${made.fileId}`, { key: null })).status).toBe(401);
    expect((await call(`/v1/reports/files/${made.fileId}`, { key: t.noReports })).status).toBe(403);
    expect((await call("/v1/reports/files/rpt_doesnotexist", { key: t.key })).status).toBe(404);
  });

  it("makes a period again when the run that claimed it died, but never over a run at work", async () => {
    const t = await reportTenant("scd");
    const schedule = await json(
      await call("/v1/reports/scheduled", {
        key: t.key,
        body: { name: "Daily", template: "revenue_by_zone", frequency: "daily" },
      }),
    );
    const now = at("2026-03-09", "06:00");
    const pending = (createdAt: number) =>
      env.DB.prepare(
        "INSERT INTO report_files (id, tenant_id, schedule_id, period, template, format, r2_key, status, created_at) VALUES (?, ?, ?, '2026-03-08', 'revenue_by_zone', 'csv', ?, 'pending', ?)",
      )
        .bind(`rpt_dead${uniq(6)}`, t.id, schedule.id, `reports/${t.id}/dead.csv`, createdAt)
        .run();
    await pending(now - 60_000);
    expect((await runScheduledReports(env, CONNECTORS, now)).find((r) => r.scheduleId === schedule.id)).toMatchObject({
      made: false,
    });
    await env.DB.prepare("UPDATE report_files SET created_at = ? WHERE schedule_id = ?")
      .bind(now - 16 * 60_000, schedule.id)
      .run();
    const run = (await runScheduledReports(env, CONNECTORS, now)).find((r) => r.scheduleId === schedule.id);
    expect(run).toMatchObject({ made: true, period: "2026-03-08" });
    const rows = await env.DB.prepare("SELECT status FROM report_files WHERE schedule_id = ?").bind(schedule.id).all();
    expect(rows.results).toEqual([{ status: "stored" }]);
  });

  it("emails the download link through the tenant's email connector", async () => {
    const t = await reportTenant("sem");
    await connectTo(
      t.key,
      "sendgrid",
      { apiKey: `SG.${uniq(22)}.${uniq(43)}`, webhookVerificationKey: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsimulatorKeyOnly" },
      {
        fromEmail: "parking@city.test",
        fromName: "City Parking",
      },
    );
    const schedule = await json(
      await call("/v1/reports/scheduled", {
        key: t.key,
        body: {
          name: "Weekly citations",
          template: "citations_by_zone",
          frequency: "weekly",
          recipients: ["a@city.test", "b@city.test"],
        },
      }),
    );
    const runs = (await runScheduledReports(env, CONNECTORS, at("2026-03-11", "09:00"))).filter(
      (r) => r.scheduleId === schedule.id,
    );
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    if (!run.made) throw new Error("not made");
    expect(run.period).toBe("2026-W10");
    const jobIds = run.delivery.match(/job_\w+/g) ?? [];
    expect(jobIds).toHaveLength(2);
    const job = await settled(t.key, "sendgrid", jobIds[0]!);
    expect(job).toMatchObject({
      status: "succeeded",
      entity: "message",
      result: { detail: { channel: "email", purpose: "scheduled_report" } },
    });
    const row = await env.DB.prepare("SELECT params FROM sync_jobs WHERE id = ?").bind(jobIds[0]).first<{ params: string }>();
    expect(JSON.parse(row!.params).text).toContain(`https://curbgate.test/v1/reports/files/${run.fileId}`);
  });

  it("refuses a schedule the template cannot make, and needs reports:write; nothing is written", async () => {
    const t = await reportTenant("sce");
    const bad: [unknown, string][] = [
      [{ name: "x", template: "daily_revenue_summary", format: "pdf", frequency: "weekly" }, "frequency"],
      [{ name: "x", template: "revenue_by_zone", format: "pdf", frequency: "daily" }, "format"],
      [{ name: "x", template: "revenue_by_zone", frequency: "daily", recipients: ["not-an-email"] }, "recipients"],
      [{ name: "x", template: "nope", frequency: "daily" }, "template"],
      [{ name: "x", template: "revenue_by_zone", frequency: "hourly" }, "frequency"],
    ];
    for (const [body, path] of bad) {
      const res = await call("/v1/reports/scheduled", { key: t.key, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await json(res)).errors.map((e: { path: string }) => e.path).join(" ")).toContain(path);
    }
    const ok = { name: "x", template: "revenue_by_zone", frequency: "daily" };
    expect((await call("/v1/reports/scheduled", { key: null, body: ok })).status).toBe(401);
    expect((await call("/v1/reports/scheduled", { key: t.noReports, body: ok })).status).toBe(403);
    expect((await call("/v1/reports/scheduled", { key: t.noReports })).status).toBe(403);
    expect((await json(await call("/v1/reports/scheduled", { key: t.key }))).data).toEqual([]);

    // A retry with the same Idempotency-Key creates nothing new; the key reused for another body is refused.
    const headers = { "idempotency-key": "schedule-1" };
    const first = await call("/v1/reports/scheduled", { key: t.key, body: ok, headers });
    expect(first.status).toBe(201);
    const again = await call("/v1/reports/scheduled", { key: t.key, body: ok, headers });
    expect(again.status).toBe(200);
    expect((await json(again)).id).toBe((await json(first)).id);
    const reused = await call("/v1/reports/scheduled", { key: t.key, body: { ...ok, frequency: "monthly" }, headers });
    expect(reused.status).toBe(422);
    expect((await json(await call("/v1/reports/scheduled", { key: t.key }))).data).toHaveLength(1);
  });
});

describe("the revenue query plan", () => {
  it("reads a few thousand payments through the report indexes, for the tenant and for one zone", async () => {
    const t = await reportTenant("rqp");
    const from = at("2026-05-01", "00:00");
    const stmts = Array.from({ length: 3000 }, (_, i) =>
      env.DB.prepare(
        "INSERT INTO payments (id, tenant_id, provider, provider_transaction_id, amount_cents, fee_cents, net_cents, currency, status, zone, method, source, paid_at, created_at, updated_at) VALUES (?, ?, 'stripe', ?, 250, 13, 237, 'USD', 'succeeded', ?, 'card', 'webhook', ?, ?, ?)",
      ).bind(`pay_${t.id}_${i}`, t.id, `txn_${i}`, `Z${i % 5}`, from + i * 60_000, from + i * 60_000, from + i * 60_000),
    );
    for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));
    await env.DB.prepare("ANALYZE").run();
    const plan = async (zone?: string) => {
      const q = revenueQuery(db(env.DB), t.id, "zone", from, from + 31 * 86_400_000, zone ? { zone } : {}).toSQL();
      const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
        .bind(...q.params)
        .all<{ detail: string }>();
      return rows.results.map((r) => r.detail).join(" | ");
    };
    expect(await plan()).toMatch(/USING INDEX payments_tenant_paid_idx \(tenant_id=\? AND paid_at>\? AND paid_at<\?\)/);
    expect(await plan("Z1")).toMatch(
      /USING INDEX payments_tenant_zone_paid_idx \(tenant_id=\? AND zone=\? AND paid_at>\? AND paid_at<\?\)/,
    );
    const total = await json(
      await generate(t.key, { template: "revenue_by_zone", range: { from: "2026-05-01", to: "2026-05-31" } }),
    );
    expect(total.rows.reduce((s: number, r: { payments: number }) => s + r.payments, 0)).toBe(3000);
    expect(total.rows.reduce((s: number, r: { grossCents: number }) => s + r.grossCents, 0)).toBe(750_000);
  });
});
