// The WebhookInbox on its own: accepting is a durable insert, and the alarm's flush hands waiting
// events to the queue in batches, writes the operators' "received" rows, survives a queue outage and
// a D1 outage, and never sends an event twice.
import * as cloudflareTest from "cloudflare:test";
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { WebhookMessage } from "../../queues/messages";
import type { Bindings } from "../../src/env";
import { uniq } from "./fixtures";

type Instance = { env: Bindings };
// (cast: the generic signature sends the type checker into unbounded instantiation for this stub)
const runInside = (cloudflareTest as unknown as { runInDurableObject: <R>(stub: unknown, fn: (instance: any, state: DurableObjectState) => R | Promise<R>) => Promise<R> }).runInDurableObject;

function inbox() {
  const name = `inbox-test:${uniq(10)}`;
  return env.WEBHOOK_INBOX.get(env.WEBHOOK_INBOX.idFromName(name));
}

const message = (tenantId: string, externalId = `evt_${uniq(16)}`): WebhookMessage => ({
  v: 1, eventId: `whe_${uniq(20)}`, tenantId, provider: "stripe", externalId, type: "payment_intent.succeeded",
  receivedAt: Date.now(), headers: { "content-type": "application/json" }, url: "https://curbgate.test/v1/webhooks/x/stripe", payload: "{}",
});

/** A queue that keeps each sendBatch call, or throws while `down` is set. */
function recordingQueue() {
  const q = {
    down: false,
    batches: [] as WebhookMessage[][],
    async send(): Promise<void> { throw new Error("the inbox sends in batches"); },
    async sendBatch(items: { body: WebhookMessage }[]) {
      if (q.down) throw new Error("queue unavailable");
      q.batches.push(items.map((i) => structuredClone(i.body)));
    },
  };
  return q;
}

/** Runs the flush until nothing waits (the object's own alarm may be mid-flush when the test asks). */
async function flushed(stub: ReturnType<typeof inbox>) {
  for (let attempt = 0; attempt < 50; attempt++) {
    await runDurableObjectAlarm(stub);
    if ((await stub.pendingCount()) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("the inbox did not flush");
}

const receivedRows = (tenantId: string) =>
  env.DB.prepare("SELECT id, status FROM webhook_events WHERE tenant_id = ?").bind(tenantId).all<{ id: string; status: string }>().then((r) => r.results);

describe("WebhookInbox", () => {
  it("accepts at once, and one flush queues everything waiting in one batch with its received rows", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    const tenant = `t_${uniq(8)}`;
    await runInside(stub, (i: Instance) => void (i.env = { ...i.env, WEBHOOK_QUEUE: queue as unknown as Queue<WebhookMessage> }));
    // The accepts and the flush alarm run in one object, so the flush may fire between them: what
    // matters is that every event leaves in a batch, exactly once.
    const sent = Array.from({ length: 30 }, () => message(tenant));
    const acks = await Promise.all(sent.map((m) => stub.accept(m)));
    expect(acks.every((a, k) => a.duplicate === false && a.id === sent[k]!.eventId)).toBe(true);
    await flushed(stub);
    const delivered = queue.batches.flat();
    expect(delivered.map((m) => m.eventId).sort()).toEqual(sent.map((m) => m.eventId).sort());
    expect(queue.batches.length).toBeLessThan(sent.length); // batched, not one call per event
    const rows = await receivedRows(tenant);
    expect(rows.map((r) => r.id).sort()).toEqual(sent.map((m) => m.eventId).sort());
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["received"]));

    // A redelivery of a flushed event is a duplicate with the original id, and is not sent again.
    const again = await stub.accept({ ...sent[0]!, eventId: `whe_${uniq(20)}` });
    expect(again).toEqual({ id: sent[0]!.eventId, duplicate: true });
    await flushed(stub);
    expect(queue.batches.flat()).toHaveLength(30);
  });

  it("keeps events through a queue outage, retries in 5 s, and sends each once when the queue is back", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    queue.down = true;
    const tenant = `t_${uniq(8)}`;
    await runInside(stub, (i: Instance) => void (i.env = { ...i.env, WEBHOOK_QUEUE: queue as unknown as Queue<WebhookMessage> }));
    const sent = [message(tenant), message(tenant), message(tenant)];
    for (const m of sent) expect((await stub.accept(m)).duplicate).toBe(false);
    // The flush fails and sets its retry alarm (the object's own alarm may have got there first).
    await runDurableObjectAlarm(stub);
    let retryAt: number | null = null;
    for (let attempt = 0; attempt < 50 && !(retryAt && retryAt > Date.now() + 1_000); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      retryAt = await runInside(stub, (_i: Instance, state: DurableObjectState) => state.storage.getAlarm());
    }
    expect(await stub.pendingCount()).toBe(3);
    expect(retryAt).not.toBeNull();
    expect(retryAt! - Date.now()).toBeGreaterThan(3_000); // the retry delay, not a hot loop
    expect(retryAt! - Date.now()).toBeLessThanOrEqual(5_000);

    queue.down = false;
    await flushed(stub);
    expect(queue.batches.flat().map((m) => m.eventId).sort()).toEqual(sent.map((m) => m.eventId).sort());
    // The received rows were written once; the second flush's insert did nothing to them.
    expect((await receivedRows(tenant)).length).toBe(3);
  });

  it("a D1 outage delays only the operators' view: the events still reach the queue", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    const tenant = `t_${uniq(8)}`;
    const brokenDb = { prepare() { throw new Error("D1 unavailable"); }, batch() { throw new Error("D1 unavailable"); } };
    await runInside(stub, (i: Instance) => void (i.env = { ...i.env, WEBHOOK_QUEUE: queue as unknown as Queue<WebhookMessage>, DB: brokenDb as unknown as D1Database }));
    const m = message(tenant);
    await stub.accept(m);
    await flushed(stub);
    expect(queue.batches.flat().map((x) => x.eventId)).toEqual([m.eventId]);
    expect(await receivedRows(tenant)).toEqual([]); // the consumer's first attempt creates the row instead
  });

  it("splits a flush so no sendBatch passes the queue's size limit", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    const tenant = `t_${uniq(8)}`;
    await runInside(stub, (i: Instance) => void (i.env = { ...i.env, WEBHOOK_QUEUE: queue as unknown as Queue<WebhookMessage> }));
    const big = "x".repeat(90 * 1024); // inline payloads go up to 96 KB
    const sent = Array.from({ length: 5 }, () => ({ ...message(tenant), payload: big }));
    for (const m of sent) await stub.accept(m);
    await flushed(stub);
    expect(queue.batches.flat()).toHaveLength(5);
    for (const b of queue.batches) expect(JSON.stringify(b).length).toBeLessThan(256 * 1024);
  });
});
