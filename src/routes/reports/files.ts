// GET /v1/reports/files/{id}: a stored report file (a scheduled run's), the link its email carries. The
// link is authorised, not signed: it needs a key or a sign-in of the file's own tenant with reports:read,
// so a forwarded email opens nothing for anybody else. Another tenant's id is a 404.
import { createRoute, z } from "@hono/zod-openapi";
import type { ReportFormat } from "../../domain/reports";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findReportFile } from "../../storage/report-runs";
import { bearer, errors } from "../common";
import { fileResponse } from "./respond";

const route = createRoute({
  method: "get",
  path: "/files/{id}",
  tags: ["Reports"],
  summary: "Download a stored report file",
  security: bearer,
  middleware: [requireScope("reports:read")] as const,
  request: {
    params: z.object({
      id: z
        .string()
        .regex(/^rpt_[A-Za-z0-9]{1,40}$/)
        .openapi({ example: "rpt_a1b2c3" }),
    }),
  },
  responses: {
    200: {
      description: "The file",
      content: {
        "text/csv": { schema: z.string() },
        "application/json": { schema: z.string() },
        "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...errors(404),
  },
});

export const reportFilesRoute = router().openapi(route, async (c) => {
  const tenantId = c.get("principal").tenantId;
  const row = await findReportFile(db(c.env.DB), tenantId, c.req.valid("param").id);
  // The key is checked against the tenant too: a row can only ever name its own tenant's prefix.
  if (row?.status !== "stored" || !row.r2Key.startsWith(`reports/${tenantId}/`)) throw new ApiError(404, "Report file not found");
  const object = await c.env.BLOBS.get(row.r2Key);
  if (!object) throw new ApiError(404, "Report file not found");
  return fileResponse(object.body, row.format as ReportFormat, `${row.template}_${row.period ?? row.id}`, object.size) as never;
});
