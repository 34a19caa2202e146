import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json, Plate } from "../common";
import { presentSession } from "../sessions/present";
import { SessionSchema } from "../sessions/schemas";
import { ZoneCodeParams } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{code}/sessions",
  tags: ["Zones"],
  summary: "A zone's live sessions, soonest to end first, straight from the zone's object",
  description:
    "Sessions whose status is still active, including those past their paid time but not yet marked expired (within grace). For history use GET /v1/sessions.",
  security: bearer,
  middleware: [requireScope("sessions:read")] as const,
  request: {
    params: ZoneCodeParams,
    query: z.object({ plate: Plate.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
  },
  responses: { 200: json(z.object({ zone: z.string(), data: z.array(SessionSchema) }), "Live sessions"), ...errors(404) },
});

export const zoneLiveSessions = router().openapi(route, async (c) => {
  const code = c.req.valid("param").code;
  const { plate, limit } = c.req.valid("query");
  const now = Date.now();
  const sessions = await callZone(c.env, c.get("principal").tenantId, code, (stub) => stub.listActive(limit, plate));
  return c.json({ zone: code, data: sessions.map((s) => presentSession(s, now)) }, 200);
});
