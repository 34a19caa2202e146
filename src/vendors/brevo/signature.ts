// Brevo signs nothing; a webhook is protected by what Brevo sends with it:
//  - `Authorization: Bearer <token>` (webhook created with auth type bearer),
//  - `Authorization: Basic <base64 user:pass>` (credentials in the webhook URL; our secret is "user:pass"),
//  - or a `?token=` query parameter we put in the webhook URL ourselves.
// Any presented credential matching any configured secret passes.
import { fromBase64 } from "../../lib/bytes";
import { OK, fail, tokenMatchesAny } from "../../webhooks/signature-checks";
import type { SignatureResult, SignedRequest } from "../../webhooks/contract";

function presentedCredentials(req: SignedRequest): string[] {
  const out: string[] = [];
  const auth = (req.headers.get("authorization") ?? "").trim();
  const space = auth.indexOf(" ");
  const scheme = auth.slice(0, space).toLowerCase();
  const value = auth.slice(space + 1).trim();
  if (space > 0 && scheme === "bearer" && value) out.push(value);
  if (space > 0 && scheme === "basic") {
    const decoded = fromBase64(value, "padding-optional");
    if (decoded) out.push(new TextDecoder().decode(decoded));
  }
  try {
    const token = new URL(req.url).searchParams.get("token");
    if (token) out.push(token);
  } catch {
    // an unparseable URL carries no token
  }
  return out;
}

export async function verifyBrevo(req: SignedRequest, secrets: string[]): Promise<SignatureResult> {
  const presented = presentedCredentials(req);
  if (presented.length === 0) return fail("missing credentials");
  for (const credential of presented) {
    if (await tokenMatchesAny(credential, secrets)) return OK;
  }
  return fail("credentials mismatch");
}
