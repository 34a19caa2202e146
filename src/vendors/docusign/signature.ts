// DocuSign Connect HMAC: one header per active Connect key, `X-DocuSign-Signature-1`, `-2`, …
// (DocuSign allows up to 100 keys), each the base64 HMAC-SHA256 of the raw body with that key.
// A delivery passes when any header matches any key we hold, so keys can be added and retired
// at DocuSign independently of the order we store them in.
import { fromBase64, utf8 } from "../../lib/bytes";
import { OK, fail, hmacMatchesAny, usableSecrets } from "../../webhooks/signature-checks";
import type { SignatureResult, SignedRequest } from "../../webhooks/contract";

const MAX_KEYS = 100;

export async function verifyDocuSign(req: SignedRequest, secrets: string[]): Promise<SignatureResult> {
  const candidates: Uint8Array[] = [];
  let present = 0;
  for (let i = 1; i <= MAX_KEYS; i++) {
    const header = req.headers.get(`x-docusign-signature-${i}`);
    if (!header) continue;
    present++;
    const bytes = fromBase64(header.trim(), "padding-optional");
    if (bytes) candidates.push(bytes);
  }
  if (present === 0) return fail("missing x-docusign-signature header");
  if (candidates.length === 0) return fail("malformed signature");
  const keys = usableSecrets(secrets).map(utf8);
  if (keys.length === 0) return fail("no secret configured");
  return (await hmacMatchesAny("SHA-256", keys, req.rawBody, candidates)) ? OK : fail("signature mismatch");
}
