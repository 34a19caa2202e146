// QuickBooks Online (Intuit): `intuit-signature` is the base64 HMAC-SHA256 of the raw body,
// keyed with the app's webhook verifier token. No timestamp is signed.
import { fromBase64, utf8 } from "../../lib/bytes";
import { OK, fail, hmacMatchesAny, usableSecrets } from "../../webhooks/signature-checks";
import type { SignatureResult, SignedRequest } from "../../webhooks/contract";

export async function verifyQuickBooks(req: SignedRequest, secrets: string[]): Promise<SignatureResult> {
  const header = req.headers.get("intuit-signature");
  if (!header) return fail("missing intuit-signature header");
  const given = fromBase64(header.trim(), "padding-optional");
  if (!given) return fail("malformed signature");
  const keys = usableSecrets(secrets).map(utf8);
  if (keys.length === 0) return fail("no secret configured");
  return (await hmacMatchesAny("SHA-256", keys, req.rawBody, [given])) ? OK : fail("signature mismatch");
}
