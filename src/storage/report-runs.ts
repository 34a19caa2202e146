// What the report crons did: the GTCS pushes of each tenant's days (one row per version), the tenants'
// scheduled reports, and every report file made. Each "once" is a unique key that a second cron run
// collides with, so a cron that fires twice does the work once.
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "./db";
import { integrationConnections, reconciliationPushes, reportFiles, scheduledReports, tenants } from "./schema";

export type PushRow = typeof reconciliationPushes.$inferSelect;
export type ScheduleRow = typeof scheduledReports.$inferSelect;
export type ReportFileRow = typeof reportFiles.$inferSelect;

/** Tenants with `provider` connected (or connected with a failing test), with their time zone. */
export function tenantsConnectedTo(database: Db, provider: string, limit: number) {
  return database
    .select({ tenantId: tenants.id, timezone: tenants.timezone })
    .from(integrationConnections)
    .innerJoin(tenants, eq(tenants.id, integrationConnections.tenantId))
    .where(
      and(
        eq(integrationConnections.provider, provider),
        inArray(integrationConnections.status, ["connected", "error"]),
        eq(tenants.status, "active"),
      ),
    )
    .orderBy(asc(tenants.id))
    .limit(limit);
}

/** Every push of one day, newest version first. */
export function pushesOf(database: Db, tenantId: string, date: string) {
  return database
    .select()
    .from(reconciliationPushes)
    .where(and(eq(reconciliationPushes.tenantId, tenantId), eq(reconciliationPushes.date, date)))
    .orderBy(desc(reconciliationPushes.version));
}

/** Claims (tenant, date, version): true only for the one caller whose insert took. */
export async function claimPush(database: Db, row: typeof reconciliationPushes.$inferInsert): Promise<boolean> {
  const [inserted] = await database.insert(reconciliationPushes).values(row).onConflictDoNothing().returning();
  return inserted !== undefined;
}

export async function setPushJob(database: Db, k: { tenantId: string; date: string; version: number }, jobId: string) {
  await database
    .update(reconciliationPushes)
    .set({ jobId })
    .where(
      and(
        eq(reconciliationPushes.tenantId, k.tenantId),
        eq(reconciliationPushes.date, k.date),
        eq(reconciliationPushes.version, k.version),
      ),
    );
}

/** Gives a claim back (its job could not be created), so the next cron run tries the version again. */
export async function releasePush(database: Db, k: { tenantId: string; date: string; version: number }) {
  await database
    .delete(reconciliationPushes)
    .where(
      and(
        eq(reconciliationPushes.tenantId, k.tenantId),
        eq(reconciliationPushes.date, k.date),
        eq(reconciliationPushes.version, k.version),
      ),
    );
}

// ---- scheduled reports ----

/** Stores a schedule unless one with its id exists (a retry with the same Idempotency-Key); answers the stored row. */
export async function insertScheduleOnce(
  database: Db,
  row: typeof scheduledReports.$inferInsert,
): Promise<{ row: ScheduleRow; created: boolean }> {
  const [created] = await database.insert(scheduledReports).values(row).onConflictDoNothing().returning();
  if (created) return { row: created, created: true };
  const [existing] = await database
    .select()
    .from(scheduledReports)
    .where(and(eq(scheduledReports.tenantId, row.tenantId), eq(scheduledReports.id, row.id)))
    .limit(1);
  if (!existing) throw new Error(`schedule ${row.id} exists for another tenant`);
  return { row: existing, created: false };
}

export function schedulesOf(database: Db, tenantId: string) {
  return database
    .select()
    .from(scheduledReports)
    .where(eq(scheduledReports.tenantId, tenantId))
    .orderBy(asc(scheduledReports.createdAt), asc(scheduledReports.id));
}

/** Enabled schedules of every active tenant, with the tenant's time zone, a page at a time by id. */
export function enabledSchedules(database: Db, afterId: string, limit: number) {
  return database
    .select({ schedule: scheduledReports, timezone: tenants.timezone })
    .from(scheduledReports)
    .innerJoin(tenants, eq(tenants.id, scheduledReports.tenantId))
    .where(and(eq(scheduledReports.enabled, true), eq(tenants.status, "active"), gt(scheduledReports.id, afterId)))
    .orderBy(asc(scheduledReports.id))
    .limit(limit);
}

// ---- files ----

/** Records a file about to be made; for a schedule's period, only the first caller gets a row. */
export async function claimReportFile(database: Db, row: typeof reportFiles.$inferInsert): Promise<ReportFileRow | null> {
  const [inserted] = await database.insert(reportFiles).values(row).onConflictDoNothing().returning();
  return inserted ?? null;
}

/** The file a schedule made (or is making) for a period. */
export async function fileOfPeriod(
  database: Db,
  tenantId: string,
  scheduleId: string,
  period: string,
): Promise<ReportFileRow | null> {
  const [row] = await database
    .select()
    .from(reportFiles)
    .where(and(eq(reportFiles.tenantId, tenantId), eq(reportFiles.scheduleId, scheduleId), eq(reportFiles.period, period)))
    .limit(1);
  return row ?? null;
}

export async function updateReportFile(
  database: Db,
  tenantId: string,
  id: string,
  set: Partial<Pick<ReportFileRow, "status" | "bytes" | "delivery">>,
) {
  await database
    .update(reportFiles)
    .set(set)
    .where(and(eq(reportFiles.tenantId, tenantId), eq(reportFiles.id, id)));
}

export async function deleteReportFile(database: Db, tenantId: string, id: string) {
  await database.delete(reportFiles).where(and(eq(reportFiles.tenantId, tenantId), eq(reportFiles.id, id)));
}

export async function findReportFile(database: Db, tenantId: string, id: string): Promise<ReportFileRow | null> {
  const [row] = await database
    .select()
    .from(reportFiles)
    .where(and(eq(reportFiles.tenantId, tenantId), eq(reportFiles.id, id)))
    .limit(1);
  return row ?? null;
}

/** Each schedule's latest file, for the schedule listing. */
export function filesOfSchedules(database: Db, tenantId: string, scheduleIds: string[]) {
  if (scheduleIds.length === 0) return Promise.resolve([] as ReportFileRow[]);
  return database
    .select()
    .from(reportFiles)
    .where(and(eq(reportFiles.tenantId, tenantId), inArray(reportFiles.scheduleId, scheduleIds)))
    .orderBy(desc(reportFiles.createdAt))
    .limit(500);
}
