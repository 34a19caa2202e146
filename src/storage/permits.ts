// Permits: D1 keeps the record; every zone the permit covers holds a copy for plate checks.
import { and, asc, desc, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { PermitType, PermitView } from "../domain/types";
import type { Bindings } from "../env";
import type { Db } from "./db";
import { permits } from "./schema";
import { zoneStub } from "./zone-state";

export type PermitRow = typeof permits.$inferSelect;

export const viewOf = (p: PermitRow): PermitView => ({
  id: p.id,
  plate: p.plate,
  state: p.state,
  type: p.type,
  number: p.number,
  zones: p.zones,
  validFromMs: p.validFrom,
  validUntilMs: p.validUntil,
});

export async function findPermit(database: Db, tenantId: string, id: string) {
  const rows = await database
    .select()
    .from(permits)
    .where(and(eq(permits.tenantId, tenantId), eq(permits.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

/** The permit with this number (numbers are unique per tenant). */
export async function findPermitByNumber(database: Db, tenantId: string, number: string): Promise<PermitRow | null> {
  const [row] = await database
    .select()
    .from(permits)
    .where(and(eq(permits.tenantId, tenantId), eq(permits.number, number)))
    .limit(1);
  return row ?? null;
}

export function searchPermits(
  database: Db,
  tenantId: string,
  f: { plate?: string; zone?: string; status?: "active" | "revoked"; limit: number },
) {
  const where: SQL[] = [eq(permits.tenantId, tenantId)];
  if (f.plate) where.push(eq(permits.plate, f.plate));
  if (f.status) where.push(eq(permits.status, f.status));
  if (f.zone) where.push(sql`EXISTS (SELECT 1 FROM json_each(${permits.zones}) WHERE json_each.value = ${f.zone})`);
  return database
    .select()
    .from(permits)
    .where(and(...where))
    .orderBy(desc(permits.createdAt))
    .limit(f.limit);
}

/** Permits of these types, oldest first (a sync push); with `activeAt`, only those active and valid then. */
export function permitsOfTypes(
  database: Db,
  tenantId: string,
  f: { types: PermitType[]; activeAt: number | null; limit: number },
) {
  const where: SQL[] = [eq(permits.tenantId, tenantId), inArray(permits.type, f.types)];
  if (f.activeAt !== null)
    where.push(eq(permits.status, "active"), lte(permits.validFrom, f.activeAt), gt(permits.validUntil, f.activeAt));
  return database
    .select()
    .from(permits)
    .where(and(...where))
    .orderBy(asc(permits.createdAt), asc(permits.id))
    .limit(f.limit);
}

/** Issues a permit, active from now on; null when its id or its number (unique per tenant) is taken. */
export async function insertPermit(
  database: Db,
  p: Pick<PermitRow, "id" | "tenantId" | "plate" | "state" | "type" | "number" | "zones" | "validFrom" | "validUntil">,
  nowMs: number,
): Promise<PermitRow | null> {
  const rows = await database
    .insert(permits)
    .values({
      id: p.id,
      tenantId: p.tenantId,
      plate: p.plate,
      state: p.state,
      type: p.type,
      number: p.number,
      zones: p.zones,
      validFrom: p.validFrom,
      validUntil: p.validUntil,
      status: "active",
      createdAt: nowMs,
    })
    .onConflictDoNothing()
    .returning();
  return rows[0] ?? null;
}

/** Marks a permit revoked and returns it; null when there is no such permit. */
export async function markPermitRevoked(database: Db, tenantId: string, id: string, nowMs: number): Promise<PermitRow | null> {
  const rows = await database
    .update(permits)
    .set({ status: "revoked", revokedAt: nowMs })
    .where(and(eq(permits.tenantId, tenantId), eq(permits.id, id)))
    .returning();
  return rows[0] ?? null;
}

/** Marks the permit with this number revoked and returns it; null when there is no such permit. */
export async function markPermitNumberRevoked(
  database: Db,
  tenantId: string,
  number: string,
  nowMs: number,
): Promise<PermitRow | null> {
  const rows = await database
    .update(permits)
    .set({ status: "revoked", revokedAt: nowMs })
    .where(and(eq(permits.tenantId, tenantId), eq(permits.number, number)))
    .returning();
  return rows[0] ?? null;
}

/** Pushes an active permit into, or a revoked one out of, every zone it covers, before the caller answers. */
export async function syncPermitToZones(env: Bindings, row: PermitRow) {
  await Promise.all(
    row.zones.map((zone) => {
      const stub = zoneStub(env, row.tenantId, zone);
      return row.status === "active" ? stub.putPermit(viewOf(row)) : stub.removePermit(row.id);
    }),
  );
}
