// The WebhookInbox on its own: accepting is a durable insert, and the alarm's flush hands waiting
// events to the queue in batches, writes the operators' "received" rows, survives a queue outage and
// a D1 outage, and never sends an event twice.
import * as cloudflareTest from "cloudflare:test";
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { isProbe, type QueueProbe } from "../../../src/lib/queues";
import type { WebhookMessage } from "../../../src/webhooks/message";
import type { Bindings } from "../../../src/env";
import { uniq } from "../fixtures";

type Instance = { env: Bindings };
// (cast: the generic signature sends the type checker into unbounded instantiation for this stub)
const runInside = (
  cloudflareTest as unknown as {
    runInDurableObject: <R>(stub: unknown, fn: (instance: any, state: DurableObjectState) => R | Promise<R>) => Promise<R>;
  }
).runInDurableObject;

function inbox() {
  const name = `inbox-test:${uniq(10)}`;
  return env.WEBHOOK_INBOX.get(env.WEBHOOK_INBOX.idFromName(name));
}

const message = (tenantId: string, externalId = `evt_${uniq(16)}`): WebhookMessage => ({
  v: 1,
  eventId: `whe_${uniq(20)}`,
  tenantId,
  provider: "stripe",
  externalId,
  type: "payment_intent.succeeded",
  receivedAt: Date.now(),
  headers: { "content-type": "application/json" },
  url: "https://curbgate.test/v1/webhooks/x/stripe",
  payload: "{}",
});

/**
 * A queue that keeps each sendBatch call; it throws while `down` is set, and refuses any batch holding
 * an event in `refuse` (as Queues refuse a whole batch for one bad message). Single sends (the inbox
 * splits a refused batch) and probes are kept apart.
 */
