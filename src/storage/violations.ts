// Violations in D1: what officers and cameras observed, keyed by (tenant, source, the source's own id).
// A change is written in one batch with its evidence rows and its domain event (saveViolation), so no
// violation exists without the event that announces it, and no evidence row without its violation.
import { and, asc, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import type { ViolationStatus } from "../domain/violations";
import type { Db } from "./db";
import { type DomainEvent, eventInsert } from "./domain-events";
import { type EvidenceRow, evidenceInsert } from "./evidence";
import { violations } from "./schema";

// D1 binds at most 100 values per statement; an evidence row has 15 columns.
const EVIDENCE_ROWS_PER_INSERT = 6;

export type ViolationRow = typeof violations.$inferSelect;
export type ViolationChange = Partial<Omit<ViolationRow, "id" | "tenantId" | "source" | "externalId" | "createdAt">>;

export async function findViolation(database: Db, tenantId: string, id: string): Promise<ViolationRow | null> {
  const [row] = await database
    .select()
    .from(violations)
    .where(and(eq(violations.tenantId, tenantId), eq(violations.id, id)))
    .limit(1);
  return row ?? null;
}

/** The violation a source reported under its own id (IPS's violationId). */
export async function findViolationBySource(
  database: Db,
  tenantId: string,
  source: string,
  externalId: string,
): Promise<ViolationRow | null> {
  const [row] = await database
    .select()
    .from(violations)
    .where(and(eq(violations.tenantId, tenantId), eq(violations.source, source), eq(violations.externalId, externalId)))
    .limit(1);
  return row ?? null;
}

/**
 * Writes a new violation (`insert`) or a change to one (`update`), its new evidence rows and its event,
 * in one D1 batch. Rejects when D1 does, for instance when another request recorded the same source id
 * first (the unique index); then nothing of it was written.
 */
export async function saveViolation(
  database: Db,
  change: (
    | { insert: ViolationRow }
    | { update: { tenantId: string; id: string; set: ViolationChange & { updatedAt: number } } }
  ) & { evidence: EvidenceRow[]; event: DomainEvent },
) {
  const write =
    "insert" in change
      ? database.insert(violations).values(change.insert)
      : database
          .update(violations)
          .set(change.update.set)
          .where(and(eq(violations.tenantId, change.update.tenantId), eq(violations.id, change.update.id)));
  const evidence = [];
  for (let at = 0; at < change.evidence.length; at += EVIDENCE_ROWS_PER_INSERT)
    evidence.push(evidenceInsert(database, change.evidence.slice(at, at + EVIDENCE_ROWS_PER_INSERT)));
  await database.batch([write, ...evidence, eventInsert(database, change.event)]);
}

export interface ViolationFilter {
  zone?: string;
  plate?: string;
  officerId?: string;
  status?: ViolationStatus;
  /** observedAt in [fromMs, toMs). */
  fromMs?: number;
  toMs?: number;
}

export interface ViolationCursor {
  observedAt: number;
  id: string;
}

/** One page of a tenant's violations, most recently observed first; the cursor is the last row of the previous page. */
export function violationPage(database: Db, tenantId: string, f: ViolationFilter, limit: number, after?: ViolationCursor) {
  const where: SQL[] = [eq(violations.tenantId, tenantId)];
  if (f.zone) where.push(eq(violations.zone, f.zone));
  if (f.plate) where.push(eq(violations.plate, f.plate));
  if (f.officerId) where.push(eq(violations.officerId, f.officerId));
  if (f.status) where.push(eq(violations.status, f.status));
  if (f.fromMs !== undefined) where.push(gte(violations.observedAt, f.fromMs));
  if (f.toMs !== undefined) where.push(lt(violations.observedAt, f.toMs));
  // (observed_at, id) orders violations seen in the same millisecond, so a page boundary never skips one.
  if (after)
    where.push(
      or(
        lt(violations.observedAt, after.observedAt),
        and(eq(violations.observedAt, after.observedAt), lt(violations.id, after.id)),
      )!,
    );
  return database
    .select()
    .from(violations)
    .where(and(...where))
    .orderBy(desc(violations.observedAt), desc(violations.id))
    .limit(limit);
}

/** Violations observed in [fromMs, toMs) with one of `statuses`, oldest first, at most `limit` (a sync push). */
export function violationsObserved(
  database: Db,
  tenantId: string,
  f: { fromMs: number; toMs: number; statuses: ViolationStatus[]; limit: number },
) {
  return database
    .select()
    .from(violations)
    .where(
      and(
        eq(violations.tenantId, tenantId),
        inArray(violations.status, f.statuses),
        gte(violations.observedAt, f.fromMs),
        lt(violations.observedAt, f.toMs),
      ),
    )
    .orderBy(asc(violations.observedAt), asc(violations.id))
    .limit(f.limit);
}
