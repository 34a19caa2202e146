// Byte-level building blocks shared by the recipes: encodings, HMAC, constant-time matching.
// Everything works on bytes so the raw body is signed exactly as it arrived, never re-encoded.
import { timingSafeEqual, toHex } from "./ids";
import type { SignatureResult } from "../webhooks/contract";

export { timingSafeEqual, toHex };

export const OK: SignatureResult = { ok: true };
export const fail = (reason: string): SignatureResult => ({ ok: false, reason });

const encoder = new TextEncoder();
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

export function concatBytes(...parts: (string | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? utf8(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Strict hex decoding; null (not an exception) for anything a vendor would never send. */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Standard (padded or unpadded) base64; null when malformed. */
export function fromBase64(b64: string): Uint8Array | null {
  if (b64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 === 1) return null;
  try {
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export type HmacHash = "SHA-1" | "SHA-256" | "SHA-512";

export async function hmac(hash: HmacHash, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data));
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

/** Empty secrets are dropped: an empty HMAC key must never make a forged delivery pass. */
export const usableSecrets = (secrets: string[]): string[] => secrets.filter((s) => s.length > 0);

/**
 * True when HMAC(key, data) equals any candidate, for any key. Each comparison is constant-time;
 * stopping at the first match only reveals that the delivery is genuine, which the caller says anyway.
 */
export async function hmacMatchesAny(hash: HmacHash, keys: Uint8Array[], data: Uint8Array, candidates: Uint8Array[]): Promise<boolean> {
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
