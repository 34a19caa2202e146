// The storm: 10 000 Stripe deliveries (10 % duplicates, 5 % forgeries, 1 % poison: ids that cannot be
// stored as sent, bodies over the limit, headers that would overflow a queue message) go through the
// real route and inbox objects, with a restart half way: the inboxes are evicted and every queue message
// sent before it is lost, as `npm start` loses its local queue. The real consumer then processes what
// reached the queue through a processor that fails 20 % of attempts (half before its effect, half
// after), the stranded-event sweep queues again what the restart lost, and operators replay the dead
// letters. Afterwards every valid unique event's effect exists exactly once, every poison delivery was
// refused with its reason, and nothing is unprocessed or stuck.
import * as cloudflareTest from "cloudflare:test";
import {
  createExecutionContext,
  createMessageBatch,
  evictDurableObject,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { DeadLetterMessage, WebhookMessage } from "../../../src/webhooks/message";
import { handleDeadLetterBatch } from "../../../queues/dead-letters";
import { handleWebhookBatch, processEvent } from "../../../queues/webhooks";
import worker from "../../../src";
import { toHex } from "../../../src/lib/bytes";
import type { Bindings } from "../../../src/env";
import { db } from "../../../src/storage/db";
import { tenants } from "../../../src/storage/schema";
import type { ProcessEvent } from "../../../src/webhooks/process";
import { recoverStrandedWebhooks } from "../../../src/webhooks/recovery";
import { addKey, call, flushInboxes, json } from "../fixtures";

const TENANT = "storm";
const ADMIN = "cg_test_storm_admin";
const SECRET = "whsec_storm_test_secret_0123456789";
const TOTAL = 10_000;

/** A small seeded PRNG, so a failing run can be reproduced. */
function prng(seed: number) {
  return () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

async function stripeHeader(body: string, secret: string, t = Math.floor(Date.now() / 1000)) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const sig = toHex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
  return `t=${t},v1=${sig}`;
}

/** Every 200th valid event carries 20 KB of control characters: small on the wire, 120 KB once escaped. */
const paymentEvent = (i: number, id = `evt_storm_${i}`) =>
  JSON.stringify({
    id,
    object: "event",
    type: "payment_intent.succeeded",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `pi_storm_${i}`,
        object: "payment_intent",
        amount: 100 + i,
        currency: "usd",
        metadata: {},
        ...(i % 200 === 7 && { description: "\u0001".repeat(20 * 1024) }),
      },
    },
  });

/** Poison: each kind is refused before the 2xx with its status and a reason naming what is wrong. */
const POISON = [
  {
    kind: "lone surrogate in the id",
    status: 400,
    reason: /lone UTF-16 surrogate/,
    body: (i: number) => paymentEvent(i, `evt_storm_${i}\ud800`),
    headers: {},
  },
  {
    kind: "2 000-character id",
    status: 400,
    reason: /at most 512/,
    body: (i: number) => paymentEvent(i, `evt_${"x".repeat(2000)}`),
    headers: {},
  },
  {
    kind: "body over 1 MiB",
    status: 413,
    reason: /limited to 1048576 bytes/,
    body: (i: number) => paymentEvent(i).replace('"metadata":{}', `"metadata":{"pad":"${"p".repeat(1024 * 1024)}"}`),
    headers: {},
  },
  {
    kind: "headers that overflow a message",
    status: 413,
    reason: /headers and URL take/,
    body: (i: number) => paymentEvent(i),
    headers: { "x-storm-padding": "h".repeat(100 * 1024) },
  },
] as const;

/**
 * Delivers through the worker's own fetch handler. (The pool's loopback `exports.default.fetch`
 * slows down with every batch of concurrent requests, doubling per 50 even for /health/live, so a
 * 10 000-delivery storm would measure the harness, not Curbgate.)
 */
