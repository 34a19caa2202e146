// IPS Group, Teller and Parkeon deliveries. The Stamford integration guide (docs/sources.md) says only
// `"signatureMethod": "HMAC-SHA256"`,
// so this is the format Curbgate documents and our provider simulator signs with:
//
//   X-<Vendor>-Timestamp: <unix seconds>
//   X-<Vendor>-Signature: sha256=<lowercase hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
//
// with <Vendor> = IPS | Teller | Parkeon (e.g. X-IPS-Signature, X-Teller-Timestamp), the webhook
// secret (IPS_WEBHOOK_SECRET, TELLER_WEBHOOK_SECRET, PARKEON_WEBHOOK_SECRET) used as UTF-8 bytes,
// and a 300 s tolerance in both directions (the guide: WEBHOOK_SIGNATURE_TOLERANCE=300). During a
// secret rotation the signature header may list several values: `sha256=<hex>, sha256=<hex>`.
import { concatBytes, fromHex, toHex, utf8 } from "../../lib/bytes";
import { OK, fail, hmacMatchesAny, usableSecrets } from "../../webhooks/signature-checks";
import { hmac } from "../../lib/crypto";
import { staleness } from "../../webhooks/freshness";
import type { SignatureResult, SignedRequest, TimestampOptions } from "../../webhooks/contract";

export type ParkingVendor = "IPS" | "Teller" | "Parkeon";

export const vendorHeaders = (vendor: ParkingVendor) => ({
  timestamp: `X-${vendor}-Timestamp`,
  signature: `X-${vendor}-Signature`,
});

export async function verifyVendorHmac(
  vendor: ParkingVendor,
  req: SignedRequest,
  secrets: string[],
  options: TimestampOptions = {},
): Promise<SignatureResult> {
  const names = vendorHeaders(vendor);
  const header = req.headers.get(names.signature);
  const timestamp = req.headers.get(names.timestamp);
  if (!header) return fail(`missing ${names.signature.toLowerCase()} header`);
  if (!timestamp) return fail(`missing ${names.timestamp.toLowerCase()} header`);
  const stale = staleness(timestamp, req.nowMs, options.toleranceSeconds);
  if (stale) return stale;
  const candidates: Uint8Array[] = [];
  for (const entry of header.split(",")) {
    const value = entry.trim();
    const bytes = value.startsWith("sha256=") ? fromHex(value.slice("sha256=".length)) : null;
    if (bytes) candidates.push(bytes);
  }
  if (candidates.length === 0) return fail("malformed signature");
  const keys = usableSecrets(secrets).map(utf8);
  if (keys.length === 0) return fail("no secret configured");
  const signed = concatBytes(`${timestamp}.`, req.rawBody);
  return (await hmacMatchesAny("SHA-256", keys, signed, candidates)) ? OK : fail("signature mismatch");
}

/** The two headers a vendor (or our simulator) sends with `rawBody`, signed with `secret`. */
export async function signVendorHmac(
  vendor: ParkingVendor,
  secret: string,
  timestampSeconds: number,
  rawBody: Uint8Array | string,
): Promise<Record<string, string>> {
  if (secret.length === 0) throw new Error("signing secret is empty");
  const timestamp = String(Math.floor(timestampSeconds));
  const mac = await hmac("SHA-256", utf8(secret), concatBytes(`${timestamp}.`, rawBody));
  const names = vendorHeaders(vendor);
  return { [names.timestamp]: timestamp, [names.signature]: `sha256=${toHex(mac)}` };
}
