import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { zoneOfSessionId } from "../../domain/session-id";
import { ApiError } from "../../http/problem";
import { isFailure } from "../../lib/failure";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findSessionHistory, fromHistory } from "../../storage/session-history";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json } from "../common";
import { presentSession } from "./present";
import { SessionIdParams, SessionSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Sessions"],
  summary: "One session: live state from its zone, or history once the zone has let it go",
  security: bearer,
  middleware: [requireScope("sessions:read")] as const,
  request: { params: SessionIdParams },
  responses: { 200: json(SessionSchema, "The session"), ...errors(404) },
});

export const getSession = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const tenantId = c.get("principal").tenantId;
  try {
    const live = await callZone(c.env, tenantId, zoneOfSessionId(id), (s) => s.getSession(id));
    return c.json(presentSession(live, Date.now(), live.reminder), 200);
  } catch (err) {
    if (!isFailure(err, "not_found")) throw err;
  }
  // Sessions finished more than a day ago live only in D1 history.
  const row = await findSessionHistory(db(c.env.DB), tenantId, id);
  if (!row) throw new ApiError(404, "Session not found");
  return c.json(presentSession(fromHistory(row)), 200);
});
