// Tenant data keys as D1 keeps them (tenant_data_keys): one row per tenant and version, the key wrapped
// by a master key. Wrapping, unwrapping and caching are the vault's (src/vault/data-keys.ts); this module
// only reads and writes the rows. The rotation queries run across tenants: rewrapping is the operator's.
import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "./db";
import { tenantDataKeys } from "./schema";

export type DataKeyRow = typeof tenantDataKeys.$inferSelect;

/** The tenant's data key of this version, or its newest when no version is named. */
export async function findDataKey(database: Db, tenantId: string, version?: number): Promise<DataKeyRow | null> {
  const where =
    version === undefined
      ? eq(tenantDataKeys.tenantId, tenantId)
      : and(eq(tenantDataKeys.tenantId, tenantId), eq(tenantDataKeys.version, version));
  const rows = await database.select().from(tenantDataKeys).where(where).orderBy(desc(tenantDataKeys.version)).limit(1);
  return rows[0] ?? null;
}

/** Stores a tenant's data key unless it has one of that version already: of two first uses racing, one insert wins. */
export async function insertDataKeyOnce(
  database: Db,
  row: Pick<DataKeyRow, "tenantId" | "version" | "wrappedKey" | "masterVersion">,
) {
  await database.insert(tenantDataKeys).values(row).onConflictDoNothing();
}

/**
 * Every tenant's data keys wrapped by a master key other than `masterVersion`, by tenant and version: what a rotation to it
 * rewraps.
 */
export function dataKeysNotUnder(database: Db, masterVersion: number): Promise<DataKeyRow[]> {
  return database
    .select()
    .from(tenantDataKeys)
    .where(ne(tenantDataKeys.masterVersion, masterVersion))
    .orderBy(asc(tenantDataKeys.tenantId), asc(tenantDataKeys.version));
}

/** How many data keys, across tenants, a master key other than `masterVersion` wraps. */
export async function countDataKeysNotUnder(database: Db, masterVersion: number): Promise<number> {
  const [left] = await database
    .select({ n: sql<number>`count(*)` })
    .from(tenantDataKeys)
    .where(ne(tenantDataKeys.masterVersion, masterVersion));
  return Number(left?.n ?? 0);
}

/**
 * Replaces a row's wrap with one under `masterVersion`, compare-and-set on the wrap the caller read: a
 * concurrent rotation's write is kept, not overwritten. False when the row no longer holds that wrap.
 */
export async function rewrapDataKey(
  database: Db,
  row: Pick<DataKeyRow, "tenantId" | "version" | "wrappedKey">,
  wrappedKey: string,
  masterVersion: number,
): Promise<boolean> {
  const updated = await database
    .update(tenantDataKeys)
    .set({ wrappedKey, masterVersion, rewrappedAt: Date.now() })
    .where(
      and(
        eq(tenantDataKeys.tenantId, row.tenantId),
        eq(tenantDataKeys.version, row.version),
        eq(tenantDataKeys.wrappedKey, row.wrappedKey),
      ),
    )
    .returning({ tenantId: tenantDataKeys.tenantId });
  return updated.length > 0;
}
