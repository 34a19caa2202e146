// Zoom: `x-zm-signature: v0=<hex HMAC-SHA256(secret token, "v0:" + x-zm-request-timestamp + ":" + raw body)>`,
// timestamp in unix seconds. Zoom also re-validates the endpoint (on setup and every 72 h) with an
// `endpoint.url_validation` event whose plainToken we must answer with its HMAC.
import { concatBytes, fromHex, toHex, utf8 } from "../../lib/bytes";
import { OK, fail, hmacMatchesAny, usableSecrets } from "../../webhooks/signature-checks";
import { hmac } from "../../lib/crypto";
import { staleness } from "../../webhooks/freshness";
import type { SignatureResult, SignedRequest, TimestampOptions } from "../../webhooks/contract";

export async function verifyZoom(
  req: SignedRequest,
  secrets: string[],
  options: TimestampOptions = {},
): Promise<SignatureResult> {
  const header = req.headers.get("x-zm-signature");
  const timestamp = req.headers.get("x-zm-request-timestamp");
  if (!header) return fail("missing x-zm-signature header");
  if (!timestamp) return fail("missing x-zm-request-timestamp header");
  const stale = staleness(timestamp, req.nowMs, options.toleranceSeconds);
  if (stale) return stale;
  const trimmed = header.trim();
  const given = trimmed.startsWith("v0=") ? fromHex(trimmed.slice(3)) : null;
  if (!given) return fail("malformed signature");
  const keys = usableSecrets(secrets).map(utf8);
  if (keys.length === 0) return fail("no secret configured");
  const signed = concatBytes(`v0:${timestamp}:`, req.rawBody);
  return (await hmacMatchesAny("SHA-256", keys, signed, [given])) ? OK : fail("signature mismatch");
}

/** The body Zoom expects back for `endpoint.url_validation`: the token and its hex HMAC-SHA256. */
export async function zoomUrlValidationResponse(
  plainToken: string,
  secretToken: string,
): Promise<{ plainToken: string; encryptedToken: string }> {
  return { plainToken, encryptedToken: toHex(await hmac("SHA-256", utf8(secretToken), utf8(plainToken))) };
}
