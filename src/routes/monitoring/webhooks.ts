import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { unreplayedCount } from "../../storage/dead-letters";
import { eventCounts, oldestUnprocessed, receiptToEffectAt, settledCount } from "../../storage/webhook-events";
import { bearer, errors, json } from "../common";

const DAY_MS = 86_400_000;

const route = createRoute({
  method: "get",
  path: "/webhooks",
  tags: ["Webhooks"],
  summary: "Webhook health: counts by provider and status, backlog, dead letters, receipt-to-effect latency",
  security: bearer,
  middleware: [requireScope("webhooks:read")] as const,
  responses: {
    200: json(
      z.object({
        byProvider: z.record(z.string(), z.record(z.string(), z.number().int())),
        backlog: z
          .number()
          .int()
          .openapi({ description: "Events received but not yet processed (waiting in the queue or retrying)" }),
        deadLetters: z.number().int().openapi({ description: "Dead letters not yet replayed" }),
        receiptToEffectMs: z
          .object({ p50: z.number().nullable(), p95: z.number().nullable(), samples: z.number().int() })
          .openapi({ description: "Over the last 24 hours" }),
        oldestUnprocessed: z
          .object({
            eventId: z.string(),
            provider: z.string(),
            status: z.string(),
            receivedAt: z.string(),
            ageSeconds: z.number().int(),
          })
          .nullable()
          .openapi({
            description:
              "The oldest event received but not yet processed; events idle for 10 minutes are queued again by the sweep",
          }),
      }),
      "Webhook health for the caller's tenant",
    ),
    ...errors(),
  },
});

export const webhookMonitoring = router().openapi(route, async (c) => {
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const since = Date.now() - DAY_MS;
  const [groups, dead, samples, oldest] = await Promise.all([
    eventCounts(database, tenantId),
    unreplayedCount(database, tenantId),
    settledCount(database, tenantId, since),
    oldestUnprocessed(database, tenantId),
  ]);
  // Nearest-rank percentiles over every event of the day, each fetched at its rank (no sample cap
  // that would keep only the fastest events).
  const at = async (p: number) => (samples ? receiptToEffectAt(database, tenantId, since, Math.ceil(p * samples) - 1) : null);
  const [p50, p95] = await Promise.all([at(0.5), at(0.95)]);
  const byProvider: Record<string, Record<string, number>> = {};
  let backlog = 0;
  for (const g of groups) {
    (byProvider[g.provider] ??= {})[g.status] = g.n;
    if (g.status === "received" || g.status === "processing" || g.status === "failed") backlog += g.n;
  }
  const now = Date.now();
  const oldestUnprocessedEvent = oldest && {
    eventId: oldest.id,
    provider: oldest.provider,
    status: oldest.status,
    receivedAt: new Date(oldest.receivedAt).toISOString(),
    ageSeconds: Math.max(0, Math.floor((now - oldest.receivedAt) / 1000)),
  };
  return c.json(
    {
      byProvider,
      backlog,
      deadLetters: dead,
      receiptToEffectMs: { p50, p95, samples },
      oldestUnprocessed: oldestUnprocessedEvent,
    },
    200,
  );
});
