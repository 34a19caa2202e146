// Master key rotation: add a higher version to VAULT_MASTER_KEYS, deploy, then rewrap every tenant
// data key under it. Each row is rewrapped on its own and only ever holds a complete wrap under a
// version the keyring has, so every credential stays readable before, during and after.
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { countDataKeysNotUnder, dataKeysNotUnder, rewrapDataKey } from "../storage/data-keys";
import { unwrapDataKey, wrapDataKey } from "./data-keys";
import { keyring } from "./keyring";

export interface SkippedDataKey {
  tenantId: string;
  dataKeyVersion: number;
  masterVersion: number;
  reason: string;
}

export interface RotationReport {
  activeVersion: number;
  rewrapped: number;
  /** Rows still wrapped by any version other than the active one (including the skipped ones). */
  remainingOnOldVersions: number;
  /** Rows that could not be rewrapped (their master version is missing, or does not unwrap them). */
  skipped: SkippedDataKey[];
}

export interface RotationOptions {
  /** At most this many rows per call, so one request stays within the Workers subrequest budget. */
  limit?: number;
}

export async function rotateMasterKey(env: Bindings, opts: RotationOptions = {}): Promise<RotationReport> {
  const ring = await keyring(env);
  const active = ring.activeVersion;
  const database = db(env.DB);
  // One row per tenant: small enough to read whole, and skipped rows then never starve the others.
  const stale = await dataKeysNotUnder(database, active);

  let rewrapped = 0;
  const skipped: SkippedDataKey[] = [];
  for (const row of stale) {
    if (opts.limit !== undefined && rewrapped >= opts.limit) break;
    const where = { tenantId: row.tenantId, dataKeyVersion: row.version, masterVersion: row.masterVersion };
    if (!ring.key(row.masterVersion)) {
      skipped.push({ ...where, reason: `master key version ${row.masterVersion} is not in VAULT_MASTER_KEYS` });
      continue;
    }
    let raw: Uint8Array;
    try {
      raw = await unwrapDataKey(ring, row);
    } catch {
      skipped.push({ ...where, reason: `does not unwrap with master key version ${row.masterVersion}` });
      continue;
    }
    const wrappedKey = await wrapDataKey(ring, active, row.tenantId, row.version, raw);
    raw.fill(0);
    // Compare-and-set on the old wrap: a concurrent rotation's write is kept, not overwritten.
    if (await rewrapDataKey(database, row, wrappedKey, active)) rewrapped += 1;
  }

  return { activeVersion: active, rewrapped, remainingOnOldVersions: await countDataKeysNotUnder(database, active), skipped };
}
