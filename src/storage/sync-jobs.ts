// Sync jobs in D1: what was asked, what happened, and what is still waiting.
import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { newId } from "../auth/crypto";
import type { Db } from "./db";
import { syncJobs } from "./schema";

export type SyncJobRow = typeof syncJobs.$inferSelect;
type NewJob = Pick<SyncJobRow, "tenantId" | "provider" | "entity" | "direction" | "priority" | "since" | "params">;

export async function createJob(database: Db, job: NewJob, nowMs = Date.now()): Promise<SyncJobRow> {
  const [row] = await database.insert(syncJobs).values({ ...job, id: newId("job"), status: "queued", createdAt: nowMs, updatedAt: nowMs }).returning();
  return row!;
}

export async function findJob(database: Db, tenantId: string, id: string): Promise<SyncJobRow | null> {
  const [row] = await database.select().from(syncJobs).where(and(eq(syncJobs.tenantId, tenantId), eq(syncJobs.id, id))).limit(1);
  return row ?? null;
}

export async function markJob(database: Db, row: Pick<SyncJobRow, "tenantId" | "id">, patch: Partial<SyncJobRow>) {
  await database.update(syncJobs).set({ ...patch, updatedAt: Date.now() }).where(and(eq(syncJobs.tenantId, row.tenantId), eq(syncJobs.id, row.id)));
}

export async function startJob(database: Db, row: Pick<SyncJobRow, "tenantId" | "id">, nowMs = Date.now()) {
  await database
    .update(syncJobs)
    .set({ status: "running", attempts: sql`${syncJobs.attempts} + 1`, startedAt: nowMs, updatedAt: nowMs })
    .where(and(eq(syncJobs.tenantId, row.tenantId), eq(syncJobs.id, row.id)));
}

/** Jobs a lost message or a crashed consumer left behind: running too long, or queued too long. */
export function staleJobs(database: Db, nowMs = Date.now(), runningForMs = 10 * 60_000, queuedForMs = 30 * 60_000) {
  return database
    .select()
    .from(syncJobs)
    .where(
      sql`(${syncJobs.status} = 'running' AND ${syncJobs.updatedAt} < ${nowMs - runningForMs}) OR (${syncJobs.status} = 'queued' AND ${syncJobs.updatedAt} < ${nowMs - queuedForMs})`,
    )
    .limit(500);
}

export function jobHistory(database: Db, tenantId: string, provider: string, limit: number, beforeMs?: number) {
  const where = [eq(syncJobs.tenantId, tenantId), eq(syncJobs.provider, provider)];
  if (beforeMs !== undefined) where.push(lt(syncJobs.createdAt, beforeMs));
  return database.select().from(syncJobs).where(and(...where)).orderBy(desc(syncJobs.createdAt)).limit(limit);
}

export function jobsWithStatus(database: Db, tenantId: string, provider: string, statuses: SyncJobRow["status"][]) {
  return database
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), eq(syncJobs.provider, provider), inArray(syncJobs.status, statuses)));
}
