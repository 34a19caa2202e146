import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { liveCounts } from "../../storage/zone-state";
import { findZone, listZones } from "../../storage/zones";
import { bearer, errors, json } from "../common";
import { presentZone } from "./present";
import { ZoneCodeParams, ZoneSchema } from "./schemas";

const one = createRoute({
  method: "get",
  path: "/{code}",
  tags: ["Zones"],
  summary: "A zone's rules and its live counts",
  security: bearer,
  middleware: [requireScope("zones:read")] as const,
  request: { params: ZoneCodeParams },
  responses: { 200: json(ZoneSchema, "The zone"), ...errors(404) },
});

const all = createRoute({
  method: "get",
  path: "/",
  tags: ["Zones"],
  summary: "Every zone of the caller's tenant",
  security: bearer,
  middleware: [requireScope("zones:read")] as const,
  responses: { 200: json(z.object({ data: z.array(ZoneSchema) }), "Zones by code"), ...errors() },
});

export const getZones = router()
  .openapi(one, async (c) => {
    const code = c.req.valid("param").code;
    const tenantId = c.get("principal").tenantId;
    const row = await findZone(db(c.env.DB), tenantId, code);
    if (!row) throw new ApiError(404, `Zone ${code} not found`);
    return c.json({ ...presentZone(row), live: await liveCounts(c.env, row) }, 200);
  })
  .openapi(all, async (c) => {
    const rows = await listZones(db(c.env.DB), c.get("principal").tenantId);
    return c.json({ data: rows.map(presentZone) }, 200);
  });
