// Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` (unix seconds) and
// `webhook-signature` (space-separated `v1,<base64>` entries, one per active secret), HMAC-SHA256
// over `${id}.${timestamp}.${raw body}`. Secrets are `whsec_<base64>`; the key is the decoded bytes.
// Other versions (e.g. `v1a` asymmetric) are skipped, as the spec asks of receivers that lack them.
import { concatBytes, fromBase64, toBase64 } from "../lib/bytes";
import { OK, fail, hmacMatchesAny } from "./signature-checks";
import { hmac } from "../lib/crypto";
import { staleness } from "./freshness";
import type { SignatureResult, SignedRequest, TimestampOptions } from "./contract";

const PREFIX = "whsec_";

/** The HMAC key behind a `whsec_…` secret, or null when it is not valid base64. */
function secretKey(secret: string): Uint8Array | null {
  return fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "padding-optional");
}

export async function verifyStandardWebhook(
  req: SignedRequest,
  secrets: string[],
  options: TimestampOptions = {},
): Promise<SignatureResult> {
  const id = req.headers.get("webhook-id");
  const timestamp = req.headers.get("webhook-timestamp");
  const header = req.headers.get("webhook-signature");
  if (!id) return fail("missing webhook-id header");
  if (!timestamp) return fail("missing webhook-timestamp header");
  if (!header) return fail("missing webhook-signature header");
  const stale = staleness(timestamp, req.nowMs, options.toleranceSeconds);
  if (stale) return stale;
  const candidates: Uint8Array[] = [];
  for (const entry of header.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const bytes = fromBase64(entry.slice(comma + 1), "padding-optional");
    if (bytes) candidates.push(bytes);
  }
  if (candidates.length === 0) return fail("no v1 signature");
  const keys = secrets.map(secretKey).filter((k): k is Uint8Array => k !== null && k.length > 0);
  if (keys.length === 0) return fail("no secret configured");
  const signed = concatBytes(`${id}.${timestamp}.`, req.rawBody);
  return (await hmacMatchesAny("SHA-256", keys, signed, candidates)) ? OK : fail("signature mismatch");
}

/**
 * The `webhook-signature` value (`v1,<base64>`) for our own outbound deliveries. During rotation,
 * sign with each secret and join the values with a space.
 */
export async function signStandardWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: Uint8Array | string,
): Promise<string> {
  const key = secretKey(secret);
  if (!key || key.length === 0) throw new Error("signing secret is not a valid whsec_ secret");
  const signed = concatBytes(`${id}.${Math.floor(timestampSeconds)}.`, body);
  return `v1,${toBase64(await hmac("SHA-256", key, signed))}`;
}
