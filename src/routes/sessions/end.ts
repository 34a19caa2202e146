import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../auth/middleware";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json } from "../common";
import { presentSession, zoneOfSessionId } from "./present";
import { SessionIdParams, SessionSchema } from "./schemas";

const Refund = z.object({
  refundCents: z.number().int(),
  usedMinutes: z.number().int().openapi({ description: "Time parked, rounded up to whole increments" }),
  unusedIncrements: z.number().int(),
});

const route = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/end",
  tags: ["Sessions"],
  summary: "End a session early; unused whole increments are refunded pro rata",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: { params: SessionIdParams },
  responses: { 200: json(SessionSchema.extend({ refund: Refund }), "Ended, with the refund"), ...errors(404, 409) },
});

export const endSession = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const now = Date.now();
  const r = await callZone(c.env, c.get("principal").tenantId, zoneOfSessionId(id), (s) => s.endSession(id, now));
  return c.json({ ...presentSession(r.session, now), refund: r.refund }, 200);
});
