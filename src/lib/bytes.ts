// Bytes and their text forms, written once: UTF-8, hex, base64 and base64url, concatenation and a
// constant-time comparison. Decoders return null (never throw) for text that is not what it claims.
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

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(buf: ArrayBuffer | Uint8Array): string {
  const bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let out = "";
  for (const b of bytes) out += HEX[b];
  return out;
}

/** Strict hex decoding; null for anything a vendor would never send (empty, odd length, other characters). */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * An HTTP Basic credential (RFC 7617): "Basic " and base64 of `user:password`. Each character is one
 * byte, as btoa has always encoded it here; a character past U+00FF throws, as btoa does. (RFC 7617
 * lets a server ask for UTF-8; no vendor Curbgate calls does, and their credentials are ASCII.)
 */
export const basicAuth = (user: string, password: string): string => `Basic ${btoa(`${user}:${password}`)}`;

/** base64url without padding (RFC 4648 section 5), for values that travel in URLs. */
export const toBase64Url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * Standard base64 to bytes, or null when malformed. Two strictnesses, chosen by the caller:
 * - `"padded"`: canonical, length a multiple of 4 (empty allowed): what Curbgate itself stores (the vault);
 * - `"padding-optional"`: never empty, padding may be left off: what vendors send in headers and keys.
 */
export function fromBase64(text: string, strictness: "padded" | "padding-optional"): Uint8Array | null {
  const wellFormed =
    strictness === "padded"
      ? text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text)
      : text.length > 0 && text.length % 4 !== 1 && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
  if (!wellFormed) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  // A plain loop: Uint8Array.from(string, mapper) walks the string's iterator and calls the mapper once
  // per byte, about 20 times slower; a 1 MiB evidence photo took ~270 ms to decode that way.
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Constant-time comparison for equal-length secrets. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
