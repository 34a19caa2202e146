// Operators replay every webhook dead letter in a time range. Effects are idempotent, so a replay re-runs
// the handler without doubling what it did.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { db } from "../../storage/db";
import { markLettersReplayed, unreplayedWebhookLetters } from "../../storage/dead-letters";
import { findEvents } from "../../storage/webhook-events";
import { fitForQueue, messageOf } from "../../webhooks/message";
import { sendBatches } from "../../lib/queues";
import { bearer, errors, json, jsonBody } from "../common";
import { ReplayRange } from "./schemas";

const MAX_REPLAY = 500;

const replayDead = createRoute({
  method: "post",
  path: "/replay",
  tags: ["Webhooks"],
  summary: `Replay every unreplayed dead letter that failed in a time range (at most ${MAX_REPLAY} a call)`,
  security: bearer,
  middleware: [requireScope("webhooks:write")] as const,
  request: { body: jsonBody(ReplayRange) },
  responses: {
    202: json(z.object({ replayed: z.number().int(), eventIds: z.array(z.string()) }), "Queued for processing"),
    ...errors(),
  },
});

export const replayDeadLetters = router().openapi(replayDead, async (c) => {
  const body = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  // Webhook dead letters only: a sync job's is replayed by retrying the job, which keeps its idempotency keys.
  const range = {
    fromMs: Date.parse(body.since),
    untilMs: body.until ? Date.parse(body.until) : Date.now(),
    provider: body.provider,
  };
  const letters = await unreplayedWebhookLetters(database, tenantId, range, MAX_REPLAY);
  const ids = [...new Set(letters.map((d) => d.refId))];
  const events = ids.length ? await findEvents(database, tenantId, ids) : [];
  // Batches go by size as well as count: three messages of up to 96 KB would pass sendBatch's 256 KB.
  const messages = await Promise.all(events.map((e) => fitForQueue(c.env, messageOf(e))));
  for (const batch of sendBatches(messages))
    await c.env.WEBHOOK_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
  const now = Date.now();
  await markLettersReplayed(
    database,
    tenantId,
    letters.map((d) => d.id),
    now,
  );
  audit(c, "webhook.dead_letters.replay", null, {
    since: body.since,
    until: body.until ?? null,
    provider: body.provider ?? null,
    count: events.length,
  });
  return c.json({ replayed: events.length, eventIds: events.map((e) => e.id) }, 202);
});
