// Provider health and integration costs, computed from the outbound call log. Figures are checked
// against call rows inserted with known times, durations and outcomes, so every count, rate and
// percentile below is exact; one test makes real calls through the simulator as well.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../../src/lib/ids";
import { db } from "../../../../src/storage/db";
import { integrationCalls } from "../../../../src/storage/schema";
import { gateFor, gateSettings } from "../../../../src/sync/call";
import { connectorOf } from "../../../../src/vendors";
import { direct } from "../../direct";
import {
  INTEGRATIONS_READER,
  NO_SCOPES,
  OTHER_INTEGRATIONS_ADMIN,
  PLATFORM_ADMIN,
  expectNoSecret,
  expectProblem,
  json,
  seedIntegrationKeys,
} from "../../fixtures";
import { connectTo, creds, settled, startSync, stripeIntent, syncTenant } from "../../sync/fixtures";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Row = {
  at: number;
  ms?: number;
  ok?: boolean;
  status?: number | null;
  error?: string | null;
  units?: number;
  provider?: string;
};
/** One statement per row (D1 binds at most 100 values per statement), all in one batch. */
async function insertCalls(tenantId: string, rows: Row[]) {
  const database = db(env.DB);
  const statements = rows.map((r) =>
    database.insert(integrationCalls).values({
      id: newId("call"),
      tenantId,
      provider: r.provider ?? "stripe",
      jobId: null,
      method: "GET",
      path: "/v1/balance",
      idempotencyKey: null,
      status: r.status === undefined ? (r.ok === false ? 500 : 200) : r.status,
      ok: r.ok ?? true,
      durationMs: r.ms ?? 0,
      error: r.error ?? (r.ok === false ? "server" : null),
      units: r.units ?? 1,
      at: r.at,
    }),
  );
  await database.batch(statements as [(typeof statements)[0], ...typeof statements]);
}
const health = (key: string | null, provider = "stripe") => direct(`/v1/integrations/${provider}/health`, { key });
const refused = (at: number, error = "circuit_open"): Row => ({ at, ms: 0, ok: false, status: null, error });

beforeAll(async () => {
  await seedIntegrationKeys(env);
});

