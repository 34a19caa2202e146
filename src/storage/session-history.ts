// Session history in D1, written by ZoneState outboxes. Upserts are idempotent: a row only moves
// forward in version, so a retried or reordered flush can never roll a session back.
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { StoredSession } from "../domain/sessions";
import { db } from "./db";
import { parkingSessions } from "./schema";

export async function upsertSessionHistory(d1: D1Database, tenantId: string, sessions: StoredSession[]) {
  if (sessions.length === 0) return;
  const database = db(d1);
  const statements = sessions.map((s) =>
    database
      .insert(parkingSessions)
      .values({
        id: s.id, tenantId, zone: s.zone, plate: s.plate, state: s.state, startAt: s.startMs, endAt: s.endMs,
        paidMinutes: s.paidMinutes, amountCents: s.amountCents, refundCents: s.refundCents, paidCents: s.paidCents ?? 0, status: s.status,
        endedAt: s.endedAtMs, version: s.version, createdAt: s.createdAtMs, updatedAt: s.updatedAtMs,
      })
      .onConflictDoUpdate({
        target: parkingSessions.id,
        set: {
          endAt: sql`excluded.end_at`, paidMinutes: sql`excluded.paid_minutes`, amountCents: sql`excluded.amount_cents`,
          refundCents: sql`excluded.refund_cents`, paidCents: sql`excluded.paid_cents`, status: sql`excluded.status`, endedAt: sql`excluded.ended_at`,
          version: sql`excluded.version`, updatedAt: sql`excluded.updated_at`,
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
