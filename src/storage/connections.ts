// A tenant's connections to its vendors: one row per tenant and provider, credentials sealed by the
// vault. Every query names the tenant. `connectionFor` is the webhook hot path's lookup.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "./db";
import { integrationConnections } from "./schema";

export type ConnectionRow = typeof integrationConnections.$inferSelect;

export function listConnections(database: Db, tenantId: string): Promise<ConnectionRow[]> {
  return database
    .select()
    .from(integrationConnections)
    .where(eq(integrationConnections.tenantId, tenantId))
    .orderBy(asc(integrationConnections.provider));
}

export async function findConnection(database: Db, tenantId: string, id: string): Promise<ConnectionRow | null> {
  const rows = await database
    .select()
    .from(integrationConnections)
    .where(and(eq(integrationConnections.tenantId, tenantId), eq(integrationConnections.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

export async function findByProvider(database: Db, tenantId: string, provider: string): Promise<ConnectionRow | null> {
  const rows = await database
    .select()
    .from(integrationConnections)
    .where(and(eq(integrationConnections.tenantId, tenantId), eq(integrationConnections.provider, provider)))
    .limit(1);
  return rows[0] ?? null;
}

export async function setConnectionStatus(
  database: Db,
  row: Pick<ConnectionRow, "id" | "tenantId">,
  status: ConnectionRow["status"],
) {
  await database
    .update(integrationConnections)
    .set({ status, updatedAt: Date.now() })
    .where(and(eq(integrationConnections.tenantId, row.tenantId), eq(integrationConnections.id, row.id)));
}

/** Removes the row, ciphertext and all; the audit log keeps the history. */
export async function deleteConnection(database: Db, tenantId: string, id: string): Promise<ConnectionRow | null> {
  const rows = await database
    .delete(integrationConnections)
    .where(and(eq(integrationConnections.tenantId, tenantId), eq(integrationConnections.id, id)))
    .returning();
  return rows[0] ?? null;
}

/** What the vault sealed for a row: its ciphertext, the data key version, and the masks shown instead. */
export interface SealedCredentials {
  ciphertext: string;
  keyVersion: number;
  masked: Record<string, string>;
}

/**
 * Inserts the tenant's connection to a provider under `id`, or replaces the credentials and settings of
 * the one it has, only if that one has the same id. Null when a concurrent connect took the row under
 * another id (the caller seals again for that id).
 */
export async function upsertConnection(
  database: Db,
  row: { id: string; tenantId: string; provider: string; settings: Record<string, unknown>; status: ConnectionRow["status"] },
  sealed: SealedCredentials,
  nowMs = Date.now(),
): Promise<ConnectionRow | null> {
  const values = {
    credentialsCiphertext: sealed.ciphertext,
    keyVersion: sealed.keyVersion,
    masked: sealed.masked,
    settings: row.settings,
    status: row.status,
    updatedAt: nowMs,
  };
  const rows = await database
    .insert(integrationConnections)
    .values({ id: row.id, tenantId: row.tenantId, provider: row.provider, createdAt: nowMs, ...values })
    .onConflictDoUpdate({
      target: [integrationConnections.tenantId, integrationConnections.provider],
      set: values,
      setWhere: eq(integrationConnections.id, row.id),
    })
    .returning();
  return rows[0] ?? null;
}

/**
 * Replaces a row's sealed credentials; with `ifCiphertext`, only if the row still holds those. Null when it does not (or is
 * gone).
 */
export async function replaceCredentials(
  database: Db,
  row: Pick<ConnectionRow, "id" | "tenantId">,
  sealed: SealedCredentials,
  status: ConnectionRow["status"],
  ifCiphertext?: string,
): Promise<ConnectionRow | null> {
  const where = [eq(integrationConnections.tenantId, row.tenantId), eq(integrationConnections.id, row.id)];
  if (ifCiphertext !== undefined) where.push(eq(integrationConnections.credentialsCiphertext, ifCiphertext));
  const rows = await database
    .update(integrationConnections)
    .set({
      credentialsCiphertext: sealed.ciphertext,
      keyVersion: sealed.keyVersion,
      masked: sealed.masked,
      status,
      updatedAt: Date.now(),
    })
    .where(and(...where))
    .returning();
  return rows[0] ?? null;
}
