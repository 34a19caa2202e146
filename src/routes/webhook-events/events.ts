import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, gte, type SQL } from "drizzle-orm";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { webhookAttempts, webhookEvents } from "../../storage/schema";
import type { WebhookEventRow } from "../../storage/webhook-events";
import { bearer, errors, iso, json } from "../common";
import { EventIdParams, ListEventsQuery, WebhookEventDetail, WebhookEventSummary } from "./schemas";

const list = createRoute({
  method: "get", path: "/", tags: ["Webhooks"], summary: "Search received webhook events (newest first)",
  security: bearer, middleware: [requireScope("webhooks:read")] as const, request: { query: ListEventsQuery },
  responses: { 200: json(z.object({ data: z.array(WebhookEventSummary) }), "Matching events"), ...errors() },
});
const one = createRoute({
  method: "get", path: "/{id}", tags: ["Webhooks"], summary: "One event: headers (secrets masked), payload, attempts, errors, effect",
  security: bearer, middleware: [requireScope("webhooks:read")] as const, request: { params: EventIdParams },
  responses: { 200: json(WebhookEventDetail, "The event"), ...errors(404) },
});

export const summary = (r: WebhookEventRow) => ({
  id: r.id, provider: r.provider, externalId: r.externalId, type: r.type, status: r.status, attempts: r.attempts,
  lastError: r.lastError, receivedAt: iso(r.receivedAt), processedAt: r.processedAt === null ? null : iso(r.processedAt),
});

export async function findEvent(database: ReturnType<typeof db>, tenantId: string, id: string) {
  const [row] = await database.select().from(webhookEvents).where(and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.id, id))).limit(1);
  if (!row) throw new ApiError(404, "Webhook event not found");
  return row;
}

export const webhookEventRoutes = router()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const where: SQL[] = [eq(webhookEvents.tenantId, c.get("principal").tenantId)];
    if (q.provider) where.push(eq(webhookEvents.provider, q.provider));
    if (q.type) where.push(eq(webhookEvents.type, q.type));
    if (q.status) where.push(eq(webhookEvents.status, q.status));
    if (q.since) where.push(gte(webhookEvents.receivedAt, Date.parse(q.since)));
    const rows = await db(c.env.DB).select().from(webhookEvents).where(and(...where)).orderBy(desc(webhookEvents.receivedAt)).limit(q.limit);
    return c.json({ data: rows.map(summary) }, 200);
  })
  .openapi(one, async (c) => {
    const database = db(c.env.DB);
    const tenantId = c.get("principal").tenantId;
    const row = await findEvent(database, tenantId, c.req.valid("param").id);
    const attempts = await database
      .select()
      .from(webhookAttempts)
      .where(and(eq(webhookAttempts.tenantId, tenantId), eq(webhookAttempts.eventId, row.id)))
      .orderBy(asc(webhookAttempts.startedAt));
    const payload = row.payload ?? (row.payloadKey ? ((await (await c.env.BLOBS.get(row.payloadKey))?.text()) ?? null) : null);
    return c.json(
      {
        ...summary(row), headers: row.headers, url: row.url, payload, effect: row.effect ?? null,
        attemptLog: attempts.map((a) => ({ attempt: a.attempt, ok: a.ok, error: a.error, startedAt: iso(a.startedAt), durationMs: a.durationMs })),
      },
      200,
    );
  });
