// Deliveries that could once strand or block: ids that do not survive a round trip through SQLite,
// messages too large for the queue, and accepted events whose queue message is lost (a restart of
// `npm start` loses its local queue). Each is either refused before the 2xx with a problem+json
// saying why, or ends processed exactly once; monitoring shows how old the oldest waiting event is.
import * as cloudflareTest from "cloudflare:test";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { WebhookMessage } from "../../../src/webhooks/message";
import worker from "../../../src";
import type { Bindings } from "../../../src/env";
import { db } from "../../../src/storage/db";
import { tenants } from "../../../src/storage/schema";
import { recoverStrandedWebhooks } from "../../../src/webhooks/recovery";
import { addKey, expectProblem, flushInboxes, uniq } from "../fixtures";
import * as d from "./deliveries";

const TENANT = "poison";
const ADMIN = "cg_test_poison_admin";
const STRIPE_SECRET = `whsec_${uniq(32)}`;
const PAYSTACK_SECRET = `sk_test_${uniq(32)}`;

async function send(path: string, init: { body: string; headers?: Record<string, string>; key?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${d.ORIGIN}${path}`, { method: init.body ? "POST" : "GET", headers, body: init.body || undefined }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}
const get = (path: string) => send(path, { body: "", key: ADMIN }).then((r) => r.json() as Promise<any>);
async function deliver(provider: "stripe" | "paystack", body: string, extraHeaders: Record<string, string> = {}) {
  const url = `${d.ORIGIN}/v1/webhooks/${TENANT}/${provider}`;
  const signed =
    provider === "stripe" ? await d.signStripe(STRIPE_SECRET, body, url) : await d.signPaystack(PAYSTACK_SECRET, body, url);
  return send(`/v1/webhooks/${TENANT}/${provider}`, { body, headers: { ...signed, ...extraHeaders } });
}
const eventRows = () =>
  env.DB.prepare("SELECT id, external_id, status, attempts, payload_key FROM webhook_events WHERE tenant_id = ?")
    .bind(TENANT)
    .all<{ id: string; external_id: string; status: string; attempts: number; payload_key: string | null }>()
    .then((r) => r.results);
const charge = (reference: string, amount = 900) =>
  d.paystackEvent("charge.success", {
    id: 7_000_000 + Math.floor(Math.random() * 1e6),
    reference,
    amount,
    currency: "USD",
    status: "success",
    paid_at: new Date().toISOString(),
  });

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  await db(env.DB).insert(tenants).values({ id: TENANT, name: "Poison City", timezone: "UTC" }).onConflictDoNothing();
  await addKey(env, ADMIN, TENANT, ["integrations:read", "integrations:write", "webhooks:read", "webhooks:write"]);
  for (const [provider, credentials] of [
    ["stripe", { secretKey: `sk_test_${uniq(24)}`, webhookSecret: STRIPE_SECRET }],
    ["paystack", { secretKey: PAYSTACK_SECRET }],
  ] as const) {
    const res = await send("/v1/integrations/connections", { key: ADMIN, body: JSON.stringify({ provider, credentials }) });
    expect(res.status).toBe(201);
  }
});

describe("a delivery whose identity cannot be stored as sent", () => {
  it.each([
    [
      "Paystack, a lone surrogate in data.id",
      "paystack",
      '{"event":"charge.success","data":{"id":"\\ud800","amount":100,"currency":"USD"}}',
      "eventId",
      /lone UTF-16 surrogate/,
    ],
    [
      "Stripe, an id ending in a lone surrogate",
      "stripe",
      '{"id":"evt_x\\ud800","object":"event","type":"payment_intent.succeeded","data":{"object":{}}}',
      "eventId",
      /lone UTF-16 surrogate/,
    ],
    [
      "Stripe, a 600-character id",
      "stripe",
      JSON.stringify({ id: `evt_${"a".repeat(600)}`, object: "event", type: "charge.refunded", data: { object: {} } }),
      "eventId",
      /604 characters long; at most 512/,
    ],
    [
      "Paystack, a 100 KB event name",
      "paystack",
      JSON.stringify({ event: "e".repeat(100 * 1024), data: { id: 1, reference: "r" } }),
      "eventType",
      /102400 characters long; at most 200/,
    ],
  ] as const)("%s is refused with 400 before the 2xx, and nothing is stored", async (_name, provider, body, path, message) => {
    const before = (await eventRows()).length;
    const p = await expectProblem(await deliver(provider, body), 400);
    expect(p.detail).toBe("The delivery's event id or type cannot be stored as sent");
    // (Paystack's id embeds the event name, so a huge name makes a huge id too.)
    expect(p.errors).toEqual(expect.arrayContaining([{ location: "body", path, message: expect.stringMatching(message) }]));
    await flushInboxes(env, TENANT, provider);
    expect((await eventRows()).length).toBe(before);
  });

  it("a delivery whose headers alone would overflow a queue message is refused with 413", async () => {
    const body = d.stripeEvent("customer.created", { id: `cus_${uniq(12)}` });
    const p = await expectProblem(await deliver("stripe", body, { "x-padding": "p".repeat(100 * 1024) }), 413);
    expect(p.detail).toMatch(/headers and URL take \d+ bytes; at most 98304/);
  });
});

describe("a body that JSON escaping would make too large for the queue", () => {
  it("is accepted, kept in R2 instead of the message, and processed", async () => {
    // 60 KB of control characters: small on the wire, ~360 KB once escaped into a message.
    const reference = `T${uniq(14)}`;
    const body = JSON.stringify({
      event: "charge.success",
      data: { id: 8_123_456, reference, amount: 1200, currency: "USD", status: "success", note: "\u0001".repeat(60 * 1024) },
    });
    const res = await deliver("paystack", body);
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    await flushInboxes(env, TENANT, "paystack");
    const row = await until(
      () => eventRows().then((rows) => rows.find((r) => r.id === id)!),
      (r) => r.status === "processed",
    );
    expect(row).toMatchObject({ status: "processed", payload_key: `webhooks/${TENANT}/paystack/${id}` });
    const paid = await env.DB.prepare(
      "SELECT amount_cents AS amount FROM payments WHERE tenant_id = ? AND provider_transaction_id = ?",
    )
      .bind(TENANT, reference)
      .all();
    expect(paid.results).toEqual([{ amount: 1200 }]);
  });
});

describe("accepted events whose queue message was lost", () => {
  it("stay received until the sweep queues them again; then each is processed exactly once, and monitoring showed their age", async () => {
    // The inboxes of one shard hand their events to a queue that loses them, as a restarted `npm start` does.
    const lost: WebhookMessage[] = [];
    const losingQueue = {
      async send() {},
      async sendBatch(items: { body: WebhookMessage }[]) {
        for (const i of items) lost.push(i.body);
      },
    };
    const runInside = (
      cloudflareTest as unknown as { runInDurableObject: (stub: unknown, fn: (instance: any) => void) => Promise<void> }
    ).runInDurableObject;
    const inboxes = env.WEBHOOK_INBOX as unknown as DurableObjectNamespace;
    for (let shard = 0; shard < 8; shard++)
      await runInside(
        inboxes.get(inboxes.idFromName(`${TENANT}:paystack:${shard}`)),
        (i: { env: Bindings }) => void (i.env = { ...i.env, WEBHOOK_QUEUE: losingQueue as unknown as Queue<WebhookMessage> }),
      );

    const references = Array.from({ length: 6 }, () => `T${uniq(14)}`);
    const ids: string[] = [];
    for (const reference of references)
      ids.push(((await (await deliver("paystack", charge(reference))).json()) as { id: string }).id);
    await flushInboxes(env, TENANT, "paystack");
    expect(lost.map((m) => m.eventId).sort()).toEqual([...ids].sort());
    const waiting = (await eventRows()).filter((r) => ids.includes(r.id));
    expect(waiting.map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ["received", 0]));

    const monitor = await get("/v1/monitoring/webhooks");
    expect(ids).toContain(monitor.oldestUnprocessed.eventId);
    expect(monitor.oldestUnprocessed).toMatchObject({ provider: "paystack", status: "received" });
    expect(monitor.oldestUnprocessed.ageSeconds).toBeGreaterThanOrEqual(0);

    // Not yet stranded: the sweep leaves events alone for ten minutes.
    const soon = await recoverStrandedWebhooks(env, Date.now() + 60_000);
    expect(soon).toBe(0);
    // Eleven minutes on, they are queued again (the live queue this time) and processed.
    expect(await recoverStrandedWebhooks(env, Date.now() + 11 * 60_000)).toBeGreaterThanOrEqual(ids.length);
    const done = await until(
      () => eventRows().then((rows) => rows.filter((r) => ids.includes(r.id))),
      (rows) => rows.every((r) => r.status === "processed"),
    );
    expect(done.map((r) => r.status)).toEqual(ids.map(() => "processed"));
    // A second sweep (and the lost messages, were they ever to turn up) change nothing.
    await recoverStrandedWebhooks(env, Date.now() + 30 * 60_000);
    for (const m of lost) await env.WEBHOOK_QUEUE.send(m);
    await new Promise((r) => setTimeout(r, 1_500));
    for (const reference of references) {
      const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM payments WHERE tenant_id = ? AND provider_transaction_id = ?")
        .bind(TENANT, reference)
        .first<{ n: number }>();
      expect(n?.n, reference).toBe(1);
    }
    expect((await get("/v1/monitoring/webhooks")).oldestUnprocessed).toBeNull();
  });
});

describe("/health/deep", () => {
  it("probes the three queues beside D1, KV, R2 and Durable Objects", async () => {
    const res = await send("/health/deep", { body: "" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(body.status).toBe("ok");
    expect(Object.keys(body.checks).sort()).toEqual([
      "d1",
      "durableObjects",
      "kv",
      "r2",
      "syncQueue",
      "webhookDeadLetterQueue",
      "webhookQueue",
    ]);
    for (const check of Object.values(body.checks)) expect(check.ok).toBe(true);
  });

  it("answers 503 and names the queue when one refuses", async () => {
    const broken = {
      send: async () => {
        throw new Error("queue unavailable");
      },
    };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${d.ORIGIN}/health/deep`),
      { ...env, SYNC_QUEUE: broken as unknown as Bindings["SYNC_QUEUE"] },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.status).toBe("degraded");
    expect(body.checks.syncQueue).toMatchObject({ ok: false, error: "queue unavailable" });
    expect(body.checks.webhookQueue!.ok).toBe(true);
  });
});
