// Twilio: `X-Twilio-Signature` is base64 HMAC-SHA1, keyed with the account auth token, over
//  - form bodies: the full URL, then every POST parameter as name+value, sorted by name
//    (a repeated name contributes each of its values, sorted);
//  - JSON bodies: the URL alone; the URL carries `bodySHA256=<hex SHA-256 of the raw body>`,
//    which must match the body.
// Twilio has signed the URL both with and without the port (docs: HTTPS drops it; callbacks on
// other ports keep it) and its own SDKs therefore accept either, plus the WHATWG-normalised URL.
// We accept the same set; credentials in the URL (user:pass@) are dropped as Twilio does.
import { concatBytes, fromBase64, fromHex, timingSafeEqual, utf8 } from "../../lib/bytes";
import { OK, fail, hmacMatchesAny, usableSecrets } from "../../webhooks/signature-checks";
import { sha256 } from "../../lib/crypto";
import type { SignatureResult, SignedRequest } from "../../webhooks/contract";

export interface TwilioOptions {
  /** The webhook URL exactly as configured at Twilio, when a proxy rewrote what we see. */
  url?: string;
}

const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([\s\S]*)$/i;

/** The URL with and without its port (adding the scheme's default port), credentials dropped. */
function portVariants(url: string): string[] {
  const m = AUTHORITY.exec(url);
  if (!m) return [url];
  const [, scheme = "", authority = "", rest = ""] = m;
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  const colon = hostPort.indexOf(":", hostPort.lastIndexOf("]") + 1);
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  const port = colon < 0 ? (scheme.toLowerCase() === "https://" ? ":443" : ":80") : hostPort.slice(colon);
  return [scheme + host + rest, scheme + host + port + rest];
}

function urlVariants(url: string): string[] {
  let normalised = url;
  try {
    normalised = new URL(url).toString();
  } catch {
    // not parseable: only the URL as given can match
  }
  return [...new Set([...portVariants(url), ...portVariants(normalised)])];
}

/** name+value pairs sorted by name (UTF-16 order, as Twilio's SDKs sort), values sorted within a name. */
function formSuffix(body: Uint8Array): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(new TextDecoder().decode(body))) {
    byName.set(name, [...(byName.get(name) ?? []), value]);
  }
  let out = "";
  for (const name of [...byName.keys()].sort()) {
    for (const value of byName.get(name)!.sort()) out += name + value;
  }
  return out;
}

export async function verifyTwilio(req: SignedRequest, secrets: string[], options: TwilioOptions = {}): Promise<SignatureResult> {
  const header = req.headers.get("x-twilio-signature");
  if (!header) return fail("missing x-twilio-signature header");
  const given = fromBase64(header.trim(), "padding-optional");
  if (!given) return fail("malformed signature");
  const url = options.url ?? req.url;
  let bodyHash: string | null = null;
  try {
    bodyHash = new URL(url).searchParams.get("bodySHA256");
  } catch {
    return fail("malformed url");
  }
  const isForm = (req.headers.get("content-type") ?? "").toLowerCase().includes("application/x-www-form-urlencoded");
  let suffix = "";
  if (bodyHash !== null) {
    const expected = fromHex(bodyHash);
    if (!expected || !timingSafeEqual(expected, await sha256(req.rawBody))) return fail("body hash mismatch");
  } else if (isForm) {
    suffix = formSuffix(req.rawBody);
  } else if (req.rawBody.length > 0) {
    // Only form parameters or a bodySHA256 put a body under the signature.
    return fail("unsigned body");
  }
  const keys = usableSecrets(secrets).map(utf8);
  if (keys.length === 0) return fail("no secret configured");
  for (const candidateUrl of urlVariants(url)) {
    if (await hmacMatchesAny("SHA-1", keys, concatBytes(candidateUrl, suffix), [given])) return OK;
  }
  return fail("signature mismatch");
}
