import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findPermit, searchPermits } from "../../storage/permits";
import { bearer, errors, json } from "../common";
import { presentPermit } from "./present";
import { ListPermitsQuery, PermitIdParams, PermitSchema } from "./schemas";

const all = createRoute({
  method: "get",
  path: "/",
  tags: ["Permits"],
  summary: "Search permits by plate, zone or status (newest first)",
  security: bearer,
  middleware: [requireScope("permits:read")] as const,
  request: { query: ListPermitsQuery },
  responses: { 200: json(z.object({ data: z.array(PermitSchema) }), "Matching permits"), ...errors() },
});

const one = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Permits"],
  summary: "One permit",
  security: bearer,
  middleware: [requireScope("permits:read")] as const,
  request: { params: PermitIdParams },
  responses: { 200: json(PermitSchema, "The permit"), ...errors(404) },
});

export const getPermits = router()
  .openapi(all, async (c) => {
    const q = c.req.valid("query");
    const rows = await searchPermits(db(c.env.DB), c.get("principal").tenantId, {
      plate: q.plate,
      zone: q.zone,
      status: q.status,
      limit: q.limit,
    });
    return c.json({ data: rows.map(presentPermit) }, 200);
  })
  .openapi(one, async (c) => {
    const row = await findPermit(db(c.env.DB), c.get("principal").tenantId, c.req.valid("param").id);
    if (!row) throw new ApiError(404, "Permit not found");
    return c.json(presentPermit(row), 200);
  });
