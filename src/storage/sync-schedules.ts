// Connector jobs a tenant runs on a schedule (schema.ts, sync_schedules). The cron claims a due schedule
// with a conditional update on its next_run_at, so two overlapping cron runs start its job once.
import { and, asc, eq, lte } from "drizzle-orm";
import type { Db } from "./db";
import { syncSchedules } from "./schema";

export type ScheduleRow = typeof syncSchedules.$inferSelect;
export type ScheduleInput = Pick<
  ScheduleRow,
  "tenantId" | "provider" | "entity" | "direction" | "params" | "everyMinutes" | "enabled"
>;

const key = (tenantId: string, provider: string, entity: string) =>
  and(eq(syncSchedules.tenantId, tenantId), eq(syncSchedules.provider, provider), eq(syncSchedules.entity, entity));

/** Creates or replaces a schedule; its first run is one interval from now (or at `firstRunAt`). */
export async function putSchedule(database: Db, s: ScheduleInput, nowMs: number, firstRunAt?: number): Promise<ScheduleRow> {
  const nextRunAt = firstRunAt ?? nowMs + s.everyMinutes * 60_000;
  const [row] = await database
    .insert(syncSchedules)
    .values({ ...s, nextRunAt, updatedAt: nowMs })
    .onConflictDoUpdate({
      target: [syncSchedules.tenantId, syncSchedules.provider, syncSchedules.entity],
      set: {
        direction: s.direction,
        params: s.params,
        everyMinutes: s.everyMinutes,
        enabled: s.enabled,
        nextRunAt,
        updatedAt: nowMs,
      },
    })
    .returning();
  return row!;
}

export function listSchedules(database: Db, tenantId: string, provider: string) {
  return database
    .select()
    .from(syncSchedules)
    .where(and(eq(syncSchedules.tenantId, tenantId), eq(syncSchedules.provider, provider)))
    .orderBy(asc(syncSchedules.entity));
}

export async function deleteSchedule(database: Db, tenantId: string, provider: string, entity: string): Promise<boolean> {
  const gone = await database
    .delete(syncSchedules)
    .where(key(tenantId, provider, entity))
    .returning({ e: syncSchedules.entity });
  return gone.length > 0;
}

/** Enabled schedules due at `nowMs`, every tenant's, oldest due first. */
export function dueSchedules(database: Db, nowMs: number, limit: number) {
  return database
    .select()
    .from(syncSchedules)
    .where(and(eq(syncSchedules.enabled, true), lte(syncSchedules.nextRunAt, nowMs)))
    .orderBy(asc(syncSchedules.nextRunAt))
    .limit(limit);
}

/**
 * Moves a due schedule to its next run, only if no one else did since it was read. True: this caller
 * owns the run. The next run counts from now, so a cron that was down does not fire a burst of catch-ups.
 */
export async function claimRun(database: Db, row: ScheduleRow, nowMs: number): Promise<boolean> {
  const claimed = await database
    .update(syncSchedules)
    .set({ nextRunAt: nowMs + row.everyMinutes * 60_000, lastRunAt: nowMs, updatedAt: nowMs })
    .where(and(key(row.tenantId, row.provider, row.entity), eq(syncSchedules.nextRunAt, row.nextRunAt)))
    .returning({ e: syncSchedules.entity });
  return claimed.length > 0;
}

export async function recordScheduledJob(database: Db, row: ScheduleRow, jobId: string | null, error: string | null) {
  await database
    .update(syncSchedules)
    .set({ lastJobId: jobId, lastError: error })
    .where(key(row.tenantId, row.provider, row.entity));
}
