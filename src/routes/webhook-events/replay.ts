// Operators replay one event, or every dead letter in a time range. Effects are idempotent, so a
// replay re-runs the handler without doubling what it did.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { db } from "../../storage/db";
import { markLettersReplayed, searchDeadLetters, unreplayedWebhookLetters } from "../../storage/dead-letters";
import { findEvents } from "../../storage/webhook-events";
import { fitForQueue, messageOf } from "../../webhooks/message";
import { sendBatches } from "../../lib/queues";
import { bearer, errors, iso, json, jsonBody } from "../common";
import { findEvent } from "./events";
import { DeadLetterSchema, EventIdParams, ReplayRange } from "./schemas";

const MAX_REPLAY = 500;

const replayOne = createRoute({
  method: "post", path: "/v1/webhook-events/{id}/replay", tags: ["Webhooks"], summary: "Process an event again",
  security: bearer, middleware: [requireScope("webhooks:write")] as const, request: { params: EventIdParams },
  responses: { 202: json(z.object({ queued: z.literal(true), id: z.string() }), "Queued for processing"), ...errors(404) },
});
const listDead = createRoute({
  method: "get", path: "/v1/dead-letters", tags: ["Webhooks"], summary: "Events that exhausted their attempts (newest first)",
  security: bearer, middleware: [requireScope("webhooks:read")] as const,
  request: { query: z.object({ kind: z.enum(["webhook", "sync"]).optional().openapi({ description: "webhook events, or sync jobs (replayed through POST /v1/integrations/{provider}/sync/retry)" }), provider: z.string().max(32).optional(), replayed: z.enum(["true", "false"]).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: { 200: json(z.object({ data: z.array(DeadLetterSchema) }), "Dead letters"), ...errors() },
});
const replayDead = createRoute({
  method: "post", path: "/v1/dead-letters/replay", tags: ["Webhooks"], summary: `Replay every unreplayed dead letter that failed in a time range (at most ${MAX_REPLAY} a call)`,
  security: bearer, middleware: [requireScope("webhooks:write")] as const, request: { body: jsonBody(ReplayRange) },
  responses: { 202: json(z.object({ replayed: z.number().int(), eventIds: z.array(z.string()) }), "Queued for processing"), ...errors() },
});

export const webhookReplayRoutes = router()
  .openapi(replayOne, async (c) => {
    const row = await findEvent(db(c.env.DB), c.get("principal").tenantId, c.req.valid("param").id);
    await c.env.WEBHOOK_QUEUE.send(await fitForQueue(c.env, messageOf(row)), { contentType: "json" });
    audit(c, "webhook.replay", row.id);
    return c.json({ queued: true as const, id: row.id }, 202);
  })
  .openapi(listDead, async (c) => {
    const q = c.req.valid("query");
    const replayed = q.replayed === "true" ? true : q.replayed === "false" ? false : undefined;
    const rows = await searchDeadLetters(db(c.env.DB), c.get("principal").tenantId, { kind: q.kind, provider: q.provider, replayed, limit: q.limit });
    return c.json({ data: rows.map((d) => ({ id: d.id, kind: d.kind, eventId: d.refId, provider: d.provider, attempts: d.attempts, lastError: d.lastError, failedAt: iso(d.failedAt), replayedAt: d.replayedAt === null ? null : iso(d.replayedAt) })) }, 200);
  })
  .openapi(replayDead, async (c) => {
    const body = c.req.valid("json");
    const tenantId = c.get("principal").tenantId;
    const database = db(c.env.DB);
    // Webhook dead letters only: a sync job's is replayed by retrying the job, which keeps its idempotency keys.
    const range = { fromMs: Date.parse(body.since), untilMs: body.until ? Date.parse(body.until) : Date.now(), provider: body.provider };
    const letters = await unreplayedWebhookLetters(database, tenantId, range, MAX_REPLAY);
    const ids = [...new Set(letters.map((d) => d.refId))];
    const events = ids.length ? await findEvents(database, tenantId, ids) : [];
    // Batches go by size as well as count: three messages of up to 96 KB would pass sendBatch's 256 KB.
    const messages = await Promise.all(events.map((e) => fitForQueue(c.env, messageOf(e))));
    for (const batch of sendBatches(messages)) await c.env.WEBHOOK_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
    const now = Date.now();
    await markLettersReplayed(database, tenantId, letters.map((d) => d.id), now);
    audit(c, "webhook.dead_letters.replay", null, { since: body.since, until: body.until ?? null, provider: body.provider ?? null, count: events.length });
    return c.json({ replayed: events.length, eventIds: events.map((e) => e.id) }, 202);
  });
