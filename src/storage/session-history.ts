// Session history in D1, written by ZoneState outboxes. Upserts are idempotent: a row only moves
// forward in version, so a retried or reordered flush can never roll a session back.
import { and, asc, desc, eq, gt, gte, lt, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { StoredSession } from "../domain/sessions";
import { db, type Db } from "./db";
import { parkingSessions } from "./schema";

export type SessionHistoryRow = typeof parkingSessions.$inferSelect;

/** A history row as the session it records. */
export const fromHistory = (row: SessionHistoryRow): StoredSession => ({
  id: row.id,
  plate: row.plate,
  state: row.state,
  zone: row.zone,
  startMs: row.startAt,
  endMs: row.endAt,
  paidMinutes: row.paidMinutes,
  amountCents: row.amountCents,
  refundCents: row.refundCents,
  paidCents: row.paidCents,
  status: row.status,
  endedAtMs: row.endedAt,
  version: row.version,
  createdAtMs: row.createdAt,
  updatedAtMs: row.updatedAt,
});

export async function upsertSessionHistory(d1: D1Database, tenantId: string, sessions: StoredSession[]) {
  if (sessions.length === 0) return;
  const database = db(d1);
  const statements = sessions.map((s) =>
    database
      .insert(parkingSessions)
      .values({
        id: s.id,
        tenantId,
        zone: s.zone,
        plate: s.plate,
        state: s.state,
        startAt: s.startMs,
        endAt: s.endMs,
        paidMinutes: s.paidMinutes,
        amountCents: s.amountCents,
        refundCents: s.refundCents,
        paidCents: s.paidCents ?? 0,
        status: s.status,
        endedAt: s.endedAtMs,
        version: s.version,
        createdAt: s.createdAtMs,
        updatedAt: s.updatedAtMs,
      })
      .onConflictDoUpdate({
        target: parkingSessions.id,
        set: {
          endAt: sql`excluded.end_at`,
          paidMinutes: sql`excluded.paid_minutes`,
          amountCents: sql`excluded.amount_cents`,
          refundCents: sql`excluded.refund_cents`,
          paidCents: sql`excluded.paid_cents`,
          status: sql`excluded.status`,
          endedAt: sql`excluded.ended_at`,
          version: sql`excluded.version`,
          updatedAt: sql`excluded.updated_at`,
        },
        setWhere: sql`excluded.version > ${parkingSessions.version}`,
      }),
  );
  await database.batch(statements as [(typeof statements)[0], ...typeof statements]);
}

/** The tenant's sessions still running at `atMs` (status active, not yet ended), oldest first. */
export function activeSessionRows(d1: D1Database, tenantId: string, atMs: number, limit: number) {
  return db(d1)
    .select()
    .from(parkingSessions)
    .where(and(eq(parkingSessions.tenantId, tenantId), eq(parkingSessions.status, "active"), gt(parkingSessions.endAt, atMs)))
    .orderBy(asc(parkingSessions.startAt), asc(parkingSessions.id))
    .limit(limit);
}

export async function findSessionHistory(database: Db, tenantId: string, id: string): Promise<SessionHistoryRow | null> {
  const rows = await database
    .select()
    .from(parkingSessions)
    .where(and(eq(parkingSessions.tenantId, tenantId), eq(parkingSessions.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * One page of the tenant's session history, newest start first. `active` is judged at `nowMs`: running
 * means status active and not yet past its end. `beforeMs` is the previous page's last start.
 */
export function searchSessionHistory(
  database: Db,
  tenantId: string,
  f: { zone?: string; plate?: string; active?: boolean; beforeMs?: number; limit: number },
  nowMs: number,
): Promise<SessionHistoryRow[]> {
  const where: SQL[] = [eq(parkingSessions.tenantId, tenantId)];
  if (f.zone !== undefined) where.push(eq(parkingSessions.zone, f.zone));
  if (f.plate !== undefined) where.push(eq(parkingSessions.plate, f.plate));
  if (f.active === true) where.push(eq(parkingSessions.status, "active"), gt(parkingSessions.endAt, nowMs));
  if (f.active === false) where.push(or(ne(parkingSessions.status, "active"), lte(parkingSessions.endAt, nowMs))!);
  if (f.beforeMs !== undefined) where.push(lt(parkingSessions.startAt, f.beforeMs));
  return database
    .select()
    .from(parkingSessions)
    .where(and(...where))
    .orderBy(desc(parkingSessions.startAt))
    .limit(f.limit);
}

/**
 * The start and end of a zone's sessions that started in [startedFromMs, startedBeforeMs) and ended
 * after `endedAfterMs`, at most `limit` of them: the sessions an occupancy window can see.
 */
export function sessionSpans(
  database: Db,
  tenantId: string,
  zone: string,
  f: { startedFromMs: number; startedBeforeMs: number; endedAfterMs: number },
  limit: number,
): Promise<{ startMs: number; endMs: number }[]> {
  return database
    .select({ startMs: parkingSessions.startAt, endMs: parkingSessions.endAt })
    .from(parkingSessions)
    .where(
      and(
        eq(parkingSessions.tenantId, tenantId),
        eq(parkingSessions.zone, zone),
        gte(parkingSessions.startAt, f.startedFromMs),
        lt(parkingSessions.startAt, f.startedBeforeMs),
        gt(parkingSessions.endAt, f.endedAfterMs),
      ),
    )
    .limit(limit);
}
