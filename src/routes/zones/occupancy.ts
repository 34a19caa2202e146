// One zone's occupancy over a past window, derived from the session history in D1 (no snapshots exist
// yet): the dashboard's occupancy chart.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { occupancySeries } from "../../domain/occupancy";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { sessionSpans } from "../../storage/session-history";
import { findZone } from "../../storage/zones";
import { bearer, errors, iso, json } from "../common";
import { ZoneCodeParams } from "./schemas";

const MIN = 60_000;
// The longest stay a zone can allow (ZoneRulesInput.maxStayMinutes): older sessions cannot reach the window.
const LONGEST_STAY_MS = 10_080 * MIN;
const MAX_SESSIONS = 50_000;

const OccupancySeries = z
  .object({
    zone: z.string(),
    capacity: z.number().int().nullable(),
    from: z.string(),
    to: z.string(),
    stepMinutes: z.number().int(),
    source: z.literal("session_history"),
    truncated: z
      .boolean()
      .openapi({ description: `More than ${MAX_SESSIONS} sessions touched the window; only the first were counted` }),
    points: z.array(z.object({ at: z.string(), occupied: z.number().int() })),
  })
  .openapi("ZoneOccupancySeries");

const SeriesQuery = z.object({
  hours: z.coerce.number().int().min(1).max(168).default(24).openapi({ description: "How far back from now" }),
  stepMinutes: z.coerce.number().int().min(5).max(240).default(15),
});

const series = createRoute({
  method: "get",
  path: "/{code}/occupancy",
  tags: ["Zones"],
  summary: "A zone's occupancy over the last hours, one point per step, from its session history",
  description:
    "A point counts the sessions running at that instant (start ≤ t < end; an ended session ends when it was ended). History reaches D1 within about a second of a change.",
  security: bearer,
  middleware: [requireScope("zones:read")] as const,
  request: { params: ZoneCodeParams, query: SeriesQuery },
  responses: { 200: json(OccupancySeries, "The series, oldest first"), ...errors(404) },
});

export const zoneOccupancy = router().openapi(series, async (c) => {
  const code = c.req.valid("param").code;
  const { hours, stepMinutes } = c.req.valid("query");
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const row = await findZone(database, tenantId, code);
  if (!row) throw new ApiError(404, `Zone ${code} not found`);
  const step = stepMinutes * MIN;
  const to = Math.floor(Date.now() / step) * step;
  const from = to - hours * 60 * MIN;
  const span = { startedFromMs: from - LONGEST_STAY_MS, startedBeforeMs: to + 1, endedAfterMs: from };
  const sessions = await sessionSpans(database, tenantId, code, span, MAX_SESSIONS + 1);
  const points = occupancySeries(sessions.slice(0, MAX_SESSIONS), from, to, step).map((p) => ({
    at: iso(p.at),
    occupied: p.occupied,
  }));
  return c.json(
    {
      zone: code,
      capacity: row.capacity,
      from: iso(from),
      to: iso(to),
      stepMinutes,
      source: "session_history" as const,
      truncated: sessions.length > MAX_SESSIONS,
      points,
    },
    200,
  );
});
