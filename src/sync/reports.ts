// Making a staff report (POST /v1/reports/generate and the scheduled runs): the template's aggregate
// queries in D1 (src/storage/revenue-reports.ts), shaped by the pure src/domain/reports.ts, rendered by
// src/domain/report-files.ts. Stored files go to R2 under reports/<tenant>/<file id>.<format>, so a key
// names its tenant and the download route (GET /v1/reports/files/{id}) finds it only for that tenant.
import type { Bindings } from "../env";
import { Failure } from "../lib/failure";
import { newId } from "../lib/ids";
import {
  byLocalDate,
  occupancyRows,
  rangeDays,
  rangeInstants,
  requestProblems,
  revenueRows,
  templateById,
  withTotals,
  type ReportFormat,
  type ReportRequest,
  type ReportTable,
  type Row,
} from "../domain/reports";
import { renderReport } from "../domain/report-files";
import { db } from "../storage/db";
import {
  citationQuery,
  occupancyQuery,
  refundQuery,
  revenueQuery,
  zoneCapacities,
  type RevenueGroup,
} from "../storage/revenue-reports";
import { tenantTimezone } from "../storage/tenants";

const REVENUE_BY: Record<string, { by: string; group: RevenueGroup; none: string }> = {
  revenue_by_zone: { by: "zone", group: "zone", none: "none" },
  revenue_by_day: { by: "date", group: "bucket", none: "none" },
  revenue_by_provider: { by: "provider", group: "provider", none: "none" },
  revenue_by_method: { by: "method", group: "method", none: "unknown" },
  daily_revenue_summary: { by: "zone", group: "zone", none: "none" },
};

/** The report as a table; a request the template cannot take is a Failure("invalid") naming each field. */
export async function buildReport(env: Bindings, tenantId: string, req: ReportRequest): Promise<ReportTable> {
  const problems = requestProblems(req);
  const template = templateById(req.template);
  if (!template) throw new Failure("not_found", `No report template ${req.template}`);
  if (problems.length)
    throw new Failure(
      "invalid",
      "The report cannot be made as asked",
      problems.map((p) => ({ location: "body" as const, path: p.path, message: p.message })),
    );
  const database = db(env.DB);
  const timezone = await tenantTimezone(database, tenantId);
  const { fromMs, toMs } = rangeInstants(req.range, timezone);
  const f = req.filters;
  let rows: Row[];
  const revenue = REVENUE_BY[template.id];
  if (revenue) {
    const [paid, refunded] = await Promise.all([
      revenueQuery(database, tenantId, revenue.group, fromMs, toMs, f),
      refundQuery(database, tenantId, revenue.group, fromMs, toMs, f),
    ]);
    const fold = <T extends { key: string | number | null }>(xs: T[]) =>
      revenue.group === "bucket"
        ? byLocalDate(
            xs.map(({ key, ...rest }) => ({ ...rest, bucketMs: Number(key) })),
            timezone,
          )
        : xs.map((x) => ({ ...x, key: x.key === null ? null : String(x.key) }));
    rows = revenueRows(revenue.by, fold(paid), fold(refunded), revenue.none);
    if (template.id === "daily_revenue_summary") rows = withTotals("zone", rows);
  } else if (template.id === "occupancy_by_zone") {
    const [agg, capacities] = await Promise.all([
      occupancyQuery(database, tenantId, fromMs, toMs, f.zone),
      zoneCapacities(database, tenantId),
    ]);
    const capacity = new Map(capacities.map((z) => [z.zone, z.capacity]));
    rows = occupancyRows(
      agg.map((a) => ({ ...a, capacity: capacity.get(a.zone) ?? null })),
      toMs - fromMs,
      rangeDays(req.range.from, req.range.to) ?? 1,
    );
  } else {
    rows = (await citationQuery(database, tenantId, fromMs, toMs, f.zone)).sort((a, b) => a.zone.localeCompare(b.zone));
  }
  return {
    template: template.id,
    title: template.title,
    timezone,
    range: req.range,
    filters: f,
    columns: template.columns,
    rows,
  };
}

export async function buildReportFile(env: Bindings, tenantId: string, req: ReportRequest) {
  const table = await buildReport(env, tenantId, req);
  return { table, bytes: await renderReport(table, req.format) };
}

/** Where a tenant's report file lives in R2. */
export const reportKey = (tenantId: string, fileId: string, format: ReportFormat) => `reports/${tenantId}/${fileId}.${format}`;

export const newReportFileId = () => newId("rpt");
