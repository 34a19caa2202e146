// Short-lived links to one evidence file, for a browser or a hearing system that holds no credential:
// HMAC-SHA256 over the tenant, the evidence id and the expiry. The key is derived from JWT_SECRET with
// its own label, so a link signature and a staff token never share a key, and the secret itself never
// signs anything but tokens.
import { timingSafeEqual, toBase64Url, utf8 } from "../lib/bytes";
import { hmac } from "../lib/crypto";

/** How long a link works: long enough to open it, short enough that a forwarded link soon dies. */
export const EVIDENCE_URL_TTL_SECONDS = 5 * 60;
const LABEL = "curbgate evidence-url v1";

export interface EvidenceLink {
  tenantId: string;
  evidenceId: string;
  /** Unix seconds. */
  expires: number;
}

const keys = new Map<string, Promise<Uint8Array>>();
/** HMAC(secret, label): a key for links only (cached per secret; the isolate never sees many). */
const linkKey = (secret: string) => {
  let key = keys.get(secret);
  if (!key) {
    key = hmac("SHA-256", utf8(secret), utf8(LABEL));
    keys.set(secret, key);
  }
  return key;
};

export async function evidenceSignature(secret: string, link: EvidenceLink): Promise<string> {
  const message = utf8(`${link.tenantId}\n${link.evidenceId}\n${link.expires}`);
  return toBase64Url(await hmac("SHA-256", await linkKey(secret), message));
}

/** `ok`, `expired`, or `invalid` (a signature that is not ours for exactly this tenant, file and expiry). */
export async function checkEvidenceSignature(
  secret: string,
  link: EvidenceLink,
  signature: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<"ok" | "expired" | "invalid"> {
  const expected = await evidenceSignature(secret, link);
  if (!timingSafeEqual(utf8(expected), utf8(signature))) return "invalid";
  return nowSeconds < link.expires ? "ok" : "expired";
}
