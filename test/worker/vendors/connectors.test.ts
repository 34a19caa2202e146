// Each connector against the provider simulator, through the real route, queue consumer, gate and
// call log: Stripe payments (pull with pagination, push a refund), Twilio SMS, IPS active sessions.
// Then what goes wrong: a refused credential fails the job without retrying, 429 and 503 delay it by
// exactly their Retry-After, a 5xx storm is retried with backoff until every refund is applied once.
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { call, createZone, drainZone, expectNoSecret, flatZone, json, newPlate, openSession } from "../fixtures";
import {
  clearFaults,
  connectTo,
  consume,
  creds,
  drain,
  jobFor,
  jobRow,
  lastSeq,
  message,
  resetSimulator,
  setFaults,
  settled,
  sim,
  simCalls,
  simEffects,
  startSync,
  stripeIntent,
  syncTenant,
} from "../sync/fixtures";

const fast: Bindings = { ...env, SYNC_RETRY_BASE_SECONDS: "1", SYNC_MAX_ATTEMPTS: "40" };
const callRows = (tenantId: string) =>
  env.DB.prepare("SELECT * FROM integration_calls WHERE tenant_id = ? ORDER BY at").bind(tenantId).all<{
    path: string;
    status: number | null;
    ok: number;
    error: string | null;
    units: number;
    idempotency_key: string | null;
    job_id: string | null;
  }>();

beforeAll(async () => {
  await resetSimulator();
});
beforeEach(async () => {
  await Promise.all(["stripe", "twilio", "ips"].map(clearFaults));
});

describe("Stripe payments", () => {
  it("pulls every payment intent through Stripe's pagination", async () => {
    const t = await syncTenant("stp");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    for (let i = 0; i < 24; i++) await stripeIntent(c.secretKey, 100 + i);
    await stripeIntent(c.secretKey, 999, false); // created, never paid
    const before = await lastSeq();
    const job = await settled(
      t.key,
      "stripe",
      (await startSync(t.key, "stripe", { entity: "payments", direction: "pull", params: { pageSize: 10 } })).id,
    );
    expect(job.status).toBe("succeeded");
    const sumPaid = Array.from({ length: 24 }, (_, i) => 100 + i).reduce((a, b) => a + b, 0);
    expect(job.result).toEqual({
      records: 25,
      detail: { pages: 3, succeeded: 24, receivedCents: { usd: sumPaid }, complete: true },
    });
    const pages = await simCalls("stripe", before);
    expect(pages.map((p) => p.query.includes("starting_after="))).toEqual([false, true, true]);

    const future = await settled(
      t.key,
      "stripe",
      (
        await startSync(t.key, "stripe", {
          entity: "payments",
          direction: "pull",
          since: new Date(Date.now() + 3_600_000).toISOString(),
        })
      ).id,
    );
    expect(future.result).toMatchObject({ records: 0, detail: { pages: 1 } });
  });

  it("pushes a refund with the job's idempotency key; the refund is applied once", async () => {
    const t = await syncTenant("str");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    const pi = await stripeIntent(c.secretKey, 800);
    const job = await settled(
      t.key,
      "stripe",
      (
        await startSync(t.key, "stripe", {
          entity: "payments",
          direction: "push",
          params: { paymentIntent: pi, amount: 250, reason: "requested_by_customer" },
        })
      ).id,
    );
    expect(job).toMatchObject({
      status: "succeeded",
      attempts: 1,
      result: { records: 1, detail: { status: "succeeded", amountCents: 250, paymentIntent: pi } },
    });
    const effects = (await simEffects("stripe")).filter((e) => e.idempotencyKey === `${job.id}:refund`);
    expect(effects).toEqual([expect.objectContaining({ path: "/v1/refunds", objectId: job.result.detail.refundId, replays: 0 })]);
    const rows = (await callRows(t.id)).results;
    expect(rows.map((r) => [r.path, r.status, r.idempotency_key, r.job_id])).toEqual([
      ["/v1/refunds", 200, `${job.id}:refund`, job.id],
    ]);
  });

  it("fails a job with bad params at once, without calling Stripe", async () => {
    const t = await syncTenant("stb");
    await connectTo(t.key, "stripe", creds.stripe());
    const job = await settled(
      t.key,
      "stripe",
      (await startSync(t.key, "stripe", { entity: "payments", direction: "push", params: { paymentIntent: "ch_not_an_intent" } }))
        .id,
    );
    expect(job).toMatchObject({ status: "failed", attempts: 1, lastError: "invalid params: paymentIntent is not valid" });
    expect((await callRows(t.id)).results).toEqual([]);
  });
});

