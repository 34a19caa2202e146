// SendGrid Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is a base64 DER
// ECDSA P-256/SHA-256 signature over the `X-Twilio-Email-Event-Webhook-Timestamp` value followed
// by the raw body. The "secret" is the verification key SendGrid shows: base64 DER SPKI (PEM
// armour tolerated). SendGrid documents no replay window; we apply the usual one (300 s).
import { concatBytes, fromBase64 } from "../../lib/bytes";
import { OK, fail } from "../../webhooks/signature-checks";
import { staleness } from "../../webhooks/freshness";
import type { SignatureResult, SignedRequest, TimestampOptions } from "../../webhooks/contract";

const P256_SCALAR_BYTES = 32;

/** One DER INTEGER as a fixed-width unsigned big-endian value; null if it does not fit. */
function readInteger(der: Uint8Array, at: number): { value: Uint8Array; next: number } | null {
  if (der[at] !== 0x02) return null;
  const len = der[at + 1];
  if (len === undefined || len === 0 || len > P256_SCALAR_BYTES + 1 || at + 2 + len > der.length) return null;
  let bytes = der.subarray(at + 2, at + 2 + len);
  // DER adds a 0x00 when the top bit is set, and drops leading zeros otherwise: undo both.
  while (bytes.length > 0 && bytes[0] === 0) bytes = bytes.subarray(1);
  if (bytes.length > P256_SCALAR_BYTES) return null;
  const value = new Uint8Array(P256_SCALAR_BYTES);
  value.set(bytes, P256_SCALAR_BYTES - bytes.length);
  return { value, next: at + 2 + len };
}

/** DER `SEQUENCE { r INTEGER, s INTEGER }` to the IEEE P1363 `r || s` that Web Crypto verifies. */
export function derToP1363(der: Uint8Array): Uint8Array | null {
  if (der[0] !== 0x30 || der.length < 8) return null;
  // A P-256 signature is at most 72 bytes, so the length fits in one byte (0x81 form allowed).
  let at = 2;
  let len = der[1]!;
  if (len === 0x81) {
    len = der[2] ?? 0;
    at = 3;
  } else if (len > 0x7f) return null;
  if (at + len !== der.length) return null;
  const r = readInteger(der, at);
  const s = r && readInteger(der, r.next);
  if (!r || !s || s.next !== der.length) return null;
  const out = new Uint8Array(2 * P256_SCALAR_BYTES);
  out.set(r.value, 0);
  out.set(s.value, P256_SCALAR_BYTES);
  return out;
}

async function importVerificationKey(key: string): Promise<CryptoKey | null> {
  const der = fromBase64(key.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, ""), "padding-optional");
  if (!der) return null;
  try {
    return await crypto.subtle.importKey("spki", der, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  } catch {
    return null; // not a P-256 SPKI key: it can verify nothing
  }
}

export async function verifySendGrid(
  req: SignedRequest,
  publicKeys: string[],
  options: TimestampOptions = {},
): Promise<SignatureResult> {
  const header = req.headers.get("x-twilio-email-event-webhook-signature");
  const timestamp = req.headers.get("x-twilio-email-event-webhook-timestamp");
  if (!header) return fail("missing x-twilio-email-event-webhook-signature header");
  if (!timestamp) return fail("missing x-twilio-email-event-webhook-timestamp header");
  const stale = staleness(timestamp, req.nowMs, options.toleranceSeconds);
  if (stale) return stale;
  const der = fromBase64(header.trim(), "padding-optional");
  const signature = der && derToP1363(der);
  if (!signature) return fail("malformed signature");
  const signed = concatBytes(timestamp, req.rawBody);
  let usable = 0;
  for (const key of publicKeys) {
    const cryptoKey = await importVerificationKey(key);
    if (!cryptoKey) continue;
    usable++;
    if (await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, cryptoKey, signature, signed)) return OK;
  }
  return usable === 0 ? fail("no verification key configured") : fail("signature mismatch");
}