describe("GET /v1/integrations/{provider}/health", () => {
  it("counts, error rates and nearest-rank p50/p95 for 24 h, 7 d and 30 d, exactly", async () => {
    const t = await syncTenant("hlt");
    const conn = await connectTo(t.key, "stripe", creds.stripe());
    const now = Date.now();
    await insertCalls(t.id, [
      // Last 24 h: 20 calls of 10, 20, …, 200 ms; three failed (a 500, a timeout, a 503).
      ...Array.from({ length: 20 }, (_, i): Row => ({ at: now - HOUR - i * 60_000, ms: (i + 1) * 10 })),
      // 3-7 days ago: 1000 … 5000 ms, the 3000 ms one a 503.
      ...[1000, 2000, 3000, 4000, 5000].map(
        (ms): Row => ({
          at: now - 3 * DAY,
          ms,
          ok: ms !== 3000,
          status: ms === 3000 ? 503 : 200,
          error: ms === 3000 ? "unavailable" : null,
        }),
      ),
      // 20 days ago: five quick calls.
      ...Array.from({ length: 5 }, (): Row => ({ at: now - 20 * DAY, ms: 5 })),
      // 40 days ago: outside every window.
      { at: now - 40 * DAY, ms: 99_999, ok: false },
      // Refused by the gate: never sent, so neither calls, errors nor latency; the newest row of all.
      refused(now - 2 * HOUR),
      refused(now - 10 * 60_000, "paused"),
      refused(now - 3 * DAY, "rate_limited"),
    ]);
    // Turn three of the 24 h calls into failures (keeping their durations): 50 ms → 500, 150 ms → timeout, 10 ms → 503.
    await env.DB.prepare(
      "UPDATE integration_calls SET ok = 0, status = CASE duration_ms WHEN 50 THEN 500 WHEN 10 THEN 503 ELSE NULL END, error = CASE duration_ms WHEN 50 THEN 'server' WHEN 10 THEN 'unavailable' ELSE 'timeout' END WHERE tenant_id = ? AND duration_ms IN (10, 50, 150)",
    )
      .bind(t.id)
      .run();

    const res = await health(t.key);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.windows).toEqual({
      "24h": { calls: 20, errors: 3, errorRate: 0.15, refused: 2, latencyMs: { p50: 100, p95: 190 } },
      // 25 calls: rank 13 is 130 ms, rank ceil(23.75) = 24 is 4000 ms.
      "7d": { calls: 25, errors: 4, errorRate: 0.16, refused: 3, latencyMs: { p50: 130, p95: 4000 } },
      // 30 calls: five 5 ms first, so rank 15 is 100 ms; rank ceil(28.5) = 29 is 4000 ms.
      "30d": { calls: 30, errors: 4, errorRate: 4 / 30, refused: 3, latencyMs: { p50: 100, p95: 4000 } },
    });
    // The newest success is the 10 ms one … which failed; so the 20 ms call, one minute older.
    expect(body.lastSuccessAt).toBe(new Date(now - HOUR - 60_000).toISOString());
    expect(body.lastFailure).toEqual({ at: new Date(now - HOUR).toISOString(), status: 503, error: "unavailable" });
    expect(body.connection).toEqual({ id: conn.id, status: "connected" });
    expect(body.breaker).toMatchObject({ provider: "stripe", connectionId: conn.id, state: "closed" });
  });

  it("shows the breaker as the provider gate holds it, and real calls through the simulator", async () => {
    const t = await syncTenant("hbr");
    const c = creds.stripe();
    const conn = await connectTo(t.key, "stripe", c, { breaker: { failureThreshold: 2, cooldownMs: 600_000 } });
    const job = await settled(
      t.key,
      "stripe",
      (
        await startSync(t.key, "stripe", {
          entity: "payments",
          direction: "push",
          params: { paymentIntent: await stripeIntent(c.secretKey, 500) },
        })
      ).id,
    );
    expect(job.status).toBe("succeeded");
    let body = await json(await health(t.key));
    expect(body.windows["24h"]).toMatchObject({ calls: 1, errors: 0, errorRate: 0, refused: 0 });
    expect(body.windows["24h"].latencyMs.p95).toBe(body.windows["24h"].latencyMs.p50);
    expect(Date.parse(body.lastSuccessAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.lastFailure).toBeNull();

    const settings = gateSettings({
      env,
      tenantId: t.id,
      connector: connectorOf("stripe")!,
      credentials: {},
      settings: { breaker: { failureThreshold: 2, cooldownMs: 600_000 } },
    });
    const gate = gateFor(env, t.id, "stripe");
    for (let i = 0; i < 2; i++) await gate.report({ ok: false, countsAsFailure: true }, settings);
    const text = await (await health(t.key)).text();
    body = JSON.parse(text);
    expect(body.breaker).toMatchObject({
      connectionId: conn.id,
      state: "open",
      consecutiveFailures: 2,
      nextProbeAt: expect.any(String),
    });
    for (const secret of Object.values(c)) expectNoSecret(text, secret);
  });

  it("a provider the tenant is not connected to: no connection, no breaker, empty windows", async () => {
    const t = await syncTenant("hnc");
    const body = await json(await health(t.key, "ips"));
    const empty = { calls: 0, errors: 0, errorRate: null, refused: 0, latencyMs: { p50: null, p95: null } };
    expect(body).toEqual({
      provider: "ips",
      connection: null,
      breaker: null,
      lastSuccessAt: null,
      lastFailure: null,
      windows: { "24h": empty, "7d": empty, "30d": empty },
    });
  });

  it("404 for a provider without a connector or not a provider id", async () => {
    const t = await syncTenant("hne");
    await expectProblem(await health(t.key, "nosuch"), 404);
    await expectProblem(await health(t.key, "Not%20One"), 404);
  });

  it("another tenant's figures never include ours; needs a credential with integrations:read", async () => {
    const t = await syncTenant("hsc");
    const rival = await syncTenant("hsr");
    await insertCalls(t.id, [{ at: Date.now() - HOUR, ms: 42, ok: false }]);
    for (const key of [rival.key, OTHER_INTEGRATIONS_ADMIN]) {
      const body = await json(await health(key));
      expect(body.windows["30d"].calls, key).toBe(0);
      expect(body.lastFailure).toBeNull();
    }
    expect((await json(await health(t.key))).windows["24h"]).toMatchObject({ calls: 1, errors: 1 });
    expect((await health(INTEGRATIONS_READER)).status).toBe(200);
    await expectProblem(await health(NO_SCOPES), 403);
    await expectProblem(await health(null), 401);
  });
});