describe("Twilio SMS", () => {
  it("sends the message and bills its segments", async () => {
    const t = await syncTenant("twl");
    const c = creds.twilio();
    await connectTo(t.key, "twilio", c);
    const short = await settled(
      t.key,
      "twilio",
      (
        await startSync(t.key, "twilio", {
          entity: "sms",
          direction: "push",
          params: { to: "+12035550123", body: "Your parking in A1 ends in 10 minutes." },
        })
      ).id,
    );
    expect(short).toMatchObject({ status: "succeeded", result: { records: 1, detail: { status: "queued", segments: 1 } } });
    expect(short.result.detail.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
    const long = await settled(
      t.key,
      "twilio",
      (
        await startSync(t.key, "twilio", {
          entity: "sms",
          direction: "push",
          params: { to: "+12035550123", body: "x".repeat(200) },
        })
      ).id,
    );
    expect(long.result.detail.segments).toBe(2);
    const rows = (await callRows(t.id)).results;
    expect(rows.map((r) => [r.path, r.status, r.units])).toEqual([
      [`/2010-04-01/Accounts/${c.accountSid}/Messages.json`, 201, 1],
      [`/2010-04-01/Accounts/${c.accountSid}/Messages.json`, 201, 2],
    ]);
    expect((await simEffects("twilio")).map((e) => e.objectId)).toEqual(expect.arrayContaining([short.result.detail.messageSid]));
  });
});

describe("IPS active sessions", () => {
  it("pushes the tenant's active sessions from D1, and only those", async () => {
    const t = await syncTenant("ips");
    const c = creds.ips();
    await connectTo(t.key, "ips", c);
    const zone = await createZone(flatZone(), t.key);
    const plates = [newPlate(), newPlate(), newPlate()];
    const sessions: Awaited<ReturnType<typeof openSession>>[] = [];
    for (const plate of plates) sessions.push(await openSession({ plate, state: "CT", zone: zone.code, minutes: 60 }, t.key));
    await drainZone(env, zone.code, t.id);
    // Already over, and ended: neither is active.
    await env.DB.prepare(
      "INSERT INTO parking_sessions (id, tenant_id, zone, plate, state, start_at, end_at, paid_minutes, amount_cents, status, version, created_at, updated_at) VALUES (?, ?, ?, 'OLD1', 'CT', 0, 1000, 15, 60, 'active', 1, 0, 0), (?, ?, ?, 'OLD2', 'CT', 0, 9999999999999, 15, 60, 'ended', 1, 0, 0)",
    )
      .bind(`ses_old_${t.id}`, t.id, zone.code, `ses_end_${t.id}`, t.id, zone.code)
      .run();

    const job = await settled(t.key, "ips", (await startSync(t.key, "ips", { entity: "sessions", direction: "push" })).id);
    expect(job).toMatchObject({
      status: "succeeded",
      result: { records: 3, detail: { batches: 1, created: 3, updated: 0, active: 3 } },
    });
    const held = await sim(`/ips/smartcity/v2/sessions?zoneNumber=${zone.code}`, {
      headers: { authorization: `ApiKey ${c.apiKey}` },
    });
    expect(held.body.data.map((s: any) => s.licensePlate).sort()).toEqual([...plates].sort());
    expect(held.body.data.find((s: any) => s.id === sessions[0]!.id)).toMatchObject({
      state: "CT",
      amountCents: sessions[0]!.amountCents,
      startTime: sessions[0]!.startTime,
    });

    const again = await settled(
      t.key,
      "ips",
      (await startSync(t.key, "ips", { entity: "sessions", direction: "push", params: { zones: [zone.code] } })).id,
    );
    expect(again.result).toMatchObject({ records: 3, detail: { created: 0, updated: 3 } });
  });
});

describe("connection test", () => {
  it("makes one authenticated call per provider and reports what the provider said", async () => {
    const t = await syncTenant("tst");
    for (const [provider, expected] of [
      ["stripe", { livemode: false, currencies: ["usd"] }],
      ["twilio", { accountStatus: "active" }],
      ["ips", { environment: "sandbox", clientId: "test-parking-001" }],
    ] as const) {
      const conn = await connectTo(t.key, provider, creds[provider]());
      const res = await json(await call(`/v1/integrations/connections/${conn.id}/test`, { key: t.key, method: "POST" }));
      expect(res).toMatchObject({ connectionId: conn.id, provider, ok: true, error: null, detail: expected });
    }
  });

  it("reports a refused credential as ok: false with the provider's status", async () => {
    const t = await syncTenant("tsf");
    const conn = await connectTo(t.key, "stripe", { secretKey: "pk_test_publishableNotSecret", webhookSecret: "whsec_x" });
    const res = await json(await call(`/v1/integrations/connections/${conn.id}/test`, { key: t.key, method: "POST" }));
    expect(res).toMatchObject({ ok: false, detail: null, error: { kind: "auth", status: 401 } });
  });
});

describe("when the provider says no", () => {
  it("a refused credential (401) fails the job at once: acked, not retried", async () => {
    const t = await syncTenant("auf");
    await connectTo(t.key, "stripe", { secretKey: "pk_test_publishableNotSecret", webhookSecret: "whsec_x" });
    const job = await jobFor(t.id, "stripe", "payments", "pull");
    const { acked, retried } = await consume([{ body: message(t.id, "stripe", job.id), attempts: 1 }]);
    expect(acked).toEqual([0]);
    expect(retried).toEqual([]);
    expect(await jobRow(t.id, job.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "stripe answered 401 to GET /v1/payment_intents",
    });
    // The route path and the live consumer agree.
    const viaRoute = await settled(
      t.key,
      "stripe",
      (await startSync(t.key, "stripe", { entity: "payments", direction: "pull" })).id,
    );
    expect(viaRoute).toMatchObject({ status: "failed", attempts: 1 });
  });

  for (const status of [429, 503]) {
    it(`${status} with Retry-After delays the job by exactly that long; the pause holds every call until then`, async () => {
      const t = await syncTenant(`r${status}`);
      const c = creds.stripe();
      await connectTo(t.key, "stripe", c);
      const pi = await stripeIntent(c.secretKey, 600);
      await setFaults("stripe", { failNext: 1, status, retryAfterSeconds: 7 });
      const job = await jobFor(t.id, "stripe", "payments", "push", { paymentIntent: pi });
      const body = message(t.id, "stripe", job.id);
      const before = await lastSeq();

      expect((await consume([{ body, attempts: 1 }])).retried).toEqual([{ index: 0, delaySeconds: 7 }]);
      expect(await jobRow(t.id, job.id)).toMatchObject({
        status: "queued",
        lastError: `stripe answered ${status} to POST /v1/refunds`,
      });
      // Delivered early, it is held by the gate, not sent: the provider asked for 7 s.
      const early = await consume([{ body, attempts: 2 }]);
      expect(early.retried[0]!.delaySeconds).toBeGreaterThanOrEqual(6);
      expect((await simCalls("stripe", before)).length).toBe(1);

      const breaker = await json(await call("/v1/monitoring/circuit-breakers", { key: t.key }));
      expect(breaker.data[0]).toMatchObject({ provider: "stripe", state: "closed", pausedUntil: expect.any(String) });
      // An operator who knows better lifts the pause; the next delivery goes through, once.
      expect((await call("/v1/monitoring/circuit-breakers/stripe/reset", { key: t.key, method: "POST" })).status).toBe(200);
      expect((await consume([{ body, attempts: 3 }])).acked).toEqual([0]);
      expect(await jobRow(t.id, job.id)).toMatchObject({ status: "succeeded" });
      const effects = (await simEffects("stripe")).filter((e) => e.idempotencyKey === `${job.id}:refund`);
      expect(effects.length).toBe(1);
    });
  }

  it("a 5xx storm: every refund job completes, each refund applied once, retries backing off", async () => {
    const t = await syncTenant("sto");
    const c = creds.stripe();
    // A breaker that never opens, so this measures retries alone (the outage test covers the breaker).
    await connectTo(t.key, "stripe", c, { breaker: { failureThreshold: 1000, cooldownMs: 1000 } });
    const jobs = [];
    for (let i = 0; i < 12; i++)
      jobs.push(
        await jobFor(t.id, "stripe", "payments", "push", {
          paymentIntent: await stripeIntent(c.secretKey, 500 + i),
          amount: 100,
        }),
      );
    const before = await lastSeq();
    await setFaults("stripe", { failRate: 0.5, status: 502 });
    const delays = await drain(
      jobs.map((j) => message(t.id, "stripe", j.id)),
      { consumerEnv: fast, realTime: false },
    );
    await clearFaults("stripe");

    const calls = (await simCalls("stripe", before)).filter((x) => x.path === "/v1/refunds");
    const failed = calls.filter((x) => x.status === 502).length;
    expect(failed).toBeGreaterThan(0);
    expect(calls.length).toBe(failed + jobs.length);
    expect(delays.length).toBe(failed);
    expect(delays.every((d) => d.delaySeconds >= 1)).toBe(true);
    for (const j of jobs) {
      const row = await jobRow(t.id, j.id);
      expect(row?.status).toBe("succeeded");
      const effects = (await simEffects("stripe")).filter((e) => e.idempotencyKey === `${j.id}:refund`);
      expect(effects.length).toBe(1);
      expect(effects[0]!.objectId).toBe((row!.result as any).detail.refundId);
    }
    const logged = (await callRows(t.id)).results;
    expect(logged.filter((r) => r.status === 502).length).toBe(failed);
    expect(logged.filter((r) => r.ok).length).toBe(jobs.length);
  });
});

describe("secrets", () => {
  it("no credential appears in a sync response, the call log, the job rows or the audit log", async () => {
    const t = await syncTenant("sec");
    const secrets = { stripe: creds.stripe(), twilio: creds.twilio(), ips: creds.ips() };
    const texts: string[] = [];
    for (const [provider, c] of Object.entries(secrets)) {
      const conn = await connectTo(t.key, provider, c);
      texts.push(await (await call(`/v1/integrations/connections/${conn.id}/test`, { key: t.key, method: "POST" })).text());
    }
    const pi = await stripeIntent(secrets.stripe.secretKey, 700);
    const jobs = [
      await startSync(t.key, "stripe", { entity: "payments", direction: "push", params: { paymentIntent: pi } }),
      await startSync(t.key, "twilio", { entity: "sms", direction: "push", params: { to: "+12035550199", body: "hello" } }),
      await startSync(t.key, "ips", { entity: "sessions", direction: "push" }),
    ];
    for (const [i, p] of (["stripe", "twilio", "ips"] as const).entries()) await settled(t.key, p, jobs[i]!.id);
    for (const p of ["stripe", "twilio", "ips"]) {
      texts.push(await (await call(`/v1/integrations/${p}/sync/status`, { key: t.key })).text());
      texts.push(await (await call(`/v1/integrations/${p}/sync/history`, { key: t.key })).text());
    }
    texts.push(await (await call("/v1/monitoring/circuit-breakers", { key: t.key })).text());
    for (const table of ["integration_calls", "sync_jobs", "audit_log"])
      texts.push(JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ?`).bind(t.id).all()).results));
    texts.push(JSON.stringify((await sim("/_control/calls?limit=10000")).body));
    const all = texts.join("\n");
    for (const c of Object.values(secrets))
      for (const [name, value] of Object.entries(c))
        if (!["clientId", "fromNumber", "accountSid"].includes(name)) expectNoSecret(all, value, name);
  });
});
