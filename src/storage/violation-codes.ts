// A tenant's violation-code table (schema.ts, violation_codes): the fine of each code, and when and by how
// much an unpaid citation escalates. Citations take their fine from here, never from the sender.
import { and, asc, eq, sql } from "drizzle-orm";
import type { ViolationCode } from "../domain/citations";
import type { Db } from "./db";
import { violationCodes } from "./schema";

export type ViolationCodeRow = typeof violationCodes.$inferSelect;
export type ViolationCodeInput = ViolationCode & { active: boolean };

export async function findViolationCode(database: Db, tenantId: string, code: string): Promise<ViolationCodeRow | null> {
  const [row] = await database
    .select()
    .from(violationCodes)
    .where(and(eq(violationCodes.tenantId, tenantId), eq(violationCodes.code, code)))
    .limit(1);
  return row ?? null;
}

/** Every code of the tenant, by code; `active` narrows to codes that may be cited (true) or retired ones. */
export function listViolationCodes(database: Db, tenantId: string, active?: boolean) {
  const where = [eq(violationCodes.tenantId, tenantId)];
  if (active !== undefined) where.push(eq(violationCodes.active, active));
  return database
    .select()
    .from(violationCodes)
    .where(and(...where))
    .orderBy(asc(violationCodes.code));
}

/** Creates or replaces one code. Citations already issued keep the fine they were issued with. */
export async function putViolationCode(database: Db, tenantId: string, c: ViolationCodeInput, nowMs: number) {
  const values = {
    name: c.name,
    fineCents: c.fineCents,
    escalateAfterDays: c.escalateAfterDays,
    lateFeeCents: c.lateFeeCents,
    active: c.active,
    updatedAt: nowMs,
  };
  const [row] = await database
    .insert(violationCodes)
    .values({ tenantId, code: c.code, ...values })
    .onConflictDoUpdate({ target: [violationCodes.tenantId, violationCodes.code], set: values })
    .returning();
  return row!;
}

/** Adds a code only if the tenant has none by that name (demo data: never overwrites a city's own fine). */
export async function insertViolationCodeOnce(database: Db, tenantId: string, c: ViolationCodeInput, nowMs: number) {
  await database
    .insert(violationCodes)
    .values({ tenantId, ...c, updatedAt: nowMs })
    .onConflictDoNothing();
}

/**
 * Whether a violation code may be named on a zone (a meter's configuration, a zone's default): a tenant
 * that keeps a violation-code table may name only its active codes; one that keeps none yet may name any.
 */
export async function violationCodeAllowed(database: Db, tenantId: string, code: string): Promise<boolean> {
  const [row] = await database
    .select({
      codes: sql<number>`COUNT(*)`,
      known: sql<number>`COALESCE(SUM(${violationCodes.code} = ${code} AND ${violationCodes.active} = 1), 0)`,
    })
    .from(violationCodes)
    .where(eq(violationCodes.tenantId, tenantId));
  return !row || row.codes === 0 || row.known > 0;
}
