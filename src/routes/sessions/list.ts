import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, gt, lt, lte, ne, or, type SQL } from "drizzle-orm";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { parkingSessions } from "../../storage/schema";
import { bearer, errors, iso, json } from "../common";
import { fromHistory } from "./get";
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
  const where: SQL[] = [eq(parkingSessions.tenantId, c.get("principal").tenantId)];
  if (q.zone) where.push(eq(parkingSessions.zone, q.zone));
  if (q.plate) where.push(eq(parkingSessions.plate, q.plate));
  if (q.active === "true") where.push(eq(parkingSessions.status, "active"), gt(parkingSessions.endAt, now));
  if (q.active === "false") where.push(or(ne(parkingSessions.status, "active"), lte(parkingSessions.endAt, now))!);
  if (q.before) where.push(lt(parkingSessions.startAt, Date.parse(q.before)));
  const rows = await db(c.env.DB)
    .select()
    .from(parkingSessions)
    .where(and(...where))
    .orderBy(desc(parkingSessions.startAt))
    .limit(q.limit);
  const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
  return c.json({ data: rows.map((r) => presentSession(fromHistory(r), now)), nextBefore: last ? iso(last.startAt) : null }, 200);
});
