// Liveness (the process answers), readiness (D1 reachable and migrated) and a deep check of every binding.
import { createRoute, z } from "@hono/zod-openapi";
import { router } from "../http/router";
import { db, pingDatabase } from "../storage/db";
import { zoneStub } from "../storage/zone-state";
import { queueProbe } from "../lib/queues";
import { json } from "./common";

const Status = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() })).optional(),
});
const down = { description: "Something it depends on is down", content: { "application/json": { schema: Status } } };

const live = createRoute({
  method: "get",
  path: "/live",
  tags: ["Health"],
  summary: "The worker answers",
  responses: { 200: json(Status, "Alive") },
});
const ready = createRoute({
  method: "get",
  path: "/ready",
  tags: ["Health"],
  summary: "D1 reachable and migrated",
  responses: { 200: json(Status, "Ready"), 503: down },
});
const deep = createRoute({
  method: "get",
  path: "/deep",
  tags: ["Health"],
  summary: "D1, KV, R2, Durable Objects and the queues each answer",
  description: "Each queue is probed with a message its consumer acknowledges unread.",
  responses: { 200: json(Status, "All bindings answer"), 503: down },
});

async function probe(fn: () => Promise<unknown>) {
  const started = Date.now();
  try {
    await fn();
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, error: err instanceof Error ? err.message : String(err) };
  }
}

export const health = router()
  .openapi(live, (c) => c.json({ status: "ok" as const }, 200))
  .openapi(ready, async (c) => {
    const d1 = await probe(() => pingDatabase(db(c.env.DB)));
    return c.json({ status: d1.ok ? ("ok" as const) : ("degraded" as const), checks: { d1 } }, d1.ok ? 200 : 503);
  })
  .openapi(deep, async (c) => {
    const [d1, kv, r2, durableObjects, webhookQueue, webhookDeadLetterQueue, syncQueue] = await Promise.all([
      probe(() => pingDatabase(db(c.env.DB))),
      probe(() => c.env.CACHE.get("health:probe")),
      probe(() => c.env.BLOBS.head("health/probe")),
      probe(() => zoneStub(c.env, "__health__", "PROBE").stats(Date.now())),
      probe(() => c.env.WEBHOOK_QUEUE.send(queueProbe(), { contentType: "json" })),
      probe(() => c.env.WEBHOOK_DLQ.send(queueProbe(), { contentType: "json" })),
      probe(() => c.env.SYNC_QUEUE.send(queueProbe(), { contentType: "json" })),
    ]);
    const checks = { d1, kv, r2, durableObjects, webhookQueue, webhookDeadLetterQueue, syncQueue };
    const ok = Object.values(checks).every((x) => x.ok);
    return c.json({ status: ok ? ("ok" as const) : ("degraded" as const), checks }, ok ? 200 : 503);
  });
