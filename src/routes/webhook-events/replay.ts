// Operators replay one event. Effects are idempotent, so a replay re-runs the handler without doubling
// what it did. (Every dead letter in a time range: ../dead-letters/replay.ts.)
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { db } from "../../storage/db";
import { fitForQueue, messageOf } from "../../webhooks/message";
import { bearer, errors, json } from "../common";
import { findEvent } from "./events";
import { EventIdParams } from "./schemas";

const replayOne = createRoute({
  method: "post",
  path: "/{id}/replay",
  tags: ["Webhooks"],
  summary: "Process an event again",
  security: bearer,
  middleware: [requireScope("webhooks:write")] as const,
  request: { params: EventIdParams },
  responses: { 202: json(z.object({ queued: z.literal(true), id: z.string() }), "Queued for processing"), ...errors(404) },
});

export const replayEvent = router().openapi(replayOne, async (c) => {
  const row = await findEvent(db(c.env.DB), c.get("principal").tenantId, c.req.valid("param").id);
  await c.env.WEBHOOK_QUEUE.send(await fitForQueue(c.env, messageOf(row)), { contentType: "json" });
  audit(c, "webhook.replay", row.id);
  return c.json({ queued: true as const, id: row.id }, 202);
});
