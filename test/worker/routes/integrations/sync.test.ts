// The sync and monitoring routes: happy, error and security cases for each. Every tenant check is made
// twice: by a tenant that is not connected at all ("other"), and by one connected to the same provider
// with its own account (the attacker that has everything but the right tenant).
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../../src/storage/db";
import { deadLetters } from "../../../../src/storage/schema";
import { markJob } from "../../../../src/storage/sync-jobs";
import { gateFor } from "../../../../src/sync/call";
import {
  INTEGRATIONS_READER,
  NO_SCOPES,
  OTHER_INTEGRATIONS_ADMIN,
  call,
  expectProblem,
  json,
  seedIntegrationKeys,
} from "../../fixtures";
import {
  clearFaults,
  connectTo,
  consume,
  creds,
  jobFor,
  jobRow,
  message,
  setFaults,
  settled,
  stripeIntent,
  syncTenant,
  type Job,
} from "../../sync/fixtures";

type Tenant = { id: string; key: string };
let me: Tenant;
let rival: Tenant;
let stripeConnection: string;
const post = (path: string, key: string, body?: unknown) => call(path, { key, method: "POST", body });
const history = async (key: string, query = "") =>
  json<{ data: Job[]; nextCursor: string | null }>(await call(`/v1/integrations/stripe/sync/history${query}`, { key }));

beforeAll(async () => {
  await seedIntegrationKeys(env);
  me = await syncTenant("rts");
  rival = await syncTenant("rvl");
  stripeConnection = (await connectTo(me.key, "stripe", creds.stripe())).id;
  await connectTo(me.key, "twilio", creds.twilio());
  await connectTo(rival.key, "stripe", creds.stripe());
});

describe("POST /v1/integrations/{provider}/sync", () => {
  it("queues a job and answers 202 with it", async () => {
    const res = await post("/v1/integrations/stripe/sync", me.key, {
      entity: "payments",
      direction: "pull",
      priority: "high",
      since: "2026-01-01T00:00:00Z",
    });
    expect(res.status).toBe(202);
    const job = await json<Job & { priority: string; since: string }>(res);
    expect(job).toMatchObject({
      provider: "stripe",
      entity: "payments",
      direction: "pull",
      priority: "high",
      status: "queued",
      attempts: 0,
      since: "2026-01-01T00:00:00.000Z",
    });
    expect(res.headers.get("location")).toBe(`/v1/integrations/stripe/sync/status?jobId=${job.id}`);
    expect((await settled(me.key, "stripe", job.id)).status).toBe("succeeded");
  });

  it("404 for an unknown provider, 422 for an entity or direction it lacks, 409 when not connected", async () => {
    await expectProblem(await post("/v1/integrations/nosuch/sync", me.key, { entity: "x", direction: "pull" }), 404);
    const entity = await expectProblem(
      await post("/v1/integrations/stripe/sync", me.key, { entity: "invoices", direction: "pull" }),
      422,
    );
    expect(entity.errors).toEqual([{ location: "body", path: "entity", message: "One of: payments" }]);
    const direction = await expectProblem(
      await post("/v1/integrations/twilio/sync", me.key, { entity: "sms", direction: "pull" }),
      422,
    );
    expect(direction.errors![0]!.path).toBe("direction");
    expect(
      (
        await expectProblem(
          await post("/v1/integrations/stripe/sync", me.key, { entity: "payments", direction: "sideways" }),
          422,
        )
      ).errors![0]!.path,
    ).toBe("direction");
    await expectProblem(await post("/v1/integrations/ips/sync", me.key, { entity: "sessions", direction: "push" }), 409);
  });

  it("needs integrations:write, and a tenant's sync never touches another's connection", async () => {
    await expectProblem(
      await post("/v1/integrations/stripe/sync", INTEGRATIONS_READER, { entity: "payments", direction: "pull" }),
      403,
    );
    await expectProblem(
      await call("/v1/integrations/stripe/sync", { key: null, body: { entity: "payments", direction: "pull" } }),
      401,
    );
    await expectProblem(
      await post("/v1/integrations/stripe/sync", OTHER_INTEGRATIONS_ADMIN, { entity: "payments", direction: "pull" }),
      409,
    );
  });
});

