// Every zone's live count now, from the zones' objects: the dashboard's overview and zone list.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { occupancyRate } from "../../domain/occupancy";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { liveCounts } from "../../storage/zone-state";
import { listZones } from "../../storage/zones";
import { bearer, errors, iso, json } from "../common";

const LiveOccupancy = z
  .object({
    zone: z.string(),
    name: z.string(),
    capacity: z.number().int().nullable(),
    activeSessions: z.number().int(),
    permits: z.number().int(),
    occupancyRate: z.number().nullable().openapi({ description: "activeSessions ÷ capacity (null without a capacity)" }),
  })
  .openapi("ZoneOccupancy");

const live = createRoute({
  method: "get",
  path: "/",
  tags: ["Zones"],
  summary: "Live occupancy of every zone: running sessions now, permits, share of capacity",
  security: bearer,
  middleware: [requireScope("zones:read")] as const,
  responses: { 200: json(z.object({ at: z.string(), data: z.array(LiveOccupancy) }), "Zones by code"), ...errors() },
});

export const liveOccupancy = router().openapi(live, async (c) => {
  const now = Date.now();
  const rows = await listZones(db(c.env.DB), c.get("principal").tenantId);
  const data = await Promise.all(
    rows.map(async (row) => {
      const counts = await liveCounts(c.env, row, now);
      return {
        zone: row.code,
        name: row.name,
        capacity: row.capacity,
        ...counts,
        occupancyRate: occupancyRate(counts.activeSessions, row.capacity),
      };
    }),
  );
  return c.json({ at: iso(now), data }, 200);
});
