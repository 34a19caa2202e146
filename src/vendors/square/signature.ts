// Square: `x-square-hmacsha256-signature` is base64 HMAC-SHA256, keyed with the subscription's
// signature key, over the notification URL followed by the raw body. The URL must be exactly the
// one configured in Square; pass it as `notificationUrl` when a proxy changes what we see.
// (The legacy `x-square-signature` HMAC-SHA1 header is not accepted.)
import { concatBytes, fromBase64, utf8 } from "../../lib/bytes";
import { OK, fail, hmacMatchesAny, usableSecrets } from "../../webhooks/signature-checks";
import type { SignatureResult, SignedRequest } from "../../webhooks/contract";

export interface SquareOptions {
  notificationUrl?: string;
}

export async function verifySquare(req: SignedRequest, secrets: string[], options: SquareOptions = {}): Promise<SignatureResult> {
  const header = req.headers.get("x-square-hmacsha256-signature");
  if (!header) return fail("missing x-square-hmacsha256-signature header");
  const given = fromBase64(header.trim(), "padding-optional");
  if (!given) return fail("malformed signature");
  const keys = usableSecrets(secrets).map(utf8);
  if (keys.length === 0) return fail("no secret configured");
  const signed = concatBytes(options.notificationUrl ?? req.url, req.rawBody);
  return (await hmacMatchesAny("SHA-256", keys, signed, [given])) ? OK : fail("signature mismatch");
}
