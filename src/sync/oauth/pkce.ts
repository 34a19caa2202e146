// Random values for the authorisation flow and the PKCE S256 challenge (RFC 7636 section 4.2).
import { toBase64Url, utf8 } from "../../lib/bytes";
import { sha256 } from "../../lib/crypto";

/** `bytes` random bytes as base64url: 32 bytes give a 43-character state or code verifier. */
export const randomUrlToken = (bytes = 32) => toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));

/** BASE64URL(SHA-256(ASCII(code_verifier))) */
export async function s256Challenge(verifier: string): Promise<string> {
  return toBase64Url(await sha256(utf8(verifier)));
}
