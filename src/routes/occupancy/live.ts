// Every zone's live count now, from the zones' objects: the dashboard's overview and zone list. A zone's
// meters count too: occupied is the larger of running sessions and metered spaces reported taken.
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
    meteredSpacesOccupied: z
      .number()
      .int()
      .openapi({ description: "Spaces the zone's meters report taken (meters not offline)" }),
    occupied: z.number().int().openapi({
      description: "Occupied spaces: the larger of activeSessions and meteredSpacesOccupied (docs/enforcement.md, Meters)",
    }),
    occupancyRate: z.number().nullable().openapi({ description: "occupied ÷ capacity (null without a capacity)" }),
  })
  .openapi("ZoneOccupancy");

const live = createRoute({
  method: "get",
  path: "/",
  tags: ["Zones"],
  summary: "Live occupancy of every zone: running sessions and metered spaces taken now, permits, share of capacity",
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
        occupancyRate: occupancyRate(counts.occupied, row.capacity),
      };
    }),
  );
  return c.json({ at: iso(now), data }, 200);
});