describe("GET /v1/admin/integrations/costs", () => {
  // Leap-year February, far from the rows other tests write now.
  const at = (day: string, time = "12:00:00.000") => Date.parse(`${day}T${time}Z`);
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  const costs = (key: string | null, query: string) => direct(`/v1/admin/integrations/costs?${query}`, { key });

  beforeAll(async () => {
    a = await syncTenant("csa");
    b = await syncTenant("csb");
    await insertCalls(a.id, [
      { at: at("2024-02-27", "23:59:59.999"), units: 100 }, // the day before the range
      { at: at("2024-02-28", "00:00:00.000") }, // first instant of the range
      { at: at("2024-02-28") },
      { at: at("2024-02-28") },
      { at: at("2024-02-28"), ok: false, units: 1 }, // reached Stripe, failed: a call, not billed
      refused(at("2024-02-28")), // never sent
      { at: at("2024-02-29"), provider: "twilio", units: 2 },
      { at: at("2024-02-29", "23:59:59.999"), provider: "twilio", units: 3 },
      { at: at("2024-03-01", "00:00:00.000"), provider: "twilio", units: 50 }, // the day after the range
    ]);
    await insertCalls(b.id, [
      { at: at("2024-02-28"), units: 1 },
      { at: at("2024-02-29"), provider: "ips", units: 1 },
    ]);
  });

  const range = "from=2024-02-28&until=2024-02-29";

  it("platform operators see every tenant: calls and billable units per day, tenant and provider, and totals", async () => {
    const res = await costs(PLATFORM_ADMIN, range);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ from: "2024-02-28", until: "2024-02-29", tenant: null, nextCursor: null });
    // Ordered by day, tenant id, provider (the tenant ids are random, so their order is too).
    const order = (r: { day: string; tenant: string; provider: string }) => `${r.day}|${r.tenant}|${r.provider}`;
    const expected = [
      { day: "2024-02-28", tenant: a.id, provider: "stripe", calls: 4, units: 3 },
      { day: "2024-02-28", tenant: b.id, provider: "stripe", calls: 1, units: 1 },
      { day: "2024-02-29", tenant: b.id, provider: "ips", calls: 1, units: 1 },
      { day: "2024-02-29", tenant: a.id, provider: "twilio", calls: 2, units: 5 },
    ].sort((x, y) => (order(x) < order(y) ? -1 : 1));
    expect(body.data).toEqual(expected); // nothing else in this file writes calls on those days
    expect(body.byProvider).toEqual([
      { provider: "ips", calls: 1, units: 1 },
      { provider: "stripe", calls: 5, units: 4 },
      { provider: "twilio", calls: 2, units: 5 },
    ]);
    expect(body.totals).toEqual({ calls: 8, units: 10 });

    expect((await json(await costs(PLATFORM_ADMIN, `${range}&tenant=${b.id}`))).totals).toEqual({ calls: 2, units: 2 });
    const twilio = await json(await costs(PLATFORM_ADMIN, `${range}&provider=twilio`));
    expect([twilio.data, twilio.totals]).toEqual([
      [{ day: "2024-02-29", tenant: a.id, provider: "twilio", calls: 2, units: 5 }],
      { calls: 2, units: 5 },
    ]);
  });

  it("pages through the rows with a cursor; totals always cover the whole range", async () => {
    const all = (await json(await costs(PLATFORM_ADMIN, range))).data;
    const seen: unknown[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const body = await json(await costs(PLATFORM_ADMIN, `${range}&limit=1${cursor ? `&cursor=${cursor}` : ""}`));
      expect(body.totals).toEqual({ calls: 8, units: 10 });
      seen.push(...body.data);
      if (!body.nextCursor) break;
      cursor = body.nextCursor;
    }
    expect(seen).toEqual(all);
    expect(seen.length).toBe(4);
  });

  it("a tenant's own credential sees its own tenant only; naming another is 403", async () => {
    const own = await json(await costs(a.key, range));
    expect(own.tenant).toBe(a.id);
    expect(own.data.every((r: { tenant: string }) => r.tenant === a.id)).toBe(true);
    expect(own.totals).toEqual({ calls: 6, units: 8 });
    expect((await json(await costs(a.key, `${range}&tenant=${a.id}`))).totals).toEqual({ calls: 6, units: 8 });
    await expectProblem(await costs(a.key, `${range}&tenant=${b.id}`), 403);
    await expectProblem(await costs(OTHER_INTEGRATIONS_ADMIN, `${range}&tenant=${a.id}`), 403);
    expect((await json(await costs(OTHER_INTEGRATIONS_ADMIN, range))).totals).toEqual({ calls: 0, units: 0 });
    expect((await json(await costs(INTEGRATIONS_READER, range))).data).toEqual([]);
  });

  it("validates the range: dates, order, at most 366 days, the cursor", async () => {
    const until = await expectProblem(await costs(PLATFORM_ADMIN, "from=2024-03-01&until=2024-02-28"), 422);
    expect(until.errors).toEqual([{ location: "query", path: "until", message: "Must not be before `from`" }]);
    expect((await expectProblem(await costs(PLATFORM_ADMIN, "from=2023-01-01&until=2024-01-02"), 422)).errors![0]!.message).toBe(
      "At most 366 days from `from`",
    );
    expect((await costs(PLATFORM_ADMIN, "from=2024-01-01&until=2024-12-31")).status).toBe(200); // 366 days in a leap year
    expect((await costs(PLATFORM_ADMIN, "from=2023-01-01&until=2024-01-01")).status).toBe(200); // 366 days across years
    await expectProblem(await costs(PLATFORM_ADMIN, "from=2024-02-30&until=2024-03-01"), 422);
    await expectProblem(await costs(PLATFORM_ADMIN, "until=2024-03-01"), 422);
    await expectProblem(await costs(PLATFORM_ADMIN, `${range}&cursor=nonsense`), 422);
    await expectProblem(await costs(PLATFORM_ADMIN, `${range}&limit=0`), 422);
  });

  it("needs a credential with integrations:read or platform:admin", async () => {
    await expectProblem(await costs(null, range), 401);
    await expectProblem(await costs(NO_SCOPES, range), 403);
  });
});
