// Sync jobs in D1: what was asked, what happened, and what is still waiting.
import { and, count, desc, eq, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { newId } from "../lib/ids";
import type { Db } from "./db";
import { syncJobs } from "./schema";

export type SyncJobRow = typeof syncJobs.$inferSelect;
type NewJob = Pick<SyncJobRow, "tenantId" | "provider" | "entity" | "direction" | "priority" | "since" | "params">;

export async function createJob(database: Db, job: NewJob, nowMs = Date.now()): Promise<SyncJobRow> {
  const [row] = await database
    .insert(syncJobs)
    .values({ ...job, id: newId("job"), status: "queued", createdAt: nowMs, updatedAt: nowMs })
    .returning();
  return row!;
}

export async function findJob(database: Db, tenantId: string, id: string): Promise<SyncJobRow | null> {
  const [row] = await database
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), eq(syncJobs.id, id)))
    .limit(1);
  return row ?? null;
}

export async function markJob(database: Db, row: Pick<SyncJobRow, "tenantId" | "id">, patch: Partial<SyncJobRow>) {
  await database
    .update(syncJobs)
    .set({ ...patch, updatedAt: Date.now() })
    .where(and(eq(syncJobs.tenantId, row.tenantId), eq(syncJobs.id, row.id)));
}

export async function startJob(database: Db, row: Pick<SyncJobRow, "tenantId" | "id">, nowMs = Date.now()) {
  await database
    .update(syncJobs)
    .set({ status: "running", attempts: sql`${syncJobs.attempts} + 1`, startedAt: nowMs, updatedAt: nowMs })
    .where(and(eq(syncJobs.tenantId, row.tenantId), eq(syncJobs.id, row.id)));
}

/** Puts a job back in the queue after a failed attempt, unless an operator stopped it meanwhile (then false). */
export async function requeueJob(database: Db, row: Pick<SyncJobRow, "tenantId" | "id">, lastError: string): Promise<boolean> {
  const rows = await database
    .update(syncJobs)
    .set({ status: "queued", lastError, updatedAt: Date.now() })
    .where(and(eq(syncJobs.tenantId, row.tenantId), eq(syncJobs.id, row.id), ne(syncJobs.status, "stopped")))
    .returning({ id: syncJobs.id });
  return rows.length > 0;
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

export interface JobCursor {
  createdAt: number;
  id: string;
}

/** One page of a provider's jobs, newest first; the cursor is the last row of the previous page. */
export function jobPage(
  database: Db,
  tenantId: string,
  provider: string,
  limit: number,
  after?: JobCursor,
  status?: SyncJobRow["status"],
) {
  const where: SQL[] = [eq(syncJobs.tenantId, tenantId), eq(syncJobs.provider, provider)];
  if (status) where.push(eq(syncJobs.status, status));
  // (created_at, id) orders jobs created in the same millisecond, so a page boundary never skips one.
  if (after)
    where.push(
      or(lt(syncJobs.createdAt, after.createdAt), and(eq(syncJobs.createdAt, after.createdAt), lt(syncJobs.id, after.id)))!,
    );
  return database
    .select()
    .from(syncJobs)
    .where(and(...where))
    .orderBy(desc(syncJobs.createdAt), desc(syncJobs.id))
    .limit(limit);
}

/** How many of a provider's jobs are in each status. */
export async function jobCounts(database: Db, tenantId: string, provider: string): Promise<Record<SyncJobRow["status"], number>> {
  const rows = await database
    .select({ status: syncJobs.status, n: count() })
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), eq(syncJobs.provider, provider)))
    .groupBy(syncJobs.status);
  const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, dead: 0, stopped: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/**
 * Moves a provider's jobs from one set of statuses to another (all of them, or only `ids`) and returns
 * the rows it moved: the retry and stop operations.
 */
export function moveJobs(
  database: Db,
  tenantId: string,
  provider: string,
  from: SyncJobRow["status"][],
  patch: Partial<SyncJobRow>,
  ids?: string[],
) {
  const where: SQL[] = [eq(syncJobs.tenantId, tenantId), eq(syncJobs.provider, provider), inArray(syncJobs.status, from)];
  if (ids) where.push(inArray(syncJobs.id, ids));
  return database
    .update(syncJobs)
    .set({ ...patch, updatedAt: Date.now() })
    .where(and(...where))
    .returning();
}

export function jobHistory(database: Db, tenantId: string, provider: string, limit: number, beforeMs?: number) {
  const where = [eq(syncJobs.tenantId, tenantId), eq(syncJobs.provider, provider)];
  if (beforeMs !== undefined) where.push(lt(syncJobs.createdAt, beforeMs));
  return database
    .select()
    .from(syncJobs)
    .where(and(...where))
    .orderBy(desc(syncJobs.createdAt))
    .limit(limit);
}

export function jobsWithStatus(database: Db, tenantId: string, provider: string, statuses: SyncJobRow["status"][]) {
  return database
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.tenantId, tenantId), eq(syncJobs.provider, provider), inArray(syncJobs.status, statuses)));
}

/**
 * Creates the job under `id` unless a job with that id exists (a stableId, so asking twice for the same
 * thing queues one job). Null when it exists.
 */
export async function insertJobOnce(database: Db, id: string, job: NewJob, nowMs = Date.now()): Promise<SyncJobRow | null> {
  const [row] = await database
    .insert(syncJobs)
    .values({ ...job, id, status: "queued", createdAt: nowMs, updatedAt: nowMs })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/**
 * Marks a message job as being handed to its provider, unless an earlier attempt already did and its
 * outcome is unknown (then false). The mark lives in `result` until the attempt's outcome replaces it.
 */
export async function claimDelivery(
  database: Db,
  row: Pick<SyncJobRow, "tenantId" | "id">,
  nowMs = Date.now(),
): Promise<boolean> {
  const rows = await database
    .update(syncJobs)
    .set({ result: { delivery: "sending", at: nowMs }, updatedAt: nowMs })
    .where(
      and(
        eq(syncJobs.tenantId, row.tenantId),
        eq(syncJobs.id, row.id),
        sql`(${syncJobs.result} IS NULL OR json_extract(${syncJobs.result}, '$.delivery') IS NOT 'sending')`,
      ),
    )
    .returning({ id: syncJobs.id });
  return rows.length > 0;
}
