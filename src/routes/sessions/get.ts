import { createRoute } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { requireScope } from "../../http/authenticate";
import { zoneOfSessionId } from "../../domain/session-id";
import type { StoredSession } from "../../domain/sessions";
import { ApiError } from "../../http/problem";
import { isFailure } from "../../lib/failure";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { parkingSessions } from "../../storage/schema";
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
  const rows = await db(c.env.DB)
    .select()
    .from(parkingSessions)
    .where(and(eq(parkingSessions.tenantId, tenantId), eq(parkingSessions.id, id)))
    .limit(1);
  const row = rows[0];
  if (!row) throw new ApiError(404, "Session not found");
  return c.json(presentSession(fromHistory(row)), 200);
});

export const fromHistory = (row: typeof parkingSessions.$inferSelect): StoredSession => ({
  id: row.id, plate: row.plate, state: row.state, zone: row.zone, startMs: row.startAt, endMs: row.endAt,
  paidMinutes: row.paidMinutes, amountCents: row.amountCents, refundCents: row.refundCents, paidCents: row.paidCents, status: row.status,
  endedAtMs: row.endedAt, version: row.version, createdAtMs: row.createdAt, updatedAtMs: row.updatedAt,
});
