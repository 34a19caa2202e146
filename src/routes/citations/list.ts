import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { type CitationRow, citationPage } from "../../storage/citations";
import { db } from "../../storage/db";
import { bearer, errors, json } from "../common";
import { presentCitation } from "./present";
import { CitationSchema, ListCitationsQuery } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Citations"],
  summary: "Search citations (newest issue first), a page at a time",
  description:
    "Filters combine. `q` matches the beginning of a citation number or of a plate. Pass `nextCursor` from one page as `cursor` to get the next; it is null on the last page.",
  security: bearer,
  middleware: [requireScope("citations:read")] as const,
  request: { query: ListCitationsQuery },
  responses: {
    200: json(z.object({ data: z.array(CitationSchema), nextCursor: z.string().nullable() }), "A page of citations"),
    ...errors(),
  },
});

const encodeCursor = (c: CitationRow) => `${c.issuedAt}.${c.id}`;
function decodeCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  const dot = cursor.indexOf(".");
  return { issuedAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}

export const listCitations = router().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const filter = {
    status: q.status,
    plate: q.plate,
    zone: q.zone,
    officerId: q.officer,
    violationCode: q.violationCode,
    fromMs: q.from ? Date.parse(q.from) : undefined,
    toMs: q.to ? Date.parse(q.to) : undefined,
    q: q.q,
  };
  // One row more than asked tells whether another page exists without a count query.
  const rows = await citationPage(db(c.env.DB), c.get("principal").tenantId, filter, q.limit + 1, decodeCursor(q.cursor));
  const page = rows.slice(0, q.limit);
  const nextCursor = rows.length > q.limit ? encodeCursor(page.at(-1)!) : null;
  return c.json({ data: page.map(presentCitation), nextCursor }, 200);
});
