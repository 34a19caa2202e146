// GET /v1/reports/templates: what can be made, with the filters, formats and longest range of each.
import { createRoute, z } from "@hono/zod-openapi";
import { TEMPLATES } from "../../domain/reports";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { bearer, errors, json } from "../common";
import { TemplateSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/templates",
  tags: ["Reports"],
  summary: "The report templates",
  security: bearer,
  middleware: [requireScope("reports:read")] as const,
  responses: { 200: json(z.object({ data: z.array(TemplateSchema) }), "Every template"), ...errors() },
});

export const reportTemplates = router().openapi(route, (c) => c.json({ data: TEMPLATES.map((t) => ({ ...t })) }, 200));
