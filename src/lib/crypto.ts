// Web Crypto digests and MACs over bytes, so a vendor's raw body is hashed exactly as it arrived.
import { toHex, utf8 } from "./bytes";

export type HmacHash = "SHA-1" | "SHA-256" | "SHA-512";

export async function hmac(hash: HmacHash, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data));
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

export const sha256Hex = async (text: string): Promise<string> => toHex(await sha256(utf8(text)));
