// The storm: 2 000 Stripe deliveries with 10 % duplicates and 5 % bad signatures go through the real
// route and inbox objects; the real consumer then processes them through a processor that fails 20 %
// of attempts (half before its effect, half after). Afterwards every valid unique event's effect
// exists exactly once, every bad delivery was refused, and nothing is unprocessed or lost.
import * as cloudflareTest from "cloudflare:test";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { DeadLetterMessage, WebhookMessage } from "../../queues/messages";
import { handleDeadLetterBatch } from "../../queues/dead-letters";
import { handleWebhookBatch } from "../../queues/webhooks";
import worker from "../../src/index";
import { toHex } from "../../src/auth/crypto";
import type { Bindings } from "../../src/env";
import { db } from "../../src/storage/db";
import { tenants } from "../../src/storage/schema";
import { processEvent, type ProcessEvent } from "../../src/webhooks/process";
import { addKey, call, flushInboxes, json } from "./fixtures";

const TENANT = "storm";
const ADMIN = "cg_test_storm_admin";
const SECRET = "whsec_storm_test_secret_0123456789";
const TOTAL = 2000;

/** A small seeded PRNG, so a failing run can be reproduced. */
function prng(seed: number) {
  return () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

async function stripeHeader(body: string, secret: string, t = Math.floor(Date.now() / 1000)) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = toHex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
  return `t=${t},v1=${sig}`;
}

const paymentEvent = (i: number) =>
  JSON.stringify({
    id: `evt_storm_${i}`,
    object: "event",
    type: "payment_intent.succeeded",
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: `pi_storm_${i}`, object: "payment_intent", amount: 100 + i, currency: "usd", metadata: {} } },
  });

/**
 * Delivers through the worker's own fetch handler. (The pool's loopback `exports.default.fetch`
 * slows down with every batch of concurrent requests, doubling per 50 even for /health/live, so a
 * 2 000-delivery storm would measure the harness, not Curbgate.)
 */
