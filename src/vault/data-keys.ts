// One AES-256 data key per tenant, kept in tenant_data_keys wrapped (AES-256-GCM) by a master key.
// Credentials are encrypted with the data key, so rotating the master key rewraps one small row per
// tenant and never touches a connection's ciphertext.
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { type DataKeyRow, findDataKey, insertDataKeyOnce } from "../storage/data-keys";
import { concatBytes, fromBase64, toBase64 } from "../lib/bytes";
import { keyring, VaultError, type Keyring } from "./keyring";

const FIRST_VERSION = 1;
const IV_BYTES = 12;
const CACHE_TTL_MS = 5 * 60_000; // an unwrapped key lives in memory at most this long
const MAX_CACHED = 5_000;

// The wrap is bound to its tenant and version, so a wrapped key copied into another tenant's row is refused.
const wrapAad = (tenantId: string, version: number) => new TextEncoder().encode(`data-key:${tenantId}:${version}`);

/** base64(iv | ciphertext+tag) of `raw` under master key `masterVersion`. */
export async function wrapDataKey(
  ring: Keyring,
  masterVersion: number,
  tenantId: string,
  version: number,
  raw: Uint8Array,
): Promise<string> {
  const master = ring.key(masterVersion);
  if (!master) throw new VaultError(`Master key version ${masterVersion} is not in VAULT_MASTER_KEYS`);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: wrapAad(tenantId, version) }, master, raw);
  return toBase64(concatBytes(iv, new Uint8Array(sealed)));
}

/** The raw data key of a row, with the master key version the row names. */
export async function unwrapDataKey(
  ring: Keyring,
  row: Pick<DataKeyRow, "tenantId" | "version" | "wrappedKey" | "masterVersion">,
): Promise<Uint8Array> {
  const master = ring.key(row.masterVersion);
  if (!master)
    throw new VaultError(
      `The data key of tenant ${row.tenantId} is wrapped by master key version ${row.masterVersion}, which VAULT_MASTER_KEYS does not hold`,
    );
  const bytes = fromBase64(row.wrappedKey, "padded");
  try {
    if (!bytes || bytes.length <= IV_BYTES) throw new Error("malformed");
    const iv = bytes.subarray(0, IV_BYTES);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: wrapAad(row.tenantId, row.version) },
      master,
      bytes.subarray(IV_BYTES),
    );
    return new Uint8Array(plain);
  } catch {
    throw new VaultError(`The data key of tenant ${row.tenantId} does not unwrap with master key version ${row.masterVersion}`);
  }
}

const cache = new Map<string, { key: Promise<CryptoKey>; expiresAt: number }>();

/** Drops every unwrapped data key held by this isolate (tests use it to prove reads come from D1). */
export function forgetCachedDataKeys() {
  cache.clear();
}

async function importDataKey(raw: Uint8Array): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  } finally {
    raw.fill(0); // the non-extractable CryptoKey is the only copy we keep
  }
}

function cached(tenantId: string, version: number, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  const id = `${tenantId}:${version}`;
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && hit.expiresAt > now) return hit.key;
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  const key = load();
  cache.set(id, { key, expiresAt: now + CACHE_TTL_MS });
  key.catch(() => cache.get(id)?.key === key && cache.delete(id)); // never cache a failure
  return key;
}

const readRow = (env: Bindings, tenantId: string, version?: number) => findDataKey(db(env.DB), tenantId, version);

/** The data key that encrypted a row with `key_version = version`. */
export function dataKey(env: Bindings, tenantId: string, version: number): Promise<CryptoKey> {
  return cached(tenantId, version, async () => {
    const ring = await keyring(env);
    const row = await readRow(env, tenantId, version);
    if (!row) throw new VaultError(`Tenant ${tenantId} has no data key version ${version}`);
    return importDataKey(await unwrapDataKey(ring, row));
  });
}

/** The tenant's newest data key, created on first use. */
export async function activeDataKey(env: Bindings, tenantId: string): Promise<{ version: number; key: CryptoKey }> {
  const ring = await keyring(env); // fail with 503 before touching D1 when the vault is not configured
  let row = await readRow(env, tenantId);
  if (!row) {
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const wrappedKey = await wrapDataKey(ring, ring.activeVersion, tenantId, FIRST_VERSION, raw);
    raw.fill(0);
    // Two first uses may race: one insert wins, and both then read (and use) the winner's key.
    await insertDataKeyOnce(db(env.DB), { tenantId, version: FIRST_VERSION, wrappedKey, masterVersion: ring.activeVersion });
    row = await readRow(env, tenantId);
    if (!row) throw new VaultError(`Could not create a data key for tenant ${tenantId}`);
  }
  const found = row;
  const key = await cached(tenantId, found.version, async () => importDataKey(await unwrapDataKey(ring, found)));
  return { version: found.version, key };
}
