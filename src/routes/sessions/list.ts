import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { fromHistory, searchSessionHistory } from "../../storage/session-history";
import { bearer, errors, iso, json } from "../common";
import { presentSession } from "./present";
import { ListSessionsQuery, SessionSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Sessions"],
  summary: "Search session history (newest first)",
  description:
    "Reads the D1 history that each zone's outbox keeps up to date, normally within a second of a change. For the authoritative live state of one session use GET /v1/sessions/{id}.",
  security: bearer,
  middleware: [requireScope("sessions:read")] as const,
  request: { query: ListSessionsQuery },
  responses: {
    200: json(z.object({ data: z.array(SessionSchema), nextBefore: z.string().nullable() }), "A page of sessions"),
    ...errors(),
  },
});

export const listSessions = router().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const now = Date.now();
  const rows = await searchSessionHistory(
    db(c.env.DB),
    c.get("principal").tenantId,
    {
      zone: q.zone,
      plate: q.plate,
      active: q.active === "true" ? true : q.active === "false" ? false : undefined,
      beforeMs: q.before ? Date.parse(q.before) : undefined,
      limit: q.limit,
    },
    now,
  );
  const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
  return c.json({ data: rows.map((r) => presentSession(fromHistory(r), now)), nextBefore: last ? iso(last.startAt) : null }, 200);
});
