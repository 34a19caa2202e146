import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findMeter, listMeters } from "../../storage/meters";
import { liveMeterViews } from "../../storage/zone-state";
import { bearer, errors, json } from "../common";
import { presentMeter } from "./present";
import { ListMetersQuery, MeterIdParam, MeterSchema } from "./schemas";

const all = createRoute({
  method: "get",
  path: "/",
  tags: ["Meters"],
  summary: "The tenant's meters by id, each with its last report and alerts",
  security: bearer,
  middleware: [requireScope("meters:read")] as const,
  request: { query: ListMetersQuery },
  responses: {
    200: json(
      z.object({
        data: z.array(MeterSchema),
        nextAfter: z.string().nullable().openapi({ description: "Pass as `after` for the next page; null on the last" }),
      }),
      "A page of meters",
    ),
    ...errors(),
  },
});

const one = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Meters"],
  summary: "One meter: where it is, its last report and its alerts",
  security: bearer,
  middleware: [requireScope("meters:read")] as const,
  request: { params: z.object({ id: MeterIdParam }) },
  responses: { 200: json(MeterSchema, "The meter"), ...errors(404) },
});

export const getMeters = router()
  .openapi(all, async (c) => {
    const { zone, after, limit } = c.req.valid("query");
    const tenantId = c.get("principal").tenantId;
    const rows = await listMeters(db(c.env.DB), tenantId, { zone, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const views = await liveMeterViews(c.env, tenantId, page);
    const nextAfter = rows.length > limit ? page[page.length - 1]!.id : null;
    return c.json({ data: page.map((m) => presentMeter(m, views.get(m.id))), nextAfter }, 200);
  })
  .openapi(one, async (c) => {
    const tenantId = c.get("principal").tenantId;
    const row = await findMeter(db(c.env.DB), tenantId, c.req.valid("param").id);
    if (!row) throw new ApiError(404, "Meter not found");
    const views = await liveMeterViews(c.env, tenantId, [row]);
    return c.json(presentMeter(row, views.get(row.id)), 200);
  });
