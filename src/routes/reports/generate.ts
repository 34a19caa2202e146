// POST /v1/reports/generate: one report made now from a template, filters and a range of local dates,
// answered as JSON (the table), CSV or PDF (the daily revenue summary). Nothing is stored.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import type { ReportFormat } from "../../domain/reports";
import { buildReportFile } from "../../sync/reports";
import { bearer, errors, jsonBody } from "../common";
import { fileResponse } from "./respond";
import { GenerateBody, ReportTableSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/generate",
  tags: ["Reports"],
  summary: "Make a report now",
  description:
    "Money is integer minor units of each row's currency, in every format. A range longer than the template's `maxRangeDays`, a filter the template does not take, or a format it is not made in is a 422 naming the field.",
  security: bearer,
  middleware: [requireScope("reports:read")] as const,
  request: { body: jsonBody(GenerateBody) },
  responses: {
    200: {
      description: "The report",
      content: {
        "application/json": { schema: ReportTableSchema },
        "text/csv": { schema: z.string() },
        "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...errors(),
  },
});

export const generateReport = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const format = body.format as ReportFormat;
  const { table, bytes } = await buildReportFile(c.env, c.get("principal").tenantId, {
    template: body.template,
    format,
    range: body.range,
    filters: body.filters as Record<string, string>,
  });
  const name = `${table.template}_${table.range.from}_${table.range.to}`;
  return fileResponse(bytes, format, name, bytes.byteLength) as never;
});
