import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { evidenceOfMany } from "../../storage/evidence";
import { violationPage } from "../../storage/violations";
import { bearer, errors, json } from "../common";
import { decodeCursor, encodeCursor, presentViolation } from "./present";
import { ListViolationsQuery, ViolationSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Violations"],
  summary: "Search violations by zone, plate, officer, status and time observed (most recent first), a page at a time",
  description: "Pass `nextCursor` from one page as `cursor` to get the next; it is null on the last page.",
  security: bearer,
  middleware: [requireScope("violations:read")] as const,
  request: { query: ListViolationsQuery },
  responses: {
    200: json(z.object({ data: z.array(ViolationSchema), nextCursor: z.string().nullable() }), "A page of violations"),
    ...errors(),
  },
});

export const listViolations = router().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const fromMs = q.from ? Date.parse(q.from) : undefined;
  const toMs = q.to ? Date.parse(q.to) : undefined;
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
    throw new ApiError(422, "`to` must be after `from`", {
      errors: [{ location: "query", path: "to", message: "Must be after from" }],
    });
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const filter = { zone: q.zone, plate: q.plate, officerId: q.officer, status: q.status, fromMs, toMs };
  // One row more than asked tells whether another page exists without a count query.
  const rows = await violationPage(database, tenantId, filter, q.limit + 1, decodeCursor(q.cursor));
  const page = rows.slice(0, q.limit);
  const evidence = await evidenceOfMany(
    database,
    tenantId,
    "violation",
    page.map((v) => v.id),
  );
  const byOwner = new Map<string, typeof evidence>();
  for (const e of evidence) byOwner.set(e.ownerId, [...(byOwner.get(e.ownerId) ?? []), e]);
  const nextCursor = rows.length > q.limit ? encodeCursor(page.at(-1)!) : null;
  return c.json({ data: page.map((v) => presentViolation(v, byOwner.get(v.id) ?? [])), nextCursor }, 200);
});
