// GET/POST /v1/reports/scheduled: reports a tenant has made every day, week or month. The cron makes each
// period's file once (src/sync/scheduled-reports.ts), stores it in R2 and emails its link.
import { createRoute, z } from "@hono/zod-openapi";
import { requestProblems } from "../../domain/reports";
import { audit } from "../../http/audit";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { actorOf } from "../../auth/principal";
import { sha256Hex } from "../../lib/crypto";
import { newId, stableId } from "../../lib/ids";
import { Failure } from "../../lib/failure";
import { db } from "../../storage/db";
import {
  filesOfSchedules,
  insertScheduleOnce,
  schedulesOf,
  type ReportFileRow,
  type ScheduleRow,
} from "../../storage/report-runs";
import { reserveIdempotencyKey } from "../../storage/idempotency";
import { downloadPath } from "../../sync/scheduled-reports";
import { bearer, errors, iso, json, jsonBody } from "../common";
import { ScheduleBody, ScheduleSchema } from "./schemas";

function present(s: ScheduleRow, last: ReportFileRow | undefined) {
  return {
    id: s.id,
    name: s.name,
    template: s.template,
    format: s.format,
    frequency: s.frequency,
    filters: s.filters,
    recipients: s.recipients,
    enabled: s.enabled,
    createdAt: iso(s.createdAt),
    lastRun: last
      ? {
          fileId: last.id,
          period: last.period,
          status: last.status,
          delivery: last.delivery,
          downloadUrl: `${s.linkOrigin}${downloadPath(last.id)}`,
          at: iso(last.createdAt),
        }
      : null,
  };
}

const list = createRoute({
  method: "get",
  path: "/scheduled",
  tags: ["Reports"],
  summary: "The tenant's scheduled reports, each with its last run",
  security: bearer,
  middleware: [requireScope("reports:read")] as const,
  responses: { 200: json(z.object({ data: z.array(ScheduleSchema) }), "Every schedule"), ...errors() },
});

const create = createRoute({
  method: "post",
  path: "/scheduled",
  tags: ["Reports"],
  summary: "Schedule a report",
  description:
    "Each run covers the last whole period in the tenant's time zone (yesterday, last Monday to Sunday, last month) and runs once per period. The file lands in R2 and its link is emailed to `recipients` through the tenant's connected email provider; without one, the file is still stored and `lastRun.delivery` says it was not emailed.",
  security: bearer,
  middleware: [requireScope("reports:write")] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
    body: jsonBody(ScheduleBody),
  },
  responses: {
    201: json(ScheduleSchema, "The schedule"),
    200: json(ScheduleSchema, "A retry with the same Idempotency-Key: the schedule the first request created"),
    ...errors(),
  },
});

const PERIOD_DAYS = { daily: 1, weekly: 7, monthly: 31 } as const;

export const scheduledReports = router()
  .openapi(list, async (c) => {
    const database = db(c.env.DB);
    const tenantId = c.get("principal").tenantId;
    const rows = await schedulesOf(database, tenantId);
    const files = await filesOfSchedules(
      database,
      tenantId,
      rows.map((r) => r.id),
    );
    const latest = new Map<string, ReportFileRow>();
    for (const f of files) if (f.scheduleId && !latest.has(f.scheduleId)) latest.set(f.scheduleId, f);
    return c.json({ data: rows.map((r) => present(r, latest.get(r.id))) }, 200);
  })
  .openapi(create, async (c) => {
    const body = c.req.valid("json");
    const principal = c.get("principal");
    // The longest period the schedule will cover must fit the template (a daily summary is one day).
    const days = PERIOD_DAYS[body.frequency];
    const to = new Date(Date.parse("2026-01-01T00:00:00Z") + (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const problems = requestProblems({
      template: body.template,
      format: body.format,
      range: { from: "2026-01-01", to },
      filters: body.filters as Record<string, string>,
    }).map((p) => ({ location: "body" as const, path: p.path === "range" ? "frequency" : p.path, message: p.message }));
    if (problems.length) throw new Failure("invalid", "The report cannot be scheduled as asked", problems);
    const database = db(c.env.DB);
    const key = c.req.valid("header")["idempotency-key"];
    let id = newId("srp");
    if (key) {
      const seen = await reserveIdempotencyKey(database, {
        tenantId: principal.tenantId,
        scope: `${actorOf(principal)}:report.schedule`,
        key,
        fingerprint: await sha256Hex(JSON.stringify(body)),
      });
      if (seen === "mismatch")
        throw new Failure("invalid", "This Idempotency-Key was used with a different request", [
          { location: "header", path: "Idempotency-Key", message: "Already used with a different request" },
        ]);
      id = await stableId("srp", `${principal.tenantId}\u0000${actorOf(principal)}\u0000${key}`);
    }
    const now = Date.now();
    const { row, created } = await insertScheduleOnce(database, {
      id,
      tenantId: principal.tenantId,
      name: body.name,
      template: body.template,
      format: body.format,
      frequency: body.frequency,
      filters: body.filters,
      recipients: body.recipients,
      linkOrigin: new URL(c.req.url).origin,
      enabled: true,
      createdAt: now,
      updatedAt: now,
    });
    if (!created) return c.json(present(row, undefined), 200);
    audit(c, "report.scheduled", row.id, { template: row.template, frequency: row.frequency });
    return c.json(present(row, undefined), 201);
  });
