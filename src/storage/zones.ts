// Zones in D1 are the source of truth for a zone's rules; each ZoneState holds a copy for checks. Every
// version of a zone's rules is also kept in zone_rule_versions with who made it, written in the same D1
// batch as the zone row (from that row, so the version number is the one the zone got).
import { and, asc, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { ZoneConfig } from "../../durable/zone-state/contract";
import type { ZoneRules } from "../domain/types";
import type { Db } from "./db";
import { zoneRuleVersions, zones } from "./schema";

export type ZoneRow = typeof zones.$inferSelect;
export type StoredRules = Omit<ZoneRules, "code" | "name" | "timezone">;
export type RuleVersionRow = typeof zoneRuleVersions.$inferSelect;

/** Who made a version: `source` "staff" or "parkeon:<meterId>" (or "seed"); `actor` "key:<id>", "user:<id>", "system:<part>". */
export interface RulesAuthor {
  source: string;
  actor: string;
}

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

export async function insertZone(
  database: Db,
  tenantId: string,
  rules: ZoneRules,
  capacity: number | null,
  now = Date.now(),
  by: RulesAuthor = { source: "staff", actor: "system" },
) {
  const { code, name, timezone, ...stored } = rules;
  // The version row is taken from the zone row this batch inserted (version 1, created now); a code that
  // was already taken keeps its own history.
  const inserted = and(zoneIs(tenantId, code), eq(zones.version, 1), eq(zones.createdAt, now));
  const [rows] = await database.batch([
    database
      .insert(zones)
      .values({ tenantId, code, name, timezone, rules: stored, capacity, version: 1, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning(),
    recordVersion(database, inserted, rules, by, now),
  ]);
  return rows[0] ?? null; // null: the code is taken
}

/** Replaces a zone's rules as its next version, recorded with its author; null when the zone does not exist. */
export async function replaceZone(
  database: Db,
  tenantId: string,
  rules: ZoneRules,
  capacity: number | null,
  by: RulesAuthor,
  now = Date.now(),
) {
  const { code, name, timezone, ...stored } = rules;
  const [rows] = await database.batch([
    database
      .update(zones)
      .set({ name, timezone, rules: stored, capacity, version: sql`${zones.version} + 1`, updatedAt: now })
      .where(zoneIs(tenantId, code))
      .returning(),
    recordVersion(database, zoneIs(tenantId, code), rules, by, now),
  ]);
  return rows[0] ?? null;
}

/** A zone's recorded rule versions, newest first; `beforeVersion` pages back. */
export function listRuleVersions(database: Db, tenantId: string, code: string, opts: { beforeVersion?: number; limit: number }) {
  const where = [eq(zoneRuleVersions.tenantId, tenantId), eq(zoneRuleVersions.zone, code)];
  if (opts.beforeVersion !== undefined) where.push(lt(zoneRuleVersions.version, opts.beforeVersion));
  return database
    .select()
    .from(zoneRuleVersions)
    .where(and(...where))
    .orderBy(desc(zoneRuleVersions.version))
    .limit(opts.limit);
}

const zoneIs = (tenantId: string, code: string) => and(eq(zones.tenantId, tenantId), eq(zones.code, code));

/** The version row of the zone row `which` selects, as that row stands when the statement runs. */
const recordVersion = (database: Db, which: SQL | undefined, rules: ZoneRules, by: RulesAuthor, now: number) =>
  database
    .insert(zoneRuleVersions)
    .select((qb) =>
      qb
        .select({
          tenantId: zones.tenantId,
          zone: zones.code,
          version: zones.version,
          rules: sql`${JSON.stringify(rules)}`.as("rules"),
          source: sql`${by.source}`.as("source"),
          actor: sql`${by.actor}`.as("actor"),
          at: sql`${now}`.as("at"),
        })
        .from(zones)
        .where(which),
    )
    .onConflictDoNothing();
