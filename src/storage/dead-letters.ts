// Dead letters: webhook events and sync jobs that exhausted their attempts, kept for operators to look
// at and replay. A webhook event's is written with the event (./webhook-events.ts), a sync job's by the
// sync consumer. Replaying one marks it replayed; the row stays.
import { and, count, desc, eq, gte, inArray, isNull, lte, type SQL } from "drizzle-orm";
import { newId } from "../lib/ids";
import type { Db } from "./db";
import { deadLetters } from "./schema";

export type DeadLetterRow = typeof deadLetters.$inferSelect;

/** Records that a sync job exhausted its attempts; a repeat for the same failure changes nothing. */
export async function recordJobDeadLetter(
  database: Db,
  job: { id: string; tenantId: string; provider: string },
  attempts: number,
  lastError: string,
  nowMs: number,
) {
  await database
    .insert(deadLetters)
    .values({
      id: newId("dlq"),
      tenantId: job.tenantId,
      kind: "sync",
      refId: job.id,
      provider: job.provider,
      attempts,
      lastError,
      failedAt: nowMs,
    })
    .onConflictDoNothing();
}

/** A tenant's dead letters matching the operator's filters, newest failure first. */
export function searchDeadLetters(
  database: Db,
  tenantId: string,
  f: { kind?: string; provider?: string; replayed?: boolean; limit: number },
): Promise<DeadLetterRow[]> {
  const where: SQL[] = [eq(deadLetters.tenantId, tenantId)];
  if (f.kind) where.push(eq(deadLetters.kind, f.kind));
  if (f.provider) where.push(eq(deadLetters.provider, f.provider));
  if (f.replayed === true) where.push(gte(deadLetters.replayedAt, 0));
  if (f.replayed === false) where.push(isNull(deadLetters.replayedAt));
  return database
    .select()
    .from(deadLetters)
    .where(and(...where))
    .orderBy(desc(deadLetters.failedAt))
    .limit(f.limit);
}

/**
 * The tenant's webhook dead letters not yet replayed that failed between `fromMs` and `untilMs` (both
 * included), at most `limit`. A sync job's are left out: it is replayed by retrying the job.
 */
export function unreplayedWebhookLetters(
  database: Db,
  tenantId: string,
  f: { fromMs: number; untilMs: number; provider?: string },
  limit: number,
): Promise<DeadLetterRow[]> {
  const where: SQL[] = [
    eq(deadLetters.tenantId, tenantId),
    eq(deadLetters.kind, "webhook"),
    isNull(deadLetters.replayedAt),
    gte(deadLetters.failedAt, f.fromMs),
    lte(deadLetters.failedAt, f.untilMs),
  ];
  if (f.provider) where.push(eq(deadLetters.provider, f.provider));
  return database
    .select()
    .from(deadLetters)
    .where(and(...where))
    .limit(limit);
}

/** Marks these dead letters replayed, one statement each. */
export async function markLettersReplayed(database: Db, tenantId: string, ids: string[], nowMs: number) {
  for (const id of ids)
    await database
      .update(deadLetters)
      .set({ replayedAt: nowMs })
      .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id)));
}

/** Marks the dead letters of these sync jobs replayed (those not already), in one statement: the jobs were queued again. */
export async function markJobLettersReplayed(database: Db, tenantId: string, jobIds: string[], nowMs: number) {
  await database
    .update(deadLetters)
    .set({ replayedAt: nowMs })
    .where(
      and(
        eq(deadLetters.tenantId, tenantId),
        eq(deadLetters.kind, "sync"),
        inArray(deadLetters.refId, jobIds),
        isNull(deadLetters.replayedAt),
      ),
    );
}

/** How many of the tenant's dead letters are not yet replayed, for monitoring. */
export async function unreplayedCount(database: Db, tenantId: string): Promise<number> {
  const [row] = await database
    .select({ n: count() })
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), isNull(deadLetters.replayedAt)));
  return row?.n ?? 0;
}
