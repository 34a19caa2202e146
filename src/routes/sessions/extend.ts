import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { zoneOfSessionId } from "../../domain/session-id";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json, jsonBody } from "../common";
import { presentSession } from "./present";
import { ExtendSession, SessionIdParams, SessionSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{id}/extend",
  tags: ["Sessions"],
  summary: "Buy more time on a running session, up to the zone's maximum stay",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: { params: SessionIdParams, body: jsonBody(ExtendSession) },
  responses: {
    200: json(SessionSchema.extend({ chargedCents: z.number().int() }), "Extended; chargedCents is what the extra time cost"),
    ...errors(404, 409),
  },
});

export const extendSession = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const { minutes, reminder } = c.req.valid("json");
  const now = Date.now();
  const r = await callZone(c.env, c.get("principal").tenantId, zoneOfSessionId(id), (s) =>
    s.extendSession(id, minutes, now, reminder),
  );
  return c.json({ ...presentSession(r.session, now, r.reminder), chargedCents: r.chargedCents }, 200);
});
