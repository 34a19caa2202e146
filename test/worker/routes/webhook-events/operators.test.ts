// Operator routes over received webhooks (issue 3, item 5): search events, read one (payload, masked
// headers, attempts, errors, effect), replay one, list and replay dead letters, and the monitoring
// summary. Happy, error and security cases for each. Everything happens in a tenant of its own
// ("ops"), so counts are exact; "other" and "demo" are the tenants that must never see it.
// Stripe deliveries go through the live queue and consumer; Paystack and Teller inboxes hand their
// events to a captured queue, so the test drives the consumer itself (failures, dead letters).
import * as cloudflareTest from "cloudflare:test";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { handleDeadLetterBatch } from "../../../../queues/dead-letters";
import type { DeadLetterMessage, WebhookMessage } from "../../../../src/webhooks/message";
import { handleWebhookBatch } from "../../../../queues/webhooks";
import worker from "../../../../src";
import type { Bindings } from "../../../../src/env";
import { db } from "../../../../src/storage/db";
import { tenants } from "../../../../src/storage/schema";
import type { ProcessEvent } from "../../../../src/webhooks/process";
import {
  INTEGRATIONS_READER,
  NO_SCOPES,
  PLATFORM_ADMIN,
  addKey,
  expectNoSecret,
  expectProblem,
  flushInboxes,
  seedIntegrationKeys,
  uniq,
} from "../../fixtures";
import * as d from "../../webhooks/deliveries";

const TENANT = "ops";
const OPS_ADMIN = "cg_test_ops_webhooks_admin";
const OPS_READER = "cg_test_ops_webhooks_reader"; // webhooks:read only
const OTHER_WEBHOOKS = "cg_test_other_webhooks_admin"; // every webhooks right, on tenant "other"
const QUIET_READER = "cg_test_ops_quiet_reader"; // webhooks:read on a tenant that never received anything
const BUSY_READER = "cg_test_ops_busy_reader"; // webhooks:read on a tenant with a day of heavy traffic
const STRIPE_SECRET = `whsec_${uniq(32)}`;
const PAYSTACK_SECRET = `sk_test_${uniq(32)}`;
const TELLER_SECRET = `teller_wh_${uniq(24)}`;
const CAPTURED = ["paystack", "teller"] as const;

