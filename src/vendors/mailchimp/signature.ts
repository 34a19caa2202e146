// Mailchimp signs nothing: its docs suggest putting a secret in the webhook URL's query
// (`https://…/mailchimp?secret=…`) and checking it on arrival. The body is form-encoded
// (`type=subscribe&data[email]=…`) and carries no signature of its own.
import { OK, fail, tokenMatchesAny } from "../../webhooks/signature-checks";
import type { SignatureResult, SignedRequest } from "../../webhooks/contract";

export interface MailchimpOptions {
  /** Query parameter that carries the secret (default "secret"). */
  param?: string;
}

export async function verifyMailchimp(
  req: SignedRequest,
  secrets: string[],
  options: MailchimpOptions = {},
): Promise<SignatureResult> {
  let presented: string | null = null;
  try {
    presented = new URL(req.url).searchParams.get(options.param ?? "secret");
  } catch {
    return fail("malformed url");
  }
  if (!presented) return fail("missing secret in url");
  return (await tokenMatchesAny(presented, secrets)) ? OK : fail("secret mismatch");
}
