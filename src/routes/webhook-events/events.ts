import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { eventAttempts, findEvent as findStoredEvent, searchEvents, type WebhookEventRow } from "../../storage/webhook-events";
import { bearer, errors, iso, json } from "../common";
import { EventIdParams, ListEventsQuery, WebhookEventDetail, WebhookEventSummary } from "./schemas";

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["Webhooks"],
  summary: "Search received webhook events (newest first)",
  security: bearer,
  middleware: [requireScope("webhooks:read")] as const,
  request: { query: ListEventsQuery },
  responses: { 200: json(z.object({ data: z.array(WebhookEventSummary) }), "Matching events"), ...errors() },
});
const one = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Webhooks"],
  summary: "One event: headers (secrets masked), payload, attempts, errors, effect",
  security: bearer,
  middleware: [requireScope("webhooks:read")] as const,
  request: { params: EventIdParams },
  responses: { 200: json(WebhookEventDetail, "The event"), ...errors(404) },
});

export const summary = (r: WebhookEventRow) => ({
  id: r.id,
  provider: r.provider,
  externalId: r.externalId,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  lastError: r.lastError,
  receivedAt: iso(r.receivedAt),
  processedAt: r.processedAt === null ? null : iso(r.processedAt),
});

export async function findEvent(database: ReturnType<typeof db>, tenantId: string, id: string) {
  const row = await findStoredEvent(database, tenantId, id);
  if (!row) throw new ApiError(404, "Webhook event not found");
  return row;
}

export const webhookEventRoutes = router()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    const rows = await searchEvents(db(c.env.DB), c.get("principal").tenantId, {
      provider: q.provider,
      type: q.type,
      status: q.status,
      sinceMs: q.since ? Date.parse(q.since) : undefined,
      limit: q.limit,
    });
    return c.json({ data: rows.map(summary) }, 200);
  })
  .openapi(one, async (c) => {
    const database = db(c.env.DB);
    const tenantId = c.get("principal").tenantId;
    const row = await findEvent(database, tenantId, c.req.valid("param").id);
    const attempts = await eventAttempts(database, tenantId, row.id);
    const payload = row.payload ?? (row.payloadKey ? ((await (await c.env.BLOBS.get(row.payloadKey))?.text()) ?? null) : null);
    return c.json(
      {
        ...summary(row),
        headers: row.headers,
        url: row.url,
        payload,
        effect: row.effect ?? null,
        attemptLog: attempts.map((a) => ({
          attempt: a.attempt,
          ok: a.ok,
          error: a.error,
          startedAt: iso(a.startedAt),
          durationMs: a.durationMs,
        })),
      },
      200,
    );
  });
