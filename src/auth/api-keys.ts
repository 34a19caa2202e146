// API keys are random, shown once, stored only as a SHA-256 hash with a short display prefix.
// Lookups are cached in the isolate so the plate check does not wait on D1 for every request.
import { findUnrevokedKey } from "../storage/api-keys";
import type { Db } from "../storage/db";
import { randomToken } from "../lib/ids";
import { sha256Hex } from "../lib/crypto";
import type { Principal, Scope } from "./principal";

const DISPLAY_PREFIX_LENGTH = 12;
const HIT_TTL_MS = 30_000; // a revoked key stops working within this long everywhere
const MISS_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

export function generateApiKey(environment: "live" | "test" = "live") {
  const key = `cg_${environment}_${randomToken(32)}`;
  return { key, prefix: displayPrefix(key) };
}

export const displayPrefix = (key: string) => key.slice(0, DISPLAY_PREFIX_LENGTH);
export const looksLikeApiKey = (token: string) => token.startsWith("cg_");

interface CacheEntry {
  principal: Principal | null;
  expiresAt: number; // key expiry or cache expiry, whichever first
}
const cache = new Map<string, CacheEntry>();

export function forgetCachedKeys() {
  cache.clear();
}

export async function principalForApiKey(database: Db, key: string, now = Date.now()): Promise<Principal | null> {
  const hash = await sha256Hex(key);
  const hit = cache.get(hash);
  if (hit && hit.expiresAt > now) return hit.principal;

  const row = await findUnrevokedKey(database, hash);
  const usable = row && row.tenantStatus === "active" && (row.key.expiresAt === null || row.key.expiresAt > now);
  const principal: Principal | null = usable
    ? {
        kind: "api_key",
        id: row.key.id,
        tenantId: row.key.tenantId,
        scopes: new Set(row.key.scopes as Scope[]),
        rateLimitPerMinute: row.key.rateLimitPerMinute,
      }
    : null;
  const ttl = principal ? HIT_TTL_MS : MISS_TTL_MS;
  const expiresAt = Math.min(now + ttl, row?.key.expiresAt ?? Infinity);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(hash, { principal, expiresAt });
  return principal;
}
