// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`, hex HMAC-SHA256 over
// `${t}.${raw body}` keyed with the whole `whsec_…` string (prefix included) as UTF-8.
// Stripe sends one v1 per active endpoint secret while a secret is being rolled, so any v1
// matching any configured secret passes; v0 (test-mode legacy scheme) is ignored.
import { concatBytes, fromHex, utf8 } from "../../lib/bytes";
import { OK, fail, hmacMatchesAny, usableSecrets } from "../../webhooks/signature-checks";
import { staleness } from "../../webhooks/freshness";
import type { SignatureResult, SignedRequest, TimestampOptions } from "../../webhooks/contract";

export async function verifyStripe(
  req: SignedRequest,
  secrets: string[],
  options: TimestampOptions = {},
): Promise<SignatureResult> {
  const header = req.headers.get("stripe-signature");
  if (!header) return fail("missing stripe-signature header");
  let timestamp: string | undefined;
  const v1: Uint8Array[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") timestamp = value;
    else if (key === "v1") {
      const bytes = fromHex(value);
      if (bytes) v1.push(bytes);
    }
  }
  if (timestamp === undefined) return fail("malformed stripe-signature header");
  if (v1.length === 0) return fail("no v1 signature");
  const stale = staleness(timestamp, req.nowMs, options.toleranceSeconds);
  if (stale) return stale;
  const keys = usableSecrets(secrets).map(utf8);
  if (keys.length === 0) return fail("no secret configured");
  const signed = concatBytes(`${timestamp}.`, req.rawBody);
  return (await hmacMatchesAny("SHA-256", keys, signed, v1)) ? OK : fail("signature mismatch");
}