type Summary = {
  id: string;
  provider: string;
  externalId: string;
  type: string;
  status: string;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  processedAt: string | null;
};
type Detail = Summary & {
  headers: Record<string, string>;
  url: string | null;
  payload: string | null;
  effect: any;
  attemptLog: { attempt: number; ok: boolean; error: string | null; startedAt: string; durationMs: number }[];
};
type Letter = {
  id: string;
  eventId: string;
  provider: string;
  attempts: number;
  lastError: string | null;
  failedAt: string;
  replayedAt: string | null;
};
type Monitor = {
  byProvider: Record<string, Record<string, number>>;
  backlog: number;
  deadLetters: number;
  receiptToEffectMs: { p50: number | null; p95: number | null; samples: number };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString();

/** Through the worker's own fetch handler (the pool's loopback slows down under many requests). */
async function api(path: string, o: { key?: string | null; body?: unknown; method?: string } = {}) {
  const headers: Record<string, string> = {};
  if (o.key) headers.authorization = `Bearer ${o.key}`;
  if (o.body !== undefined) headers["content-type"] = "application/json";
  const body = o.body === undefined ? undefined : typeof o.body === "string" ? o.body : JSON.stringify(o.body);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${d.ORIGIN}${path}`, { method: o.method ?? (body === undefined ? "GET" : "POST"), headers, body }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
async function ok<T = any>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}
const events = async (query = "", key = OPS_ADMIN) =>
  (await ok<{ data: Summary[] }>(await api(`/v1/webhook-events${query}`, { key }))).data;
const detail = async (id: string, key = OPS_ADMIN) => ok<Detail>(await api(`/v1/webhook-events/${id}`, { key }));
const letters = async (query = "", key = OPS_ADMIN) =>
  (await ok<{ data: Letter[] }>(await api(`/v1/dead-letters${query}`, { key }))).data;
const monitoring = async (key = OPS_ADMIN) => ok<Monitor>(await api("/v1/monitoring/webhooks", { key }));

/** Polls `read` until `done` holds, for at most `timeoutMs`; the live consumer runs on its own time. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: unknown;
    try {
      const value = await read();
      if (done(value)) return value;
      last = value;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await sleep(50);
  }
}
const settled = (id: string) =>
  until(
    () => detail(id),
    (e) => e.status === "processed" || e.status === "unhandled",
  );

// ---- Deliveries and the captured queue ----

const captured: WebhookMessage[] = [];
const capturedQueue = {
  async send(body: WebhookMessage) {
    captured.push(structuredClone(body));
  },
  async sendBatch(items: { body: WebhookMessage }[]) {
    for (const i of items) captured.push(structuredClone(i.body));
  },
};
function takeCaptured(eventId: string): WebhookMessage {
  const m = captured.find((c) => c.eventId === eventId);
  if (!m) throw new Error(`event ${eventId} never reached the captured queue`);
  return m;
}

type Sent = { id: string; body: string; headers: Record<string, string> };
async function deliver(provider: string, body: string, sign: d.Signer, secret: string): Promise<Sent> {
  const url = `${d.ORIGIN}/v1/webhooks/${TENANT}/${provider}`;
  const headers = await sign(secret, body, url);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const ack = await ok<{ id: string; duplicate: boolean }>(res);
  expect(ack.duplicate).toBe(false);
  await flushInboxes(env, TENANT, provider); // received row written, message captured
  return { id: ack.id, body, headers };
}
const stripePayment = (pi = `pi_${uniq(24)}`, amount = 1234) =>
  deliver(
    "stripe",
    d.stripeEvent("payment_intent.succeeded", d.paymentIntent({ id: pi, amount, fee: 34 })),
    d.signStripe,
    STRIPE_SECRET,
  );
const stripeCustomer = () =>
  deliver(
    "stripe",
    d.stripeEvent("customer.created", { id: `cus_${uniq(14)}`, object: "customer" }),
    d.signStripe,
    STRIPE_SECRET,
  );
let serial = 0; // Paystack's dedupe key is the transaction id: one per delivery
const paystackCharge = (reference = `T${uniq(15)}`, amount = 700) =>
  deliver(
    "paystack",
    d.paystackEvent("charge.success", {
      id: 5_000_000_000 + ++serial,
      reference,
      amount,
      currency: "USD",
      fees: 25,
      status: "success",
      paid_at: new Date().toISOString(),
    }),
    d.signPaystack,
    PAYSTACK_SECRET,
  );
const tellerPayment = (txn = `teller_txn_${uniq(8)}`) =>
  deliver(
    "teller",
    d.vendorEvent("payment.completed", {
      paymentId: `pay_${uniq(8)}`,
      tellerTransactionId: txn,
      status: "COMPLETED",
      amount: 500,
      netAmount: 485,
      processingFee: 15,
      metadata: {},
    }),
    d.signParkingVendor("Teller"),
    TELLER_SECRET,
  );

/** Runs the real consumer over captured messages; its dead-letter queue is captured too. */
async function consume(
  items: { message: WebhookMessage; attempts: number }[],
  o: { process?: ProcessEvent; maxAttempts?: string } = {},
) {
  const dlq: DeadLetterMessage[] = [];
  const dlqQueue = {
    async send(body: DeadLetterMessage) {
      dlq.push(structuredClone(body));
    },
  };
  const consumerEnv: Bindings = {
    ...env,
    WEBHOOK_DLQ: dlqQueue as unknown as Queue<DeadLetterMessage>,
    ...(o.maxAttempts ? { WEBHOOK_MAX_ATTEMPTS: o.maxAttempts } : {}),
  };
  const batch = createMessageBatch<WebhookMessage>(
    "curbgate-webhooks",
    items.map((p, k) => ({ id: `m${k}`, timestamp: new Date(), body: p.message, attempts: p.attempts })),
  );
  const ctx = createExecutionContext();
  await handleWebhookBatch(batch, consumerEnv, { process: o.process });
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks, retried: result.retryMessages.map((r: { msgId: string }) => r.msgId), dead: dlq };
}
const failing =
  (error: string): ProcessEvent =>
  async () => {
    throw new Error(error);
  };

/** A captured delivery driven to a dead letter: one allowed attempt, a processor that always fails. */
async function killed(sent: Sent, error: string): Promise<DeadLetterMessage> {
  const { dead } = await consume([{ message: takeCaptured(sent.id), attempts: 1 }], {
    process: failing(error),
    maxAttempts: "1",
  });
  expect(dead).toHaveLength(1);
  return dead[0]!;
}
async function recordLetters(dead: DeadLetterMessage[]) {
  const batch = createMessageBatch<DeadLetterMessage>(
    "curbgate-webhooks-dlq",
    dead.map((body, k) => ({ id: `d${k}`, timestamp: new Date(), body, attempts: 1 })),
  );
  const ctx = createExecutionContext();
  await handleDeadLetterBatch(batch, env);
  expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(dead.length);
}

const paymentRows = (provider: string, txn: string) =>
  env.DB.prepare(
    "SELECT id, amount_cents AS amount FROM payments WHERE tenant_id = ? AND provider = ? AND provider_transaction_id = ?",
  )
    .bind(TENANT, provider, txn)
    .all<{ id: string; amount: number }>()
    .then((r) => r.results);

/** Throws if any `window`-character piece of `value` appears in `text` (the mask keeps only 4). */
function expectNoPieceOf(text: string, value: string, window = 12) {
  for (let i = 0; i + window <= value.length; i++)
    if (text.includes(value.slice(i, i + window))) throw new Error(`response contains part of ${value.slice(0, 4)}…`);
}

beforeAll(async () => {
  await db(env.DB).insert(tenants).values({ id: TENANT, name: "Ops City", timezone: "UTC" }).onConflictDoNothing();
  await seedIntegrationKeys(env);
  await addKey(env, OPS_ADMIN, TENANT, ["integrations:read", "integrations:write", "webhooks:read", "webhooks:write"]);
  await addKey(env, OPS_READER, TENANT, ["webhooks:read"]);
  await addKey(env, OTHER_WEBHOOKS, "other", ["webhooks:read", "webhooks:write"]);
  for (const [provider, credentials] of [
    ["stripe", { secretKey: `sk_test_${uniq(24)}`, webhookSecret: STRIPE_SECRET }],
    ["paystack", { secretKey: PAYSTACK_SECRET }],
    ["teller", { apiKey: `teller_sk_${uniq(16)}`, webhookSecret: TELLER_SECRET }],
  ] as const)
    await ok(await api("/v1/integrations/connections", { key: OPS_ADMIN, body: { provider, credentials } }), 201);
  const inboxes = env.WEBHOOK_INBOX as unknown as DurableObjectNamespace;
  // (cast: the generic signature sends the type checker into unbounded instantiation for this stub)
  const runInside = (
    cloudflareTest as unknown as { runInDurableObject: (stub: unknown, fn: (instance: any) => void) => Promise<void> }
  ).runInDurableObject;
  for (const provider of CAPTURED)
    for (let shard = 0; shard < 8; shard++)
      await runInside(inboxes.get(inboxes.idFromName(`${TENANT}:${provider}:${shard}`)), (inbox: { env: Bindings }) => {
        inbox.env = { ...inbox.env, WEBHOOK_QUEUE: capturedQueue as unknown as Queue<WebhookMessage> };
      });
});

// ---- GET /v1/webhook-events ----

describe("GET /v1/webhook-events", () => {
  const ids: Record<string, string> = {};
  let start = 0;
  let middle = 0;

  beforeAll(async () => {
    start = Date.now();
    await sleep(5);
    ids.pay1 = (await stripePayment()).id;
    await sleep(5);
    ids.customer = (await stripeCustomer()).id;
    await sleep(5);
    middle = Date.now();
    await sleep(5);
    ids.pay2 = (await stripePayment()).id;
    await sleep(5);
    ids.waiting = (await tellerPayment()).id; // captured: received, never consumed
    await sleep(5);
    const failed = await tellerPayment();
    ids.failed = failed.id;
    await consume([{ message: takeCaptured(failed.id), attempts: 1 }], { process: failing("teller ledger unavailable") });
    for (const id of [ids.pay1!, ids.customer!, ids.pay2!]) await settled(id);
  });
  const ours = (rows: Summary[]) => rows.map((r) => r.id).filter((id) => Object.values(ids).includes(id));
  const expectNewestFirst = (rows: Summary[]) => {
    for (let i = 1; i < rows.length; i++)
      expect(Date.parse(rows[i - 1]!.receivedAt)).toBeGreaterThanOrEqual(Date.parse(rows[i]!.receivedAt));
  };

  it("happy: lists the tenant's events newest first, every status included", async () => {
    const all = await events(`?since=${iso(start)}&limit=200`);
    expectNewestFirst(all);
    expect(all.map((r) => r.id)).toEqual([ids.failed, ids.waiting, ids.pay2, ids.customer, ids.pay1]);
    expect(all.map((r) => r.status)).toEqual(["failed", "received", "processed", "unhandled", "processed"]);
    expect(all[0]).toMatchObject({
      provider: "teller",
      type: "payment.completed",
      attempts: 1,
      lastError: "teller ledger unavailable",
      processedAt: null,
    });
    expect(all[4]).toMatchObject({ provider: "stripe", type: "payment_intent.succeeded", attempts: 1, lastError: null });
    expect(all[4]!.externalId).toMatch(/^evt_/);
    expect(Date.parse(all[4]!.processedAt!)).toBeGreaterThanOrEqual(Date.parse(all[4]!.receivedAt));
  });

  it("happy: filters by provider, type, status and since, alone and together; limit keeps the newest", async () => {
    const q = (s: string) => events(`?since=${iso(start)}&${s}`);
    expect((await q("provider=stripe")).map((r) => r.id)).toEqual([ids.pay2, ids.customer, ids.pay1]);
    expect((await q("provider=teller")).map((r) => r.id)).toEqual([ids.failed, ids.waiting]);
    expect((await q("type=payment_intent.succeeded")).map((r) => r.id)).toEqual([ids.pay2, ids.pay1]);
    expect((await q("status=unhandled")).map((r) => r.id)).toEqual([ids.customer]);
    expect((await q("status=failed")).map((r) => r.id)).toEqual([ids.failed]);
    expect((await q("status=received")).map((r) => r.id)).toEqual([ids.waiting]);
    expect((await q("provider=stripe&status=processed&type=payment_intent.succeeded")).map((r) => r.id)).toEqual([
      ids.pay2,
      ids.pay1,
    ]);
    expect((await q("provider=paystack")).map((r) => r.id)).toEqual([]);
    const recent = await events(`?since=${encodeURIComponent(iso(middle))}&limit=200`);
    expect(ours(recent)).toEqual([ids.failed, ids.waiting, ids.pay2]);
    for (const r of recent) expect(Date.parse(r.receivedAt)).toBeGreaterThanOrEqual(middle);
    // Any offset is an instant: the same moment written in +02:00 selects the same events.
    const offset = new Date(middle + 2 * 3_600_000).toISOString().replace("Z", "+02:00");
    expect(ours(await events(`?since=${encodeURIComponent(offset)}`))).toEqual([ids.failed, ids.waiting, ids.pay2]);
    expect((await q("limit=2")).map((r) => r.id)).toEqual([ids.failed, ids.waiting]);
  });

  it("error: 422 for a bad status, since or limit, naming the field", async () => {
    for (const [query, field] of [
      ["status=bogus", "status"],
      ["status=PROCESSED", "status"],
      ["since=yesterday", "since"],
      ["since=2026-01-01", "since"],
      ["since=1700000000000", "since"],
      ["limit=0", "limit"],
      ["limit=201", "limit"],
      ["limit=abc", "limit"],
      ["limit=1.5", "limit"],
      ["limit=-1", "limit"],
      [`provider=${"x".repeat(33)}`, "provider"],
    ] as const) {
      const p = await expectProblem(await api(`/v1/webhook-events?${query}`, { key: OPS_ADMIN }), 422);
      expect(p.errors, query).toContainEqual(expect.objectContaining({ location: "query", path: field }));
    }
  });

  it("security: 401 without a valid key, 403 without webhooks:read", async () => {
    const missing = await api("/v1/webhook-events", { key: null });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectProblem(missing, 401);
    await expectProblem(await api("/v1/webhook-events", { key: "cg_test_no_such_key_0000" }), 401);
    await expectProblem(await api("/v1/webhook-events", { key: NO_SCOPES }), 403);
    await expectProblem(await api("/v1/webhook-events", { key: INTEGRATIONS_READER }), 403);
  });

  it("security: another tenant never sees these events, whatever it filters on", async () => {
    for (const key of [OTHER_WEBHOOKS, PLATFORM_ADMIN])
      for (const query of [
        "?limit=200",
        "?provider=stripe&limit=200",
        `?tenant=${TENANT}&tenantId=${TENANT}&limit=200`,
        "?provider=stripe'%20OR%20'1'%3D'1&limit=200",
      ]) {
        const rows = await events(query, key);
        expect(ours(rows), `${key} ${query}`).toEqual([]);
      }
    expect(await events("?provider=stripe'%20OR%20'1'%3D'1")).toEqual([]);
  });
});

// ---- GET /v1/webhook-events/{id} ----

describe("GET /v1/webhook-events/{id}", () => {
  let paystack: Sent;
  let reference: string;

  beforeAll(async () => {
    reference = `T${uniq(15)}`;
    paystack = await paystackCharge(reference, 700);
  });

  it("happy: shows a waiting event with its payload, then the failed attempt and its error, then the effect", async () => {
    const waiting = await detail(paystack.id);
    expect(waiting).toMatchObject({
      id: paystack.id,
      provider: "paystack",
      type: "charge.success",
      status: "received",
      attempts: 0,
      attemptLog: [],
      effect: null,
      processedAt: null,
    });
    expect(waiting.payload).toBe(paystack.body);

    const message = takeCaptured(paystack.id);
    expect((await consume([{ message, attempts: 1 }], { process: failing("paystack ledger timed out") })).retried).toEqual([
      "m0",
    ]);
    const failed = await detail(paystack.id);
    expect(failed).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "paystack ledger timed out",
      effect: null,
      processedAt: null,
    });
    expect(failed.attemptLog).toEqual([
      {
        attempt: 1,
        ok: false,
        error: "paystack ledger timed out",
        startedAt: expect.any(String),
        durationMs: expect.any(Number),
      },
    ]);
    expect(await paymentRows("paystack", reference)).toHaveLength(0);

    expect((await consume([{ message, attempts: 2 }])).acked).toEqual(["m0"]);
    const done = await detail(paystack.id);
    expect(done).toMatchObject({
      status: "processed",
      attempts: 2,
      lastError: null,
      payload: paystack.body,
      url: `${d.ORIGIN}/v1/webhooks/${TENANT}/paystack`,
    });
    expect(done.attemptLog.map((a) => [a.attempt, a.ok, a.error])).toEqual([
      [1, false, "paystack ledger timed out"],
      [2, true, null],
    ]);
    const [payment] = await paymentRows("paystack", reference);
    // A succeeded payment is settled into the tenant's daily batch as it is recorded (docs/payments.md).
    const batch = await env.DB.prepare(
      "SELECT settlement_date AS settlementDate, settlement_batch AS settlementBatch FROM payments WHERE id = ?",
    )
      .bind(payment!.id)
      .first<{ settlementDate: string; settlementBatch: string }>();
    expect(batch!.settlementDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(batch!.settlementBatch).toMatch(/^BATCH-\d{4}-\d{3}-001$/);
    expect(done.effect).toEqual({
      payment: payment!.id,
      status: "succeeded",
      amountCents: 700,
      feeCents: 25,
      netCents: 675,
      settlement: { date: batch!.settlementDate, batch: batch!.settlementBatch },
    });
    expect(Date.parse(done.processedAt!)).toBeGreaterThanOrEqual(Date.parse(done.attemptLog[1]!.startedAt));
  });

  it("security: headers come back as received with the signature masked; neither it nor the secret appears anywhere", async () => {
    const raw = paystack.headers["x-paystack-signature"]!;
    const res = await api(`/v1/webhook-events/${paystack.id}`, { key: OPS_ADMIN });
    const text = await res.text();
    const shown = JSON.parse(text) as Detail;
    expect(shown.headers["content-type"]).toBe("application/json");
    expect(shown.headers["x-paystack-signature"]).toBeDefined();
    expect(shown.headers["x-paystack-signature"]).not.toBe(raw);
    expect(text).not.toContain(raw);
    expectNoPieceOf(text, raw);
    expectNoSecret(text, PAYSTACK_SECRET, "event detail");

    // Stripe's header holds a timestamp and a signature; no part of the signature is shown either.
    const stripe = await stripePayment();
    const stripeText = await (await api(`/v1/webhook-events/${(await settled(stripe.id)).id}`, { key: OPS_ADMIN })).text();
    const header = stripe.headers["stripe-signature"]!;
    expect(stripeText).not.toContain(header);
    expectNoPieceOf(stripeText, header.split("v1=")[1]!);
    expectNoSecret(stripeText, STRIPE_SECRET, "event detail");
    expect(JSON.parse(stripeText).effect).toMatchObject({ status: "succeeded", amountCents: 1234, feeCents: 34, netCents: 1200 });
  });

  it("error: 404 for a malformed id and for an unknown one", async () => {
    for (const id of ["whe_short", "nope", `whe_${"A".repeat(21)}`, `whe_${"A".repeat(19)}-`, "whe_%27%20OR%201%3D1--AAAAAAAA"]) {
      const p = await expectProblem(await api(`/v1/webhook-events/${id}`, { key: OPS_ADMIN }), 404);
      expect(p.errors?.[0], id).toMatchObject({ location: "path", path: "id" });
    }
    await expectProblem(await api(`/v1/webhook-events/whe_${uniq(20)}`, { key: OPS_ADMIN }), 404);
  });

  it("security: 404 for another tenant's id (same answer as unknown), 401 without a key, 403 without webhooks:read", async () => {
    for (const key of [OTHER_WEBHOOKS, PLATFORM_ADMIN]) {
      const p = await expectProblem(await api(`/v1/webhook-events/${paystack.id}`, { key }), 404);
      expect(JSON.stringify(p)).not.toContain(reference);
    }
    await expectProblem(await api(`/v1/webhook-events/${paystack.id}`, { key: null }), 401);
    await expectProblem(await api(`/v1/webhook-events/${paystack.id}`, { key: NO_SCOPES }), 403);
    await expectProblem(await api(`/v1/webhook-events/${paystack.id}`, { key: INTEGRATIONS_READER }), 403);
    expect((await detail(paystack.id, OPS_READER)).id).toBe(paystack.id);
  });
});

// ---- POST /v1/webhook-events/{id}/replay ----

describe("POST /v1/webhook-events/{id}/replay", () => {
  let event: Sent;
  let pi: string;
  beforeAll(async () => {
    pi = `pi_${uniq(24)}`;
    event = await stripePayment(pi, 2500);
    await settled(event.id);
  });

  it("happy: 202, the live consumer processes the event again, and its payment stays one row", async () => {
    const before = await paymentRows("stripe", pi);
    expect(before).toEqual([{ id: expect.any(String), amount: 2500 }]);
    const { effect: firstEffect, processedAt: firstProcessedAt } = await detail(event.id);

    expect(await ok(await api(`/v1/webhook-events/${event.id}/replay`, { key: OPS_ADMIN, method: "POST" }), 202)).toEqual({
      queued: true,
      id: event.id,
    });
    const after = await until(
      () => detail(event.id),
      (e) => e.attemptLog.length === 2,
    );
    expect(after).toMatchObject({ status: "processed", attempts: 2, lastError: null });
    expect(after.attemptLog.every((a) => a.ok)).toBe(true);
    expect(after.effect).toEqual(firstEffect);
    expect(await paymentRows("stripe", pi)).toEqual(before);
    // The effect happened at the first processing; a replay must not make receipt-to-effect look slower.
    expect(after.processedAt).toBe(firstProcessedAt);
  });

  it("error: 404 for a malformed or unknown id", async () => {
    await expectProblem(await api("/v1/webhook-events/whe_short/replay", { key: OPS_ADMIN, method: "POST" }), 404);
    await expectProblem(await api(`/v1/webhook-events/whe_${uniq(20)}/replay`, { key: OPS_ADMIN, method: "POST" }), 404);
  });

  it("security: 403 with a read-only key, 401 without one, 404 for another tenant; none of them queues anything", async () => {
    const attempts = (await detail(event.id)).attempts;
    await expectProblem(await api(`/v1/webhook-events/${event.id}/replay`, { key: OPS_READER, method: "POST" }), 403);
    await expectProblem(await api(`/v1/webhook-events/${event.id}/replay`, { key: null, method: "POST" }), 401);
    for (const key of [OTHER_WEBHOOKS, PLATFORM_ADMIN])
      await expectProblem(await api(`/v1/webhook-events/${event.id}/replay`, { key, method: "POST" }), 404);
    await sleep(1500); // the live consumer would have run a replay by now (batch timeout 1 s)
    expect((await detail(event.id)).attempts).toBe(attempts);
    expect(await paymentRows("stripe", pi)).toHaveLength(1);
  });
});

// ---- GET /v1/dead-letters, POST /v1/dead-letters/replay ----

describe("dead letters", () => {
  // early (paystack) | since | inRange (paystack), otherProvider (teller) | until | late (paystack)
  const ev: Record<"early" | "inRange" | "otherProvider" | "late", Sent> = {} as never;
  const refs: Record<string, string> = {};
  let since = 0;
  let upTo = 0;

  beforeAll(async () => {
    for (const name of ["early", "inRange", "late"] as const) ev[name] = await paystackCharge((refs[name] = `T${uniq(15)}`), 900);
    ev.otherProvider = await tellerPayment((refs.otherProvider = `teller_txn_${uniq(8)}`));
    const dead = Object.fromEntries(
      await Promise.all(Object.entries(ev).map(async ([k, s]) => [k, await killed(s, `${k}: acquirer unreachable`)] as const)),
    );
    await recordLetters([dead.early!]);
    await sleep(30);
    since = Date.now();
    await sleep(30);
    await recordLetters([dead.inRange!, dead.otherProvider!]);
    await sleep(30);
    upTo = Date.now();
    await sleep(30);
    await recordLetters([dead.late!]);
  });
  const letterOf = (rows: Letter[], s: Sent) => rows.find((l) => l.eventId === s.id);

  it("happy: lists each exhausted event with its last error, newest first, filterable by provider", async () => {
    const rows = await letters("?replayed=false&limit=200");
    const mine = rows.filter((l) => Object.values(ev).some((s) => s.id === l.eventId));
    expect(mine).toHaveLength(4);
    expect([mine[0]!.eventId, mine[3]!.eventId]).toEqual([ev.late.id, ev.early.id]);
    for (let i = 1; i < rows.length; i++)
      expect(Date.parse(rows[i - 1]!.failedAt)).toBeGreaterThanOrEqual(Date.parse(rows[i]!.failedAt));
    expect(letterOf(rows, ev.early)).toMatchObject({
      id: expect.stringMatching(/^dlq_/),
      provider: "paystack",
      attempts: 1,
      lastError: "early: acquirer unreachable",
      replayedAt: null,
    });
    expect(letterOf(rows, ev.otherProvider)).toMatchObject({
      provider: "teller",
      lastError: "otherProvider: acquirer unreachable",
    });
    for (const k of ["inRange", "otherProvider"] as const) {
      const at = Date.parse(letterOf(rows, ev[k])!.failedAt);
      expect(at).toBeGreaterThan(since);
      expect(at).toBeLessThan(upTo);
    }
    expect(Date.parse(letterOf(rows, ev.early)!.failedAt)).toBeLessThan(since);
    expect(Date.parse(letterOf(rows, ev.late)!.failedAt)).toBeGreaterThan(upTo);
    expect((await detail(ev.early.id)).status).toBe("dead");
    expect((await letters("?provider=teller&limit=200")).map((l) => l.eventId)).toContain(ev.otherProvider.id);
    expect((await letters("?provider=teller&limit=200")).every((l) => l.provider === "teller")).toBe(true);
    expect(await letters("?limit=1")).toHaveLength(1);
  });

  it("happy: replay picks only unreplayed letters in the range and provider, marks them, and the event ends processed once", async () => {
    const res = await ok<{ replayed: number; eventIds: string[] }>(
      await api("/v1/dead-letters/replay", {
        key: OPS_ADMIN,
        body: { since: iso(since), until: iso(upTo), provider: "paystack" },
      }),
      202,
    );
    expect(res).toEqual({ replayed: 1, eventIds: [ev.inRange.id] });

    const replayed = await letters("?replayed=true&limit=200");
    expect(replayed.map((l) => l.eventId)).toEqual([ev.inRange.id]);
    expect(Date.parse(replayed[0]!.replayedAt!)).toBeGreaterThanOrEqual(upTo);
    const waiting = (await letters("?replayed=false&limit=200")).map((l) => l.eventId);
    expect(waiting).toEqual(expect.arrayContaining([ev.early.id, ev.otherProvider.id, ev.late.id]));
    expect(waiting).not.toContain(ev.inRange.id);

    const done = await settled(ev.inRange.id);
    expect(done).toMatchObject({
      status: "processed",
      lastError: null,
      effect: expect.objectContaining({ status: "succeeded", amountCents: 900 }),
    });
    expect(done.attemptLog.map((a) => a.ok)).toEqual([false, true]);
    expect(await paymentRows("paystack", refs.inRange!)).toHaveLength(1);
    for (const k of ["early", "late", "otherProvider"] as const) expect((await detail(ev[k].id)).status, k).toBe("dead");

    // A replayed letter is not picked again; an inverted range picks nothing.
    const again = await ok(
      await api("/v1/dead-letters/replay", {
        key: OPS_ADMIN,
        body: { since: iso(since), until: iso(upTo), provider: "paystack" },
      }),
      202,
    );
    expect(again).toEqual({ replayed: 0, eventIds: [] });
    const inverted = await ok(
      await api("/v1/dead-letters/replay", { key: OPS_ADMIN, body: { since: iso(upTo + 60_000), until: iso(since - 60_000) } }),
      202,
    );
    expect(inverted).toEqual({ replayed: 0, eventIds: [] });
  });

  it("error: 422 for a bad body or query, and nothing is marked replayed", async () => {
    for (const body of [
      {},
      { since: "yesterday" },
      { since: iso(since), until: "soon" },
      { since: iso(since), provider: "p".repeat(33) },
      { since: 1700000000000 },
      [],
    ]) {
      const p = await expectProblem(await api("/v1/dead-letters/replay", { key: OPS_ADMIN, body }), 422);
      expect(p.errors?.[0]?.location).toBe("body");
    }
    const notJson = await api("/v1/dead-letters/replay", { key: OPS_ADMIN, body: "{since:" });
    expect([400, 422]).toContain(notJson.status);
    await expectProblem(await api("/v1/dead-letters?limit=0", { key: OPS_ADMIN }), 422);
    await expectProblem(await api("/v1/dead-letters?replayed=maybe", { key: OPS_ADMIN }), 422);
    expect(letterOf(await letters("?replayed=false&limit=200"), ev.early)).toBeDefined();
  });

  it("security: 401 without a key, 403 without the scope; another tenant neither sees nor replays these letters", async () => {
    const wide = { since: "2000-01-01T00:00:00Z" };
    await expectProblem(await api("/v1/dead-letters", { key: null }), 401);
    await expectProblem(await api("/v1/dead-letters/replay", { key: null, body: wide }), 401);
    await expectProblem(await api("/v1/dead-letters", { key: NO_SCOPES }), 403);
    await expectProblem(await api("/v1/dead-letters", { key: INTEGRATIONS_READER }), 403);
    await expectProblem(await api("/v1/dead-letters/replay", { key: OPS_READER, body: wide }), 403);

    for (const key of [OTHER_WEBHOOKS, PLATFORM_ADMIN])
      expect((await letters("?limit=200", key)).filter((l) => Object.values(ev).some((s) => s.id === l.eventId))).toEqual([]);
    expect(
      await ok(await api("/v1/dead-letters/replay", { key: OTHER_WEBHOOKS, body: { ...wide, provider: "paystack" } }), 202),
    ).toEqual({ replayed: 0, eventIds: [] });
    expect(await ok(await api("/v1/dead-letters/replay", { key: OTHER_WEBHOOKS, body: wide }), 202)).toEqual({
      replayed: 0,
      eventIds: [],
    });
    const waiting = (await letters("?replayed=false&limit=200")).map((l) => l.eventId);
    expect(waiting).toEqual(expect.arrayContaining([ev.early.id, ev.otherProvider.id, ev.late.id]));
    for (const k of ["early", "late", "otherProvider"] as const) expect((await detail(ev[k].id)).status).toBe("dead");
  });
});

// ---- GET /v1/monitoring/webhooks ----

describe("GET /v1/monitoring/webhooks", () => {
  const count = (m: Monitor, provider: string, status: string) => m.byProvider[provider]?.[status] ?? 0;

  it("happy: counts by provider and status, backlog, dead letters and latency follow what was received", async () => {
    const before = await monitoring();
    const otherBefore = await monitoring(OTHER_WEBHOOKS);

    const processed = [await stripePayment(), await stripePayment()];
    const unhandled = await stripeCustomer();
    await tellerPayment(); // waiting in the queue
    const failed = await tellerPayment();
    await consume([{ message: takeCaptured(failed.id), attempts: 1 }], { process: failing("teller down") });
    const dead = await paystackCharge();
    await recordLetters([await killed(dead, "paystack down")]);
    for (const e of [...processed, unhandled]) await settled(e.id);

    const after = await monitoring();
    expect(count(after, "stripe", "processed") - count(before, "stripe", "processed")).toBe(2);
    expect(count(after, "stripe", "unhandled") - count(before, "stripe", "unhandled")).toBe(1);
    expect(count(after, "teller", "received") - count(before, "teller", "received")).toBe(1);
    expect(count(after, "teller", "failed") - count(before, "teller", "failed")).toBe(1);
    expect(count(after, "paystack", "dead") - count(before, "paystack", "dead")).toBe(1);
    expect(after.backlog - before.backlog).toBe(2);
    expect(after.deadLetters - before.deadLetters).toBe(1);
    expect(after.receiptToEffectMs.samples - before.receiptToEffectMs.samples).toBe(3);

    // Cross-checks against the other operator routes.
    const statuses = (await events("?limit=200")).reduce<Record<string, Record<string, number>>>(
      (acc, e) => (((acc[e.provider] ??= {})[e.status] = (acc[e.provider]![e.status] ?? 0) + 1), acc),
      {},
    );
    expect(after.byProvider).toEqual(statuses);
    const inFlight = ["received", "processing", "failed"];
    expect(after.backlog).toBe(
      Object.values(after.byProvider)
        .flatMap((s) => Object.entries(s))
        .filter(([k]) => inFlight.includes(k))
        .reduce((n, [, v]) => n + v, 0),
    );
    expect(after.deadLetters).toBe((await letters("?replayed=false&limit=200")).length);
    const settledCount = Object.values(after.byProvider).reduce((n, s) => n + (s.processed ?? 0) + (s.unhandled ?? 0), 0);
    expect(after.receiptToEffectMs.samples).toBe(settledCount);
    const { p50, p95 } = after.receiptToEffectMs;
    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p95).toBeGreaterThanOrEqual(p50!);
    expect(p95).toBeLessThan(120_000);

    // Nothing of this reached the other tenant's picture.
    expect(await monitoring(OTHER_WEBHOOKS)).toEqual(otherBefore);
  });

  it("happy: percentiles rank every event of the last day, not just the fastest 20 000", async () => {
    // Volume seeded straight into D1 (22 000 events through the API would time the harness):
    // 20 000 effects after 10 ms and 2 000 after 5 s, all received in the last minute.
    await db(env.DB).insert(tenants).values({ id: "ops-busy", name: "Busy City", timezone: "UTC" }).onConflictDoNothing();
    await addKey(env, BUSY_READER, "ops-busy", ["webhooks:read"]);
    await env.DB.prepare(
      `INSERT INTO webhook_events (id, tenant_id, provider, external_id, type, status, headers, attempts, received_at, processed_at, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 22000)
       SELECT 'whe_busy' || printf('%012d', i), 'ops-busy', 'stripe', 'evt_busy_' || i, 'payment_intent.succeeded', 'processed', '{}', 1,
              ?1 - i, ?1 - i + CASE WHEN i <= 20000 THEN 10 ELSE 5000 END, ?1 FROM n`,
    )
      .bind(Date.now())
      .run();
    expect(await monitoring(BUSY_READER)).toEqual({
      byProvider: { stripe: { processed: 22_000 } },
      backlog: 0,
      deadLetters: 0,
      receiptToEffectMs: { p50: 10, p95: 5000, samples: 22_000 },
      oldestUnprocessed: null,
    });
  });

  it("error: a tenant that has received nothing gets zeros and no percentiles, not an error; other methods are refused", async () => {
    await db(env.DB).insert(tenants).values({ id: "ops-quiet", name: "Quiet City", timezone: "UTC" }).onConflictDoNothing();
    await addKey(env, QUIET_READER, "ops-quiet", ["webhooks:read"]);
    expect(await monitoring(QUIET_READER)).toEqual({
      byProvider: {},
      backlog: 0,
      deadLetters: 0,
      receiptToEffectMs: { p50: null, p95: null, samples: 0 },
      oldestUnprocessed: null,
    });
    // A tenant named in the query changes nothing: the key decides.
    expect(await ok<Monitor>(await api(`/v1/monitoring/webhooks?tenant=${TENANT}`, { key: QUIET_READER }))).toMatchObject({
      byProvider: {},
      backlog: 0,
    });
    await expectProblem(await api("/v1/monitoring/webhooks", { key: OPS_ADMIN, method: "DELETE" }), 404);
  });

  it("security: 401 without a key, 403 without webhooks:read, and each tenant sees only itself", async () => {
    await expectProblem(await api("/v1/monitoring/webhooks", { key: null }), 401);
    await expectProblem(await api("/v1/monitoring/webhooks", { key: "cg_test_no_such_key_0000" }), 401);
    await expectProblem(await api("/v1/monitoring/webhooks", { key: NO_SCOPES }), 403);
    await expectProblem(await api("/v1/monitoring/webhooks", { key: INTEGRATIONS_READER }), 403);
    const mine = await monitoring(OPS_READER);
    expect(mine.byProvider.teller).toBeDefined();
    const theirs = await monitoring(OTHER_WEBHOOKS);
    expect(theirs.byProvider.teller).toBeUndefined(); // "other" has no Teller connection, so no Teller events
    expect(theirs).not.toEqual(mine);
  });
});
