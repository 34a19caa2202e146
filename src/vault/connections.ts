// A tenant's connections with their credentials open: connecting (sealing the credentials for the row
// they end up on), replacing them, and reading them on the hot path (webhook ingestion, sync calls)
// from a cache in the isolate. The rows themselves are storage's (src/storage/connections.ts).
import type { Bindings } from "../env";
import { newId } from "../lib/ids";
import { type ConnectionRow, findByProvider, replaceCredentials, upsertConnection } from "../storage/connections";
import { db } from "../storage/db";
import { openCredentials, sealCredentials } from "./credentials";

export interface ConnectInput {
  tenantId: string;
  provider: string;
  credentials: Record<string, string>;
  masked: Record<string, string>;
  settings: Record<string, unknown>;
  /** Default "connected"; an OAuth provider not yet approved is "authorization_required". */
  status?: ConnectionRow["status"];
}

const MAX_CONNECT_TRIES = 3;

/**
 * Creates the tenant's connection to a provider, or replaces the credentials and settings of the one
 * it has (same id). The ciphertext is sealed for the id the row ends up with: if a concurrent connect
 * created the row under another id first, this seals again for that id rather than store a row that
 * would not decrypt.
 */
export async function connect(env: Bindings, input: ConnectInput): Promise<{ row: ConnectionRow; replaced: boolean }> {
  const database = db(env.DB);
  for (let attempt = 0; attempt < MAX_CONNECT_TRIES; attempt++) {
    const existing = await findByProvider(database, input.tenantId, input.provider);
    const id = existing?.id ?? newId("con");
    const { ciphertext, keyVersion } = await sealCredentials(env, input.tenantId, id, input.credentials);
    const row = await upsertConnection(
      database,
      { id, tenantId: input.tenantId, provider: input.provider, settings: input.settings, status: input.status ?? "connected" },
      { ciphertext, keyVersion, masked: input.masked },
    );
    if (row) return { row, replaced: existing !== null };
  }
  throw new Error(`connect ${input.tenantId}/${input.provider}: the row kept changing under us`);
}

/**
 * Seals new credentials onto an existing row (OAuth tokens obtained or renewed). With `ifCiphertext`,
 * only if the row still holds the credentials they were derived from; null when it does not (or is gone).
 */
export async function updateCredentials(
  env: Bindings,
  row: Pick<ConnectionRow, "id" | "tenantId">,
  credentials: Record<string, string>,
  patch: { masked: Record<string, string>; status: ConnectionRow["status"] },
  ifCiphertext?: string,
): Promise<ConnectionRow | null> {
  const { ciphertext, keyVersion } = await sealCredentials(env, row.tenantId, row.id, credentials);
  return replaceCredentials(db(env.DB), row, { ciphertext, keyVersion, masked: patch.masked }, patch.status, ifCiphertext);
}

// ---- The hot path: decrypted connections cached in the isolate ----

export interface ActiveConnection {
  id: string;
  provider: string;
  status: ConnectionRow["status"];
  credentials: Readonly<Record<string, string>>;
  settings: Readonly<Record<string, unknown>>;
}

const HIT_TTL_MS = 60_000; // a changed or removed connection is seen by every isolate within this long
const MISS_TTL_MS = 10_000; // floods for unconnected tenants do not reach D1 on every delivery
const MAX_ENTRIES = 10_000;
const cache = new Map<string, { value: Promise<ActiveConnection | null>; expiresAt: number }>();
const cacheKey = (tenantId: string, provider: string) => `${tenantId}\u0000${provider}`;

/** Drops this isolate's cached entry; call after a connection is created, replaced or removed. */
export function forgetConnection(tenantId: string, provider: string) {
  cache.delete(cacheKey(tenantId, provider));
}

async function load(env: Bindings, tenantId: string, provider: string): Promise<ActiveConnection | null> {
  const row = await findByProvider(db(env.DB), tenantId, provider);
  if (!row) return null;
  const credentials = await openCredentials(env, row);
  return Object.freeze({
    id: row.id,
    provider: row.provider,
    status: row.status,
    credentials: Object.freeze(credentials),
    settings: Object.freeze(row.settings),
  });
}

/** The tenant's connection to `provider` with decrypted credentials, or null; at most 60 s stale. */
export function connectionFor(env: Bindings, tenantId: string, provider: string): Promise<ActiveConnection | null> {
  const key = cacheKey(tenantId, provider);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now) return hit.value;
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  // Concurrent deliveries share one lookup; a failure (D1 down, vault error) is not cached.
  const value = load(env, tenantId, provider);
  const entry = { value, expiresAt: now + HIT_TTL_MS };
  cache.set(key, entry);
  value.then(
    (found) => {
      if (!found) entry.expiresAt = Math.min(entry.expiresAt, now + MISS_TTL_MS);
    },
    () => {
      if (cache.get(key) === entry) cache.delete(key);
    },
  );
  return value;
}
