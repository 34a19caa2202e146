import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { db } from "../../../storage/db";
import { jobPage } from "../../../storage/sync-jobs";
import { bearer, errors, json } from "../../common";
import { requireConnector } from "./lookup";
import { decodeCursor, encodeCursor, presentJob } from "./present";
import { HistoryQuery, ProviderParams, SyncJobSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{provider}/sync/history",
  tags: ["Sync"],
  summary: "The tenant's sync jobs with a provider, newest first, a page at a time",
  description: "Pass `nextCursor` from one page as `cursor` to get the next; it is null on the last page.",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  request: { params: ProviderParams, query: HistoryQuery },
  responses: {
    200: json(z.object({ data: z.array(SyncJobSchema), nextCursor: z.string().nullable() }), "A page of jobs"),
    ...errors(404),
  },
});

export const syncHistory = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const q = c.req.valid("query");
  requireConnector(provider);
  // One row more than asked tells whether another page exists without a count query.
  const rows = await jobPage(db(c.env.DB), c.get("principal").tenantId, provider, q.limit + 1, decodeCursor(q.cursor), q.status);
  const page = rows.slice(0, q.limit);
  const nextCursor = rows.length > q.limit ? encodeCursor(page.at(-1)!) : null;
  return c.json({ data: page.map(presentJob), nextCursor }, 200);
});
