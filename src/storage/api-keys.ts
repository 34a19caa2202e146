// API keys as D1 keeps them: the SHA-256 hash of the whole key and a display prefix, never the key.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "./db";
import { apiKeys, tenants } from "./schema";

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type TenantStatus = (typeof tenants.$inferSelect)["status"];

/**
 * The unrevoked key with this hash, with its tenant's status, in one query: authentication runs it on
 * the plate check's path whenever the isolate cache misses. Expiry and tenant status are the caller's to judge.
 */
export async function findUnrevokedKey(
  database: Db,
  hash: string,
): Promise<{ key: ApiKeyRow; tenantStatus: TenantStatus } | null> {
  const rows = await database
    .select({ key: apiKeys, tenantStatus: tenants.status })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return rows[0] ?? null;
}

/** Stores a key unless one with its id exists (the demo seed, which runs again and again). */
export async function insertKeyOnce(
  database: Db,
  row: Pick<ApiKeyRow, "id" | "tenantId" | "name" | "prefix" | "hash" | "scopes">,
) {
  await database.insert(apiKeys).values(row).onConflictDoNothing();
}