async function deliver(path: string, body: string, headers: Record<string, string>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://curbgate.test${path}`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...headers },
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** Queues that keep what is sent to them, so the test decides when (and whether) the consumers run. */
function capture<T>() {
  const sent: T[] = [];
  const queue = {
    sent,
    async send(body: T) {
      sent.push(structuredClone(body));
    },
    async sendBatch(items: { body: T }[]) {
      for (const i of items) sent.push(structuredClone(i.body));
    },
  };
  return queue;
}

const inboxStubs = () => {
  const inboxes = env.WEBHOOK_INBOX as unknown as DurableObjectNamespace;
  return Array.from({ length: 8 }, (_, shard) => inboxes.get(inboxes.idFromName(`${TENANT}:stripe:${shard}`)));
};
/** Every inbox shard of this tenant hands its events to `queue` instead of the live one (until it is evicted). */
async function inboxesSendTo(queue: ReturnType<typeof capture<WebhookMessage>>) {
  // (cast: the generic signature sends the type checker into unbounded instantiation for this stub)
  const runInside = (
    cloudflareTest as unknown as { runInDurableObject: (stub: unknown, fn: (instance: any) => void) => Promise<void> }
  ).runInDurableObject;
  for (const stub of inboxStubs())
    await runInside(
      stub,
      (i: { env: Bindings }) => void (i.env = { ...i.env, WEBHOOK_QUEUE: queue as unknown as Queue<WebhookMessage> }),
    );
}

/**
 * Runs the real consumer over `messages` until each is acked (done, or dead-lettered), through
 * `process`: batches of 50, eight at a time, as the platform runs consumer invocations side by side.
 */
async function consumeAll(
  messages: WebhookMessage[],
  process: ProcessEvent,
  consumerEnv: Bindings,
  delaysByAttempt: Map<number, number[]>,
) {
  let pending = messages.map((body) => ({ body, attempts: 1 }));
  const consumeBatch = async (items: typeof pending) => {
    const batch = createMessageBatch<WebhookMessage>(
      "curbgate-webhooks",
      items.map((p, k) => ({ id: `m${k}`, timestamp: new Date(), body: p.body, attempts: p.attempts })),
    );
    // The pool records that a message was retried but not its delay, so the delay is noted on the way.
    const delays = new Map<string, number>();
    for (const msg of batch.messages) {
      const retry = msg.retry.bind(msg);
      Object.defineProperty(msg, "retry", {
        value: (o?: QueueRetryOptions) => (delays.set(msg.id, o?.delaySeconds ?? -1), retry(o)),
      });
    }
    const ctx = createExecutionContext();
    await handleWebhookBatch(batch, consumerEnv, { process });
    const result = await getQueueResult(batch, ctx);
    const retried = new Map<string, number>(result.retryMessages.map((r: { msgId: string }) => [r.msgId, delays.get(r.msgId)!]));
    return items.flatMap((p, k) => {
      const delay = retried.get(`m${k}`);
      if (delay === undefined) return [];
      delaysByAttempt.set(p.attempts, [...(delaysByAttempt.get(p.attempts) ?? []), delay]);
      return [{ body: p.body, attempts: p.attempts + 1 }];
    });
  };
  while (pending.length) {
    const next: typeof pending = [];
    for (let at = 0; at < pending.length; at += 400) {
      const group = pending.slice(at, at + 400);
      const batches = Array.from({ length: Math.ceil(group.length / 50) }, (_, b) => group.slice(b * 50, b * 50 + 50));
      for (const retried of await Promise.all(batches.map(consumeBatch))) next.push(...retried);
    }
    pending = next;
  }
}

describe("webhook storm with a restart", () => {
  const beforeRestart = capture<WebhookMessage>(); // lost with the restart, never consumed
  const afterRestart = capture<WebhookMessage>();
  const responses = { accepted: 0, duplicates: 0, forgeriesRefused: 0, other: [] as string[] };
  const poisonAnswers: { kind: string; status: number; detail: string }[] = [];
  const validUnique = new Set<number>();
  let poisonSent = 0;
  let forgeriesSent = 0;

  beforeAll(async () => {
    await db(env.DB).insert(tenants).values({ id: TENANT, name: "Storm City", timezone: "UTC" }).onConflictDoNothing();
    await addKey(env, ADMIN, TENANT, ["integrations:read", "integrations:write", "webhooks:read", "webhooks:write"], 1_000_000);
    const connect = await call("/v1/integrations/connections", {
      key: ADMIN,
      body: { provider: "stripe", credentials: { secretKey: "sk_test_storm", webhookSecret: SECRET } },
    });
    expect([200, 201]).toContain(connect.status);
    await inboxesSendTo(beforeRestart);

    const random = prng(42);
    type Delivery = { body: string; secret: string; headers: Record<string, string>; poison?: (typeof POISON)[number] };
    const deliveries: Delivery[] = [];
    let next = 0;
    while (deliveries.length < TOTAL) {
      const roll = random();
      if (roll < 0.05) {
        forgeriesSent++;
        deliveries.push({ body: paymentEvent(next++), secret: "whsec_forged_secret", headers: {} }); // never sent validly
      } else if (roll < 0.06) {
        const poison = POISON[poisonSent++ % POISON.length]!;
        deliveries.push({ body: poison.body(next++), secret: SECRET, headers: poison.headers, poison });
      } else if (roll < 0.16 && validUnique.size > 0) {
        deliveries.push({
          body: paymentEvent([...validUnique][Math.floor(random() * validUnique.size)]!),
          secret: SECRET,
          headers: {},
        });
      } else {
        validUnique.add(next);
        deliveries.push({ body: paymentEvent(next++), secret: SECRET, headers: {} });
      }
    }
    const send = async (slice: Delivery[]) => {
      for (let at = 0; at < slice.length; at += 50)
        await Promise.all(
          slice.slice(at, at + 50).map(async (d) => {
            const res = await deliver(`/v1/webhooks/${TENANT}/stripe`, d.body, {
              "stripe-signature": await stripeHeader(d.body, d.secret),
              ...d.headers,
            });
            if (d.poison)
              poisonAnswers.push({ kind: d.poison.kind, status: res.status, detail: JSON.stringify(await res.json()) });
            else if (res.status === 401 && d.secret !== SECRET) responses.forgeriesRefused++;
            else if (res.status === 200) (await json(res)).duplicate ? responses.duplicates++ : responses.accepted++;
            else responses.other.push(`${res.status}: ${(await res.text()).slice(0, 200)}`);
          }),
        );
    };
    await send(deliveries.slice(0, TOTAL / 2));
    await flushInboxes(env, TENANT, "stripe");
    // The restart: in-memory state of every inbox is gone, and so is everything the queue held.
    for (const stub of inboxStubs()) await evictDurableObject(stub);
    await inboxesSendTo(afterRestart);
    await send(deliveries.slice(TOTAL / 2));
    await flushInboxes(env, TENANT, "stripe");
  }, 300_000);

  it("acknowledged every valid delivery once as new, refused every forgery, and refused every poison delivery with its reason", () => {
    expect(responses.other).toEqual([]);
    expect(responses.accepted).toBe(validUnique.size);
    expect(responses.forgeriesRefused).toBe(forgeriesSent);
    expect(responses.accepted + responses.duplicates + responses.forgeriesRefused + poisonAnswers.length).toBe(TOTAL);
    expect(forgeriesSent).toBeGreaterThan(TOTAL * 0.03);
    expect(responses.duplicates).toBeGreaterThan(TOTAL * 0.06);
    expect(poisonAnswers.length).toBe(poisonSent);
    expect(poisonSent).toBeGreaterThan(TOTAL * 0.005);
    for (const p of POISON) {
      const answers = poisonAnswers.filter((a) => a.kind === p.kind);
      expect(answers.length, p.kind).toBeGreaterThan(0);
      for (const a of answers) {
        expect(a.status, p.kind).toBe(p.status);
        expect(a.detail, p.kind).toMatch(p.reason);
      }
    }
    // Duplicates never reach the queue; each accepted event went to it once, before or after the restart.
    expect(beforeRestart.sent.length + afterRestart.sent.length).toBe(validUnique.size);
    expect(beforeRestart.sent.length).toBeGreaterThan(0);
    expect(afterRestart.sent.length).toBeGreaterThan(0);
  });

  it("applies every valid unique event's effect exactly once: flaky processor, the sweep after the restart, retries and dead letters", async () => {
    const random = prng(7);
    const flaky: ProcessEvent = async (e, m) => {
      const roll = random();
      if (roll < 0.1) throw new Error("injected failure before the effect");
      const result = await processEvent(e, m);
      if (roll < 0.2) throw new Error("injected failure after the effect");
      return result;
    };
    const dlq = capture<DeadLetterMessage>();
    const consumerEnv: Bindings = { ...env, WEBHOOK_DLQ: dlq as unknown as Queue<DeadLetterMessage>, WEBHOOK_MAX_ATTEMPTS: "3" };
    const delaysByAttempt = new Map<number, number[]>();
    await consumeAll(afterRestart.sent, flaky, consumerEnv, delaysByAttempt);

    // What the restart lost still waits as "received"; ten minutes on, the sweep queues it again.
    const lost = beforeRestart.sent.map((m) => m.eventId);
    const statusOf = async (ids: string[]) => {
      const counts = new Map<string, number>();
      for (let at = 0; at < ids.length; at += 90) {
        const rows = await env.DB.prepare(
          `SELECT status FROM webhook_events WHERE id IN (${ids
            .slice(at, at + 90)
            .map(() => "?")
            .join(",")})`,
        )
          .bind(...ids.slice(at, at + 90))
          .all<{ status: string }>();
        for (const r of rows.results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      }
      return Object.fromEntries(counts);
    };
    expect(await statusOf(lost)).toEqual({ received: lost.length });
    const swept = capture<WebhookMessage>();
    const later = Date.now() + 11 * 60_000;
    while ((await recoverStrandedWebhooks({ ...env, WEBHOOK_QUEUE: swept as unknown as Queue<WebhookMessage> }, later)) > 0);
    expect(swept.sent.map((m) => m.eventId).sort()).toEqual([...lost].sort());
    await consumeAll(swept.sent, flaky, consumerEnv, delaysByAttempt);

    // Retry delays grow with the attempt number (averaged, since each carries jitter).
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.min(...delaysByAttempt.get(1)!)).toBeGreaterThanOrEqual(1);
    expect(mean(delaysByAttempt.get(2)!)).toBeGreaterThan(mean(delaysByAttempt.get(1)!) * 1.5);

    // Exhausted events went to the dead-letter queue; its consumer records them with the last error.
    expect(dlq.sent.length).toBeGreaterThan(0);
    const dead = createMessageBatch<DeadLetterMessage>(
      "curbgate-webhooks-dlq",
      dlq.sent.map((body, k) => ({ id: `d${k}`, timestamp: new Date(), body, attempts: 1 })),
    );
    await handleDeadLetterBatch(dead, env);
    const letters = await json(await call("/v1/dead-letters?replayed=false&limit=200", { key: ADMIN }));
    expect(letters.data.length).toBe(Math.min(200, dlq.sent.length));
    expect(letters.data[0].lastError).toMatch(/injected failure/);

    // Operators replay them; the live queue and consumer (no injected faults) finish the job.
    const replay = await json(
      await call("/v1/dead-letters/replay", { key: ADMIN, body: { since: new Date(Date.now() - 3600_000).toISOString() } }),
    );
    expect(replay.replayed).toBe(dlq.sent.length);
    const deadline = Date.now() + 90_000;
    let monitor: any;
    do {
      await new Promise((r) => setTimeout(r, 200));
      monitor = await json(await call("/v1/monitoring/webhooks", { key: ADMIN }));
    } while ((monitor.byProvider.stripe?.dead ?? 0) + monitor.backlog > 0 && Date.now() < deadline);

    expect(monitor.byProvider.stripe).toEqual({ processed: validUnique.size });
    expect(monitor.backlog).toBe(0);
    expect(monitor.oldestUnprocessed).toBeNull();
    // Nothing stuck in an inbox either.
    for (const stub of inboxStubs())
      expect(await (stub as unknown as { pendingCount(): Promise<number> }).pendingCount()).toBe(0);
    const rows = await env.DB.prepare(
      "SELECT provider_transaction_id AS txn, amount_cents AS amount, COUNT(*) AS n FROM payments WHERE tenant_id = ? GROUP BY txn",
    )
      .bind(TENANT)
      .all<{ txn: string; amount: number; n: number }>();
    expect(rows.results.length).toBe(validUnique.size);
    for (const r of rows.results) {
      const i = Number(r.txn.replace("pi_storm_", ""));
      expect(validUnique.has(i)).toBe(true);
      expect(r.n).toBe(1);
      expect(r.amount).toBe(100 + i);
    }
  }, 300_000);
});

describe("a redelivery after the inbox has forgotten the event id", () => {
  it("is acknowledged by the consumer without a second effect", async () => {
    const body = paymentEvent(999_999);
    const first: WebhookMessage = {
      v: 1,
      eventId: "whe_AAAAAAAAAAAAAAAAAAAA",
      tenantId: TENANT,
      provider: "stripe",
      externalId: "evt_storm_999999",
      type: "payment_intent.succeeded",
      receivedAt: Date.now(),
      headers: {},
      url: "https://curbgate.test/",
      payload: body,
    };
    const later: WebhookMessage = { ...first, eventId: "whe_BBBBBBBBBBBBBBBBBBBB" };
    for (const m of [first, later]) {
      const batch = createMessageBatch<WebhookMessage>("curbgate-webhooks", [
        { id: m.eventId, timestamp: new Date(), body: m, attempts: 1 },
      ]);
      const ctx = createExecutionContext();
      await handleWebhookBatch(batch, env);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([m.eventId]);
    }
    const n = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM payments WHERE tenant_id = ? AND provider_transaction_id = 'pi_storm_999999'",
    )
      .bind(TENANT)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
    const events = await env.DB.prepare("SELECT id FROM webhook_events WHERE external_id = 'evt_storm_999999'").all();
    expect(events.results.map((r) => r.id)).toEqual(["whe_AAAAAAAAAAAAAAAAAAAA"]);
  });
});
