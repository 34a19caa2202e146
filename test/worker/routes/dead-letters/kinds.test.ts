// Dead letters hold webhook events and sync jobs. The dashboard lists each kind on its own page, and
// the bulk replay by time range re-queues webhook events only: a sync job's dead letter is replayed by
// retrying the job (POST /v1/integrations/{provider}/sync/retry), which keeps its idempotency keys.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../../../src/storage/db";
import { deadLetters, tenants, webhookEvents } from "../../../../src/storage/schema";
import { addKey, call, expectProblem, json, uniq } from "../../fixtures";

const TENANT = `dlk${uniq(6).toLowerCase()}`;
const ADMIN = `cg_test_${TENANT}_admin`;
const READER = `cg_test_${TENANT}_reader`;
const OTHER_WEBHOOKS = `cg_test_other_${TENANT}_webhooks`;
type Letter = { id: string; kind: string; eventId: string; provider: string; replayedAt: string | null };

const ids = { event: `whe_${uniq(20)}`, job: `job_${uniq(20)}` };
const failedAt = Date.now() - 60_000;

beforeAll(async () => {
  const database = db(env.DB);
  await database.insert(tenants).values({ id: TENANT, name: "Dead Letter City", timezone: "UTC" });
  await addKey(env, ADMIN, TENANT, ["webhooks:read", "webhooks:write"]);
  await addKey(env, READER, TENANT, ["webhooks:read"]);
  await addKey(env, OTHER_WEBHOOKS, "other", ["webhooks:read", "webhooks:write"]);
  const payload = JSON.stringify({ id: `evt_${uniq(12)}`, type: "customer.created", created: 1, data: { object: {} } });
  await database.insert(webhookEvents).values({
    id: ids.event,
    tenantId: TENANT,
    provider: "stripe",
    externalId: `evt_${uniq(12)}`,
    type: "customer.created",
    status: "dead",
    headers: {},
    url: "https://curbgate.test/",
    payload,
    attempts: 8,
    lastError: "boom",
    receivedAt: failedAt - 1000,
    updatedAt: failedAt,
  });
  await database.insert(deadLetters).values([
    {
      id: `dlq_${uniq(20)}`,
      tenantId: TENANT,
      kind: "webhook",
      refId: ids.event,
      provider: "stripe",
      attempts: 8,
      lastError: "boom",
      failedAt,
    },
    {
      id: `dlq_${uniq(20)}`,
      tenantId: TENANT,
      kind: "sync",
      refId: ids.job,
      provider: "stripe",
      attempts: 6,
      lastError: "stripe answered 503",
      failedAt,
    },
  ]);
});

const list = async (query: string, key = ADMIN) =>
  (await json<{ data: Letter[] }>(await call(`/v1/dead-letters${query}`, { key }))).data;

describe("dead letters by kind: happy", () => {
  it("lists both kinds, each saying what it is, and filters by kind", async () => {
    expect((await list("")).map((d) => d.kind).sort()).toEqual(["sync", "webhook"]);
    expect((await list("?kind=webhook")).map((d) => d.eventId)).toEqual([ids.event]);
    expect((await list("?kind=sync", READER)).map((d) => d.eventId)).toEqual([ids.job]);
  });

  it("the bulk replay takes the webhook event and leaves the sync job's letter for a sync retry", async () => {
    const res = await call("/v1/dead-letters/replay", { key: ADMIN, body: { since: new Date(failedAt - 5000).toISOString() } });
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ replayed: 1, eventIds: [ids.event] });
    expect((await list("?kind=webhook"))[0]!.replayedAt).not.toBeNull();
    expect((await list("?kind=sync"))[0]!.replayedAt).toBeNull();
  });
});

describe("dead letters by kind: error and security", () => {
  it("422 for an unknown kind", async () => {
    const p = await expectProblem(await call("/v1/dead-letters?kind=email", { key: ADMIN }), 422);
    expect(p.errors![0]!.path).toBe("kind");
  });

  it("another tenant sees none of them and cannot replay them; a reader may not replay", async () => {
    const seen = await list("?limit=200", OTHER_WEBHOOKS);
    expect(seen.map((d) => d.eventId)).not.toContain(ids.event);
    expect(seen.map((d) => d.eventId)).not.toContain(ids.job);
    const theirs = await json<{ eventIds: string[] }>(
      await call("/v1/dead-letters/replay", { key: OTHER_WEBHOOKS, body: { since: new Date(0).toISOString() } }),
    );
    expect(theirs.eventIds).not.toContain(ids.event);
    await expectProblem(await call("/v1/dead-letters/replay", { key: READER, body: { since: new Date(0).toISOString() } }), 403);
    await expectProblem(await call("/v1/dead-letters?kind=sync", { key: null }), 401);
  });
});
