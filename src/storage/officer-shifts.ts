// Officers' shifts as the enforcement vendor reports them (IPS enforcement.start_shift / end_shift).
// A shift is keyed by (tenant, officer, start time), so a repeated start changes nothing. An officer is
// on one shift at a time, and deliveries can be lost or come out of order, so a start ends the officer's
// earlier shifts that are still open or end after it (their end was lost), and, when a later shift is
// already known, begins already ended at that later start.
import { and, asc, desc, eq, gt, isNotNull, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import { newId } from "../lib/ids";
import type { Db } from "./db";
import { officerShifts } from "./schema";

export type ShiftRow = typeof officerShifts.$inferSelect;

export interface ShiftStart {
  tenantId: string;
  officerId: string;
  officerName: string | null;
  deviceId: string | null;
  zones: string[] | null;
  source: string;
  startedAt: number;
}

/** Records a start; `created` is false when that officer's shift with this start was already recorded. */
export async function startShift(database: Db, s: ShiftStart, nowMs: number): Promise<{ shift: ShiftRow; created: boolean }> {
  const officer = and(eq(officerShifts.tenantId, s.tenantId), eq(officerShifts.officerId, s.officerId));
  const [next] = await database
    .select({ startedAt: officerShifts.startedAt })
    .from(officerShifts)
    .where(and(officer, gt(officerShifts.startedAt, s.startedAt)))
    .orderBy(asc(officerShifts.startedAt))
    .limit(1);
  const [, inserted] = await database.batch([
    database
      .update(officerShifts)
      .set({ endedAt: s.startedAt, updatedAt: nowMs })
      .where(
        and(
          officer,
          lt(officerShifts.startedAt, s.startedAt),
          or(isNull(officerShifts.endedAt), gt(officerShifts.endedAt, s.startedAt)),
        ),
      ),
    database
      .insert(officerShifts)
      .values({ id: newId("shf"), ...s, endedAt: next?.startedAt ?? null, updatedAt: nowMs })
      .onConflictDoNothing()
      .returning(),
  ]);
  if (inserted[0]) return { shift: inserted[0], created: true };
  const [existing] = await database
    .select()
    .from(officerShifts)
    .where(and(officer, eq(officerShifts.startedAt, s.startedAt)));
  return { shift: existing!, created: false };
}

/** Writes a whole shift as it is (demo data); nothing when its id, or its officer and start, is taken. */
export async function insertShift(database: Db, row: ShiftRow): Promise<void> {
  await database.insert(officerShifts).values(row).onConflictDoNothing();
}

/**
 * Ends the officer's latest shift that started at or before `endedAt` (open or not: the reported end
 * replaces an inferred one). Null when no such shift is recorded.
 */
export async function endShift(
  database: Db,
  e: { tenantId: string; officerId: string; endedAt: number },
  nowMs: number,
): Promise<{ shift: ShiftRow; changed: boolean } | null> {
  const [latest] = await database
    .select()
    .from(officerShifts)
    .where(
      and(
        eq(officerShifts.tenantId, e.tenantId),
        eq(officerShifts.officerId, e.officerId),
        lte(officerShifts.startedAt, e.endedAt),
      ),
    )
    .orderBy(desc(officerShifts.startedAt))
    .limit(1);
  if (!latest) return null;
  if (latest.endedAt === e.endedAt) return { shift: latest, changed: false };
  const [row] = await database
    .update(officerShifts)
    .set({ endedAt: e.endedAt, updatedAt: nowMs })
    .where(and(eq(officerShifts.tenantId, e.tenantId), eq(officerShifts.id, latest.id)))
    .returning();
  return { shift: row!, changed: true };
}

export interface ShiftCursor {
  startedAt: number;
  id: string;
}

/** One page of a tenant's shifts, latest start first; `open` narrows to shifts with (or without) an end. */
export function shiftPage(
  database: Db,
  tenantId: string,
  f: { open?: boolean; officerId?: string },
  limit: number,
  after?: ShiftCursor,
) {
  const where: SQL[] = [eq(officerShifts.tenantId, tenantId)];
  if (f.open === true) where.push(isNull(officerShifts.endedAt));
  if (f.open === false) where.push(isNotNull(officerShifts.endedAt));
  if (f.officerId) where.push(eq(officerShifts.officerId, f.officerId));
  if (after)
    where.push(
      or(
        lt(officerShifts.startedAt, after.startedAt),
        and(eq(officerShifts.startedAt, after.startedAt), lt(officerShifts.id, after.id)),
      )!,
    );
  return database
    .select()
    .from(officerShifts)
    .where(and(...where))
    .orderBy(desc(officerShifts.startedAt), desc(officerShifts.id))
    .limit(limit);
}