describe("GET /v1/integrations/{provider}/sync/status", () => {
  it("counts jobs, names the last success and failure, shows the breaker and one job", async () => {
    const failed = await jobFor(me.id, "stripe", "payments", "pull");
    await markJob(db(env.DB), failed, { status: "failed", lastError: "stripe answered 401 to GET /v1/payment_intents" });
    const body = await json(await call(`/v1/integrations/stripe/sync/status?jobId=${failed.id}`, { key: me.key }));
    expect(body).toMatchObject({
      provider: "stripe",
      connected: true,
      job: { id: failed.id, status: "failed" },
      lastFailed: { id: failed.id },
      lastSucceeded: { status: "succeeded" },
    });
    expect(body.counts.failed).toBeGreaterThanOrEqual(1);
    expect(body.breaker).toMatchObject({
      provider: "stripe",
      connectionId: stripeConnection,
      state: "closed",
      settings: { failureThreshold: 5, cooldownMs: 30_000, rateLimitPerMinute: 1500 },
    });
  });

  it("another tenant sees no job of ours and counts nothing", async () => {
    const mine = await jobFor(me.id, "stripe", "payments", "pull");
    for (const key of [OTHER_INTEGRATIONS_ADMIN, rival.key])
      await expectProblem(await call(`/v1/integrations/stripe/sync/status?jobId=${mine.id}`, { key }), 404);
    const theirs = await json(await call("/v1/integrations/stripe/sync/status", { key: OTHER_INTEGRATIONS_ADMIN }));
    expect(theirs).toMatchObject({
      connected: false,
      breaker: null,
      lastSucceeded: null,
      lastFailed: null,
      counts: { queued: 0, running: 0, succeeded: 0, failed: 0, dead: 0, stopped: 0 },
    });
    await expectProblem(await call("/v1/integrations/nosuch/sync/status", { key: me.key }), 404);
    await expectProblem(await call("/v1/integrations/stripe/sync/status", { key: NO_SCOPES }), 403);
  });
});

describe("GET /v1/integrations/{provider}/sync/history", () => {
  it("pages newest first without skipping or repeating jobs made in the same millisecond", async () => {
    const t = await syncTenant("hst");
    await connectTo(t.key, "stripe", creds.stripe());
    const now = Date.now();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await jobFor(t.id, "stripe", "payments", "pull"));
    await env.DB.prepare("UPDATE sync_jobs SET created_at = ? WHERE tenant_id = ?").bind(now, t.id).run();
    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 5; page++) {
      const res = await history(t.key, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.data.map((j) => j.id));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    expect(seen).toEqual(
      made
        .map((j) => j.id)
        .sort()
        .reverse(),
    );
    expect((await history(t.key, "?status=succeeded")).data).toEqual([]);
    await expectProblem(await call("/v1/integrations/stripe/sync/history?cursor=nonsense", { key: t.key }), 422);
  });

  it("another tenant's history has none of ours", async () => {
    const mine = new Set((await history(me.key, "?limit=100")).data.map((j) => j.id));
    expect(mine.size).toBeGreaterThan(0);
    for (const key of [OTHER_INTEGRATIONS_ADMIN, rival.key])
      for (const j of (await history(key, "?limit=100")).data) expect(mine.has(j.id)).toBe(false);
  });
});