async function deliver(path: string, body: string, headers: Record<string, string>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://curbgate.test${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Queues that keep what is sent to them, so the test decides when the consumers run. */
function capture<T>() {
  const sent: T[] = [];
  const queue = {
    sent,
    async send(body: T) { sent.push(structuredClone(body)); },
    async sendBatch(items: { body: T }[]) { for (const i of items) sent.push(structuredClone(i.body)); },
  };
  return queue;
}

describe("webhook storm", () => {
  const captured = capture<WebhookMessage>();
  const responses = { accepted: 0, duplicates: 0, refused: 0, other: 0 };
  const validUnique = new Set<number>();

  beforeAll(async () => {
    await db(env.DB).insert(tenants).values({ id: TENANT, name: "Storm City", timezone: "UTC" }).onConflictDoNothing();
    await addKey(env, ADMIN, TENANT, ["integrations:read", "integrations:write", "webhooks:read", "webhooks:write"], 1_000_000);
    const connect = await call("/v1/integrations/connections", { key: ADMIN, body: { provider: "stripe", credentials: { secretKey: "sk_test_storm", webhookSecret: SECRET } } });
    expect([200, 201]).toContain(connect.status);
    // Every inbox shard of this tenant hands its events to the captured queue instead of the live one.
    for (let shard = 0; shard < 8; shard++) {
      const inboxes = env.WEBHOOK_INBOX as unknown as DurableObjectNamespace;
      const stub = inboxes.get(inboxes.idFromName(`${TENANT}:stripe:${shard}`));
      const swapQueue = (instance: { env: Bindings }) => {
        instance.env = { ...instance.env, WEBHOOK_QUEUE: captured as unknown as Queue<WebhookMessage> };
      };
      // (cast: the generic signature sends the type checker into unbounded instantiation for this stub)
      const runInside = (cloudflareTest as unknown as { runInDurableObject: (stub: unknown, fn: (instance: any) => void) => Promise<void> }).runInDurableObject;
      await runInside(stub, swapQueue);
    }

    const random = prng(42);
    const deliveries: { body: string; good: boolean; i: number }[] = [];
    let next = 0;
    while (deliveries.length < TOTAL) {
      const roll = random();
      if (roll < 0.05) deliveries.push({ body: paymentEvent(next++), good: false, i: -1 }); // bad signature, never sent validly
      else if (roll < 0.15 && validUnique.size > 0) {
        const again = [...validUnique][Math.floor(random() * validUnique.size)]!;
        deliveries.push({ body: paymentEvent(again), good: true, i: again });
      } else {
        const i = next++;
        validUnique.add(i);
        deliveries.push({ body: paymentEvent(i), good: true, i });
      }
    }
    for (let at = 0; at < deliveries.length; at += 50) {
      await Promise.all(
        deliveries.slice(at, at + 50).map(async (d) => {
          const signature = await stripeHeader(d.body, d.good ? SECRET : "whsec_forged_secret");
          const res = await deliver(`/v1/webhooks/${TENANT}/stripe`, d.body, { "stripe-signature": signature });
          if (res.status === 401) responses.refused++;
          else if (res.status === 200) ((await json(res)).duplicate ? responses.duplicates++ : responses.accepted++);
          else responses.other++;
        }),
      );
    }
    await flushInboxes(env, TENANT, "stripe");
  }, 120_000);

  it("acknowledged every valid delivery, once as new, and refused every forged one", () => {
    expect(responses.other).toBe(0);
    expect(responses.accepted).toBe(validUnique.size);
    expect(responses.accepted + responses.duplicates + responses.refused).toBe(TOTAL);
    expect(responses.refused).toBeGreaterThan(TOTAL * 0.03);
    expect(responses.duplicates).toBeGreaterThan(TOTAL * 0.06);
    expect(captured.sent.length).toBe(validUnique.size); // duplicates never reach the queue
  });

  it("applies every valid unique event's effect exactly once through a flaky processor, retries and dead letters", async () => {
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
    let pending = captured.sent.map((body) => ({ body, attempts: 1 }));
    const delaysByAttempt = new Map<number, number[]>();
    while (pending.length) {
      const batch = createMessageBatch<WebhookMessage>("curbgate-webhooks", pending.map((p, k) => ({ id: `m${k}`, timestamp: new Date(), body: p.body, attempts: p.attempts })));
      // The pool records that a message was retried but not its delay, so the delay is noted on the way.
      const delays = new Map<string, number>();
      for (const msg of batch.messages) {
        const retry = msg.retry.bind(msg);
        Object.defineProperty(msg, "retry", { value: (o?: QueueRetryOptions) => (delays.set(msg.id, o?.delaySeconds ?? -1), retry(o)) });
      }
      const ctx = createExecutionContext();
      await handleWebhookBatch(batch, consumerEnv, { process: flaky });
      const result = await getQueueResult(batch, ctx);
      const retried = new Map<string, number>(result.retryMessages.map((r: { msgId: string }) => [r.msgId, delays.get(r.msgId)!]));
      pending = pending.flatMap((p, k) => {
        const delay = retried.get(`m${k}`);
        if (delay === undefined) return [];
        delaysByAttempt.set(p.attempts, [...(delaysByAttempt.get(p.attempts) ?? []), delay]);
        return [{ body: p.body, attempts: p.attempts + 1 }];
      });
    }
    // Retry delays grow with the attempt number (averaged, since each carries jitter).
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.min(...delaysByAttempt.get(1)!)).toBeGreaterThanOrEqual(1);
    expect(mean(delaysByAttempt.get(2)!)).toBeGreaterThan(mean(delaysByAttempt.get(1)!) * 1.5);

    // Exhausted events went to the dead-letter queue; its consumer records them with the last error.
    expect(dlq.sent.length).toBeGreaterThan(0);
    const dead = createMessageBatch<DeadLetterMessage>("curbgate-webhooks-dlq", dlq.sent.map((body, k) => ({ id: `d${k}`, timestamp: new Date(), body, attempts: 1 })));
    await handleDeadLetterBatch(dead, env);
    const letters = await json(await call("/v1/dead-letters?replayed=false&limit=200", { key: ADMIN }));
    expect(letters.data.length).toBe(dlq.sent.length);
    expect(letters.data[0].lastError).toMatch(/injected failure/);

    // Operators replay them; the live queue and consumer (no injected faults) finish the job.
    const replay = await json(await call("/v1/dead-letters/replay", { key: ADMIN, body: { since: new Date(Date.now() - 3600_000).toISOString() } }));
    expect(replay.replayed).toBe(dlq.sent.length);
    const deadline = Date.now() + 60_000;
    let monitor: any;
    do {
      await new Promise((r) => setTimeout(r, 200));
      monitor = await json(await call("/v1/monitoring/webhooks", { key: ADMIN }));
    } while ((monitor.byProvider.stripe?.dead ?? 0) + monitor.backlog > 0 && Date.now() < deadline);

    expect(monitor.byProvider.stripe).toEqual({ processed: validUnique.size });
    expect(monitor.backlog).toBe(0);
    const rows = await env.DB.prepare("SELECT provider_transaction_id AS txn, amount_cents AS amount, COUNT(*) AS n FROM payments WHERE tenant_id = ? GROUP BY txn").bind(TENANT).all<{ txn: string; amount: number; n: number }>();
    expect(rows.results.length).toBe(validUnique.size);
    for (const r of rows.results) {
      const i = Number(r.txn.replace("pi_storm_", ""));
      expect(validUnique.has(i)).toBe(true);
      expect(r.n).toBe(1);
      expect(r.amount).toBe(100 + i);
    }
  }, 180_000);
});

describe("a redelivery after the inbox has forgotten the event id", () => {
  it("is acknowledged by the consumer without a second effect", async () => {
    const body = paymentEvent(999_999);
    const first: WebhookMessage = { v: 1, eventId: "whe_AAAAAAAAAAAAAAAAAAAA", tenantId: TENANT, provider: "stripe", externalId: "evt_storm_999999", type: "payment_intent.succeeded", receivedAt: Date.now(), headers: {}, url: "https://curbgate.test/", payload: body };
    const later: WebhookMessage = { ...first, eventId: "whe_BBBBBBBBBBBBBBBBBBBB" };
    for (const m of [first, later]) {
      const batch = createMessageBatch<WebhookMessage>("curbgate-webhooks", [{ id: m.eventId, timestamp: new Date(), body: m, attempts: 1 }]);
      const ctx = createExecutionContext();
      await handleWebhookBatch(batch, env);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([m.eventId]);
    }
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM payments WHERE tenant_id = ? AND provider_transaction_id = 'pi_storm_999999'").bind(TENANT).first<{ n: number }>();
    expect(n?.n).toBe(1);
    const events = await env.DB.prepare("SELECT id FROM webhook_events WHERE external_id = 'evt_storm_999999'").all();
    expect(events.results.map((r) => r.id)).toEqual(["whe_AAAAAAAAAAAAAAAAAAAA"]);
  });
});
