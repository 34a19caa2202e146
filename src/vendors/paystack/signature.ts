// Paystack: `x-paystack-signature` is the hex HMAC-SHA512 of the raw body, keyed with the
// account's secret key (sk_live_… / sk_test_…). Paystack signs no timestamp, so there is no
// replay window to enforce here; duplicate deliveries are caught by event-id dedupe.
import { fromHex, utf8 } from "../../lib/bytes";
import { OK, fail, hmacMatchesAny, usableSecrets } from "../../webhooks/signature-checks";
import type { SignatureResult, SignedRequest } from "../../webhooks/contract";

export async function verifyPaystack(req: SignedRequest, secrets: string[]): Promise<SignatureResult> {
  const header = req.headers.get("x-paystack-signature");
  if (!header) return fail("missing x-paystack-signature header");
  const given = fromHex(header.trim());
  if (!given) return fail("malformed signature");
  const keys = usableSecrets(secrets).map(utf8);
  if (keys.length === 0) return fail("no secret configured");
  return (await hmacMatchesAny("SHA-512", keys, req.rawBody, [given])) ? OK : fail("signature mismatch");
}