describe("POST /v1/integrations/{provider}/sync/retry", () => {
  it("queues failed and dead jobs again (or only the listed ones), and marks their dead letters replayed", async () => {
    const t = await syncTenant("rtr");
    await connectTo(t.key, "stripe", creds.stripe());
    const [failed, dead, done] = [
      await jobFor(t.id, "stripe", "payments", "pull"),
      await jobFor(t.id, "stripe", "payments", "pull"),
      await jobFor(t.id, "stripe", "payments", "pull"),
    ];
    await markJob(db(env.DB), failed, { status: "failed", lastError: "boom" });
    await markJob(db(env.DB), dead, { status: "dead", lastError: "boom" });
    await markJob(db(env.DB), done, { status: "succeeded" });
    await db(env.DB)
      .insert(deadLetters)
      .values({
        id: `dlq_${dead.id}`,
        tenantId: t.id,
        kind: "sync",
        refId: dead.id,
        provider: "stripe",
        attempts: 6,
        lastError: "boom",
        failedAt: Date.now(),
      });

    const only = await json(await post("/v1/integrations/stripe/sync/retry", t.key, { jobIds: [dead.id] }));
    expect(only).toMatchObject({ requeued: 1, jobs: [{ id: dead.id, status: "queued" }] });
    const letter = await env.DB.prepare("SELECT replayed_at FROM dead_letters WHERE ref_id = ?")
      .bind(dead.id)
      .first<{ replayed_at: number | null }>();
    expect(letter!.replayed_at).not.toBeNull();
    const rest = await json(await post("/v1/integrations/stripe/sync/retry", t.key));
    expect(rest.jobs.map((j: Job) => j.id)).toEqual([failed.id]);
    for (const j of [failed, dead]) expect((await settled(t.key, "stripe", j.id)).status).toBe("succeeded");
    expect((await jobRow(t.id, done.id))?.status).toBe("succeeded");
  });

  it("another tenant cannot retry our jobs; errors are 404, 409, 403", async () => {
    const mine = await jobFor(me.id, "stripe", "payments", "pull");
    await markJob(db(env.DB), mine, { status: "failed", lastError: "boom" });
    expect(await json(await post("/v1/integrations/stripe/sync/retry", rival.key, { jobIds: [mine.id] }))).toEqual({
      requeued: 0,
      jobs: [],
    });
    await expectProblem(await post("/v1/integrations/stripe/sync/retry", OTHER_INTEGRATIONS_ADMIN, { jobIds: [mine.id] }), 409);
    expect((await jobRow(me.id, mine.id))?.status).toBe("failed");
    await expectProblem(await post("/v1/integrations/nosuch/sync/retry", me.key), 404);
    await expectProblem(await post("/v1/integrations/stripe/sync/retry", INTEGRATIONS_READER), 403);
    await expectProblem(await post("/v1/integrations/stripe/sync/retry", me.key, { jobIds: ["not-a-job"] }), 422);
  });
});

describe("POST /v1/integrations/{provider}/sync/stop", () => {
  it("stops queued jobs, which the consumer then drops", async () => {
    const t = await syncTenant("stp");
    await connectTo(t.key, "stripe", creds.stripe());
    const a = await jobFor(t.id, "stripe", "payments", "pull");
    const b = await jobFor(t.id, "stripe", "payments", "pull");
    expect(await json(await post("/v1/integrations/stripe/sync/stop", t.key, { jobIds: [a.id] }))).toMatchObject({
      stopped: 1,
      jobs: [{ id: a.id, status: "stopped" }],
    });
    expect((await json(await post("/v1/integrations/stripe/sync/stop", t.key))).stopped).toBe(1);
    const { acked } = await consume([
      { body: message(t.id, "stripe", a.id), attempts: 1 },
      { body: message(t.id, "stripe", b.id), attempts: 1 },
    ]);
    expect(acked).toEqual([0, 1]);
    for (const j of [a, b]) expect(await jobRow(t.id, j.id)).toMatchObject({ status: "stopped", attempts: 0 });
  });

  it("a job stopped during a failing attempt is not retried", async () => {
    const t = await syncTenant("stq");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    const job = await jobFor(t.id, "stripe", "payments", "push", { paymentIntent: await stripeIntent(c.secretKey, 500) });
    await setFaults("stripe", { failNext: 1, status: 500, latencyMs: 300 });
    const running = consume([{ body: message(t.id, "stripe", job.id), attempts: 1 }]);
    await new Promise((r) => setTimeout(r, 150));
    expect((await json(await post("/v1/integrations/stripe/sync/stop", t.key, { jobIds: [job.id] }))).stopped).toBe(1);
    const { acked, retried } = await running;
    await clearFaults("stripe");
    expect([acked, retried]).toEqual([[0], []]);
    expect((await jobRow(t.id, job.id))?.status).toBe("stopped");
  });

  it("another tenant cannot stop our jobs", async () => {
    const mine = await jobFor(me.id, "stripe", "payments", "pull");
    for (const key of [OTHER_INTEGRATIONS_ADMIN, rival.key])
      expect((await json(await post("/v1/integrations/stripe/sync/stop", key, { jobIds: [mine.id] }))).stopped).toBe(0);
    expect((await jobRow(me.id, mine.id))?.status).toBe("queued");
    await markJob(db(env.DB), mine, { status: "stopped" });
    await expectProblem(await post("/v1/integrations/stripe/sync/stop", INTEGRATIONS_READER), 403);
    await expectProblem(await post("/v1/integrations/nosuch/sync/stop", me.key), 404);
  });
});

