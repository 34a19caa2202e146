// Zones in D1 are the source of truth for a zone's rules; each ZoneState holds a copy for checks.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { ZoneConfig } from "../../durable/zone-state/contract";
import type { ZoneRules } from "../domain/types";
import type { Db } from "./db";
import { zones } from "./schema";

export type ZoneRow = typeof zones.$inferSelect;
export type StoredRules = Omit<ZoneRules, "code" | "name" | "timezone">;

export const rulesOf = (row: ZoneRow): ZoneRules => ({
  ...(row.rules as StoredRules),
  code: row.code,
  name: row.name,
  timezone: row.timezone,
});

export const configOf = (row: ZoneRow): ZoneConfig => ({
  tenantId: row.tenantId,
  rules: rulesOf(row),
  version: row.version,
  capacity: row.capacity,
});

export async function findZone(database: Db, tenantId: string, code: string): Promise<ZoneRow | null> {
  const rows = await database
    .select()
    .from(zones)
    .where(and(eq(zones.tenantId, tenantId), eq(zones.code, code)))
    .limit(1);
  return rows[0] ?? null;
}

export function listZones(database: Db, tenantId: string): Promise<ZoneRow[]> {
  return database.select().from(zones).where(eq(zones.tenantId, tenantId)).orderBy(asc(zones.code));
}

/** Which of these codes name one of the tenant's zones. */
export function knownZoneCodes(database: Db, tenantId: string, codes: string[]): Promise<{ code: string }[]> {
  return database
    .select({ code: zones.code })
    .from(zones)
    .where(and(eq(zones.tenantId, tenantId), inArray(zones.code, codes)));
}

export async function insertZone(database: Db, tenantId: string, rules: ZoneRules, capacity: number | null, now = Date.now()) {
  const { code, name, timezone, ...stored } = rules;
  const rows = await database
    .insert(zones)
    .values({ tenantId, code, name, timezone, rules: stored, capacity, version: 1, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  return rows[0] ?? null; // null: the code is taken
}

export async function replaceZone(database: Db, tenantId: string, rules: ZoneRules, capacity: number | null, now = Date.now()) {
  const { code, name, timezone, ...stored } = rules;
  const existing = await findZone(database, tenantId, code);
  if (!existing) return null;
  const rows = await database
    .update(zones)
    .set({ name, timezone, rules: stored, capacity, version: existing.version + 1, updatedAt: now })
    .where(and(eq(zones.tenantId, tenantId), eq(zones.code, code)))
    .returning();
  return rows[0] ?? null;
}
