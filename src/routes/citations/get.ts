import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { bearer, errors, json } from "../common";
import { citationDetail, requireCitation } from "./lookup";
import { CitationDetailSchema, CitationIdParams } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Citations"],
  summary: "One citation, with its evidence and its history",
  security: bearer,
  middleware: [requireScope("citations:read")] as const,
  request: { params: CitationIdParams },
  responses: { 200: json(CitationDetailSchema, "The citation"), ...errors(404) },
});

export const getCitation = router().openapi(route, async (c) => {
  const row = await requireCitation(c.env, c.get("principal").tenantId, c.req.valid("param").id);
  return c.json(await citationDetail(c.env, row), 200);
});