describe("circuit breakers", () => {
  const open = async (tenantId: string) => {
    const settings = { failureThreshold: 5, cooldownMs: 30_000, rateLimitPerMinute: 1500 };
    for (let i = 0; i < 5; i++) await gateFor(env, tenantId, "stripe").report({ ok: false, countsAsFailure: true }, settings);
  };

  it("lists each connected provider that has a connector, with its state", async () => {
    await open(me.id);
    const { data } = await json(await call("/v1/monitoring/circuit-breakers", { key: me.key }));
    expect(data.map((b: { provider: string }) => b.provider)).toEqual(["stripe", "twilio"]); // only what this tenant connected
    expect(data[0]).toMatchObject({
      state: "open",
      consecutiveFailures: 5,
      nextProbeAt: expect.any(String),
      connectionId: stripeConnection,
    });
  });

  it("resets an open breaker; another tenant can neither see nor reset it", async () => {
    await open(me.id);
    for (const b of (await json(await call("/v1/monitoring/circuit-breakers", { key: rival.key }))).data)
      expect(b.state).toBe("closed");
    expect(
      (await json(await call("/v1/monitoring/circuit-breakers", { key: OTHER_INTEGRATIONS_ADMIN }))).data.map(
        (b: any) => b.connectionId,
      ),
    ).not.toContain(stripeConnection);
    await expectProblem(await post("/v1/monitoring/circuit-breakers/stripe/reset", OTHER_INTEGRATIONS_ADMIN), 404);
    await post("/v1/monitoring/circuit-breakers/stripe/reset", rival.key);
    expect((await json(await call("/v1/integrations/stripe/sync/status", { key: me.key }))).breaker.state).toBe("open");

    const reset = await json(await post("/v1/monitoring/circuit-breakers/stripe/reset", me.key));
    expect(reset).toMatchObject({ provider: "stripe", state: "closed", consecutiveFailures: 0, nextProbeAt: null });
    await expectProblem(await post("/v1/monitoring/circuit-breakers/ips/reset", me.key), 404);
    await expectProblem(await post("/v1/monitoring/circuit-breakers/nosuch/reset", me.key), 404);
    await expectProblem(await post("/v1/monitoring/circuit-breakers/stripe/reset", INTEGRATIONS_READER), 403);
    await expectProblem(await call("/v1/monitoring/circuit-breakers", { key: NO_SCOPES }), 403);
  });
});

describe("POST /v1/integrations/connections/{id}/test", () => {
  it("404 for another tenant's connection or an unknown one; 403 without write", async () => {
    for (const key of [OTHER_INTEGRATIONS_ADMIN, rival.key])
      await expectProblem(await post(`/v1/integrations/connections/${stripeConnection}/test`, key), 404);
    await expectProblem(await post("/v1/integrations/connections/con_AAAAAAAAAAAAAAAAAAAA/test", me.key), 404);
    await expectProblem(await post(`/v1/integrations/connections/${stripeConnection}/test`, INTEGRATIONS_READER), 403);
    const ok = await json(await post(`/v1/integrations/connections/${stripeConnection}/test`, me.key));
    expect(ok).toMatchObject({ ok: true, provider: "stripe" });
  });
});
