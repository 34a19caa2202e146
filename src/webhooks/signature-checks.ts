// What every vendor's signature recipe is built from: the verdicts, the rule that empty secrets never
// count, and matching a MAC or a token against several secrets (current and previous, during rotation)
// without leaking through timing.
import { timingSafeEqual, utf8 } from "../lib/bytes";
import { hmac, sha256, type HmacHash } from "../lib/crypto";
import type { SignatureResult } from "./contract";

export const OK: SignatureResult = { ok: true };
export const fail = (reason: string): SignatureResult => ({ ok: false, reason });

/** Empty secrets are dropped: an empty HMAC key must never make a forged delivery pass. */
export const usableSecrets = (secrets: string[]): string[] => secrets.filter((s) => s.length > 0);

/**
 * True when HMAC(key, data) equals any candidate, for any key. Each comparison is constant-time;
 * stopping at the first match only reveals that the delivery is genuine, which the caller says anyway.
 */
export async function hmacMatchesAny(
  hash: HmacHash,
  keys: Uint8Array[],
  data: Uint8Array,
  candidates: Uint8Array[],
): Promise<boolean> {
  for (const key of keys) {
    const expected = await hmac(hash, key, data);
    if (candidates.some((c) => timingSafeEqual(expected, c))) return true;
  }
  return false;
}

/**
 * Compares a presented token with configured secrets through their SHA-256 digests, so neither
 * the content nor the length of a secret leaks through timing.
 */
export async function tokenMatchesAny(presented: string, secrets: string[]): Promise<boolean> {
  const given = await sha256(utf8(presented));
  let matched = false;
  for (const secret of usableSecrets(secrets)) {
    if (timingSafeEqual(given, await sha256(utf8(secret)))) matched = true;
  }
  return matched;
}
