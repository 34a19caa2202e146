// The meter registry (schema.ts, `meters`): which meters a tenant has, in which zone and where on the
// street. What each meter last reported lives in its zone's object (durable/zone-state/meters.ts).
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "./db";
import { meters } from "./schema";

export type MeterRow = typeof meters.$inferSelect;

export interface NewMeter {
  id: string;
  zone: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** Registers a meter; null when the tenant already has one with this id. */
export async function insertMeter(database: Db, tenantId: string, m: NewMeter, now = Date.now()): Promise<MeterRow | null> {
  const rows = await database
    .insert(meters)
    .values({ tenantId, ...m, vendor: "parkeon", createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  return rows[0] ?? null;
}

export async function findMeter(database: Db, tenantId: string, id: string): Promise<MeterRow | null> {
  const rows = await database
    .select()
    .from(meters)
    .where(and(eq(meters.tenantId, tenantId), eq(meters.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

/** A page of the tenant's meters by id, after `after` (exclusive); `zone` narrows to one zone. */
export function listMeters(database: Db, tenantId: string, opts: { zone?: string; after?: string; limit: number }) {
  const where = [eq(meters.tenantId, tenantId)];
  if (opts.zone) where.push(eq(meters.zone, opts.zone));
  if (opts.after) where.push(gt(meters.id, opts.after));
  return database
    .select()
    .from(meters)
    .where(and(...where))
    .orderBy(asc(meters.id))
    .limit(opts.limit);
}