function recordingQueue() {
  const q = {
    down: false,
    refuse: new Set<string>(),
    batches: [] as WebhookMessage[][],
    singles: [] as WebhookMessage[],
    probes: 0,
    async send(body: WebhookMessage | QueueProbe) {
      if (q.down) throw new Error("queue unavailable");
      if (isProbe(body)) return void q.probes++;
      if (q.refuse.has(body.eventId)) throw new Error("message refused");
      q.singles.push(structuredClone(body));
    },
    async sendBatch(items: { body: WebhookMessage }[]) {
      if (q.down) throw new Error("queue unavailable");
      if (items.some((i) => q.refuse.has(i.body.eventId))) throw new Error("batch refused");
      q.batches.push(items.map((i) => structuredClone(i.body)));
    },
    delivered: () => [...q.batches.flat(), ...q.singles],
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
  env.DB.prepare("SELECT id, status FROM webhook_events WHERE tenant_id = ?")
    .bind(tenantId)
    .all<{ id: string; status: string }>()
    .then((r) => r.results);

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
    expect(
      queue.batches
        .flat()
        .map((m) => m.eventId)
        .sort(),
    ).toEqual(sent.map((m) => m.eventId).sort());
    // The received rows were written once; the second flush's insert did nothing to them.
    expect((await receivedRows(tenant)).length).toBe(3);
  });

  it("a D1 outage delays only the operators' view: the events still reach the queue", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    const tenant = `t_${uniq(8)}`;
    const brokenDb = {
      prepare() {
        throw new Error("D1 unavailable");
      },
      batch() {
        throw new Error("D1 unavailable");
      },
    };
    await runInside(
      stub,
      (i: Instance) =>
        void (i.env = {
          ...i.env,
          WEBHOOK_QUEUE: queue as unknown as Queue<WebhookMessage>,
          DB: brokenDb as unknown as D1Database,
        }),
    );
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

// ---- Poison and faults: no event re-sent forever, none blocking its shard, none lost ----

async function withQueue(
  stub: ReturnType<typeof inbox>,
  queue: ReturnType<typeof recordingQueue>,
  extra: Partial<Bindings> = {},
) {
  await runInside(
    stub,
    (i: Instance) => void (i.env = { ...i.env, WEBHOOK_QUEUE: queue as unknown as Queue<WebhookMessage>, ...extra }),
  );
}
/** Runs the flush once more, as its retry alarm would; rows backing off are made due first. */
async function flushDue(stub: ReturnType<typeof inbox>) {
  await runInside(
    stub,
    (_i: Instance, state: DurableObjectState) =>
      void state.storage.sql.exec("UPDATE events SET next_send_ms = 0 WHERE enqueued = 0"),
  );
  await runDurableObjectAlarm(stub);
}
const deadLetterOf = (eventId: string) =>
  env.DB.prepare(
    "SELECT d.attempts, d.last_error AS reason, e.status, e.payload, e.payload_key AS payloadKey FROM dead_letters d JOIN webhook_events e ON e.id = d.ref_id WHERE d.ref_id = ?",
  )
    .bind(eventId)
    .first<{ attempts: number; reason: string; status: string; payload: string | null; payloadKey: string | null }>();

describe("WebhookInbox: poison and faults", () => {
  it("marks an event with a lone surrogate in its vendor id sent once, by its own row, and never sends it again", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    await withQueue(stub, queue);
    const odd = message(`t_${uniq(8)}`, "evt_x\ud800");
    await stub.accept(odd);
    await flushed(stub);
    for (let k = 0; k < 3; k++) await flushDue(stub);
    expect(queue.delivered().map((m) => m.eventId)).toEqual([odd.eventId]);
    expect(await stub.inspect(odd.eventId)).toMatchObject({ state: "sent", recorded: true, messageKept: false });
  });

  it("dead-letters a message too large for any queue at once, payload moved to R2, and the rest of the shard flows", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    const tenant = `t_${uniq(8)}`;
    await withQueue(stub, queue);
    const huge = { ...message(tenant), payload: "x".repeat(130 * 1024) };
    const after = Array.from({ length: 5 }, () => message(tenant));
    await stub.accept(huge);
    for (const m of after) await stub.accept(m);
    await flushed(stub);
    expect(
      queue
        .delivered()
        .map((m) => m.eventId)
        .sort(),
    ).toEqual(after.map((m) => m.eventId).sort());
    expect(await stub.inspect(huge.eventId)).toMatchObject({ state: "dead", messageKept: false });
    const letter = await deadLetterOf(huge.eventId);
    expect(letter).toMatchObject({ status: "dead", payload: null, payloadKey: `webhooks/${tenant}/stripe/${huge.eventId}` });
    expect(letter!.reason).toMatch(/over the queue's 131072-byte limit/);
    expect(await (await env.BLOBS.get(letter!.payloadKey!))!.text()).toBe(huge.payload);
  });

  it("a message the queue refuses while it takes others is dead-lettered after three refusals; its batch-mates are sent at once", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    const tenant = `t_${uniq(8)}`;
    await withQueue(stub, queue);
    const poison = message(tenant);
    const others = Array.from({ length: 4 }, () => message(tenant));
    queue.refuse.add(poison.eventId);
    await stub.accept(poison);
    for (const m of others) await stub.accept(m);
    // The object's own alarm may be flushing as the test asks: run it until the first verdict is in.
    for (let k = 0; k < 50 && queue.delivered().length < others.length; k++) {
      await runDurableObjectAlarm(stub);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(
      queue
        .delivered()
        .map((m) => m.eventId)
        .sort(),
    ).toEqual(others.map((m) => m.eventId).sort());
    expect(await stub.inspect(poison.eventId)).toMatchObject({ state: "waiting", refusals: 1 });
    // Alone in its shard now: a probe shows the queue works, so each refusal counts.
    await flushDue(stub);
    await flushDue(stub);
    expect(queue.probes).toBe(2);
    expect(await stub.inspect(poison.eventId)).toMatchObject({ state: "dead" });
    expect(await stub.pendingCount()).toBe(0);
    const letter = await deadLetterOf(poison.eventId);
    expect(letter).toMatchObject({ attempts: 3, status: "dead" });
    expect(letter!.reason).toMatch(/refused it 3 times while taking other messages: (batch|message) refused/);
    // A later event in the same shard flows as usual.
    const later = message(tenant);
    await stub.accept(later);
    await flushed(stub);
    expect(queue.delivered().map((m) => m.eventId)).toContain(later.eventId);
  });

  it("in a queue outage nothing is dead-lettered, however long it lasts; the retry backs off and everything goes once it is back", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    const tenant = `t_${uniq(8)}`;
    await withQueue(stub, queue);
    queue.down = true;
    const sent = Array.from({ length: 3 }, () => message(tenant));
    for (const m of sent) await stub.accept(m);
    const retryIn = async () =>
      (await runInside(stub, (_i: Instance, state: DurableObjectState) => state.storage.getAlarm()))! - Date.now();
    for (let k = 0; k < 6; k++) {
      await flushDue(stub);
      expect(await retryIn()).toBeGreaterThan(3_000); // never a hot loop
    }
    for (const m of sent) expect(await stub.inspect(m.eventId)).toMatchObject({ state: "waiting", refusals: 0 });
    expect(queue.probes).toBe(0);
    // The retry waits as long as the outage has lasted so far, up to 5 minutes.
    await runInside(stub, (i: Instance & { outageSinceMs: number }) => void (i.outageSinceMs = Date.now() - 60_000));
    await flushDue(stub);
    expect(await retryIn()).toBeGreaterThan(55_000);
    await runInside(stub, (i: Instance & { outageSinceMs: number }) => void (i.outageSinceMs = Date.now() - 3_600_000));
    await flushDue(stub);
    expect(await retryIn()).toBeLessThanOrEqual(300_000);
    expect(await retryIn()).toBeGreaterThan(290_000);
    queue.down = false;
    await flushDue(stub);
    await flushed(stub);
    expect(
      queue
        .delivered()
        .map((m) => m.eventId)
        .sort(),
    ).toEqual(sent.map((m) => m.eventId).sort());
    expect(await deadLetterOf(sent[0]!.eventId)).toBeNull();
  });

  it("keeps a sent event's message until its D1 row is written, so a lost queue message can always be found", async () => {
    const stub = inbox();
    const queue = recordingQueue();
    const tenant = `t_${uniq(8)}`;
    const brokenDb = {
      prepare() {
        throw new Error("D1 unavailable");
      },
      batch() {
        throw new Error("D1 unavailable");
      },
    };
    await withQueue(stub, queue, { DB: brokenDb as unknown as D1Database });
    const m = message(tenant);
    await stub.accept(m);
    await flushed(stub);
    expect(await stub.inspect(m.eventId)).toMatchObject({ state: "sent", recorded: false, messageKept: true });
    const retryAt = await runInside(stub, (_i: Instance, state: DurableObjectState) => state.storage.getAlarm());
    expect(retryAt! - Date.now()).toBeLessThanOrEqual(5_000); // not the daily housekeeping: the D1 write is retried
    await withQueue(stub, queue, { DB: env.DB });
    await runDurableObjectAlarm(stub);
    expect(await stub.inspect(m.eventId)).toMatchObject({ state: "sent", recorded: true, messageKept: false });
    expect(await receivedRows(tenant)).toEqual([{ id: m.eventId, status: "received" }]);
    expect(queue.delivered()).toHaveLength(1);
  });
});
