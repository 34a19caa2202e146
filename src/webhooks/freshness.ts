// Replay protection for every recipe whose vendor signs a timestamp.
import { fail } from "./signature-checks";
import type { SignatureResult } from "./contract";

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * A failure when `timestamp` (unix seconds, digits only) is malformed or further than the tolerance
 * from now in either direction; null when fresh. Future stamps are refused too, so a leaked
 * pre-signed delivery cannot be held back and replayed later.
 */
export function staleness(
  timestamp: string,
  nowMs: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureResult | null {
  if (!/^\d{1,15}$/.test(timestamp)) return fail("malformed timestamp");
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp));
  return skew > toleranceSeconds ? fail("stale timestamp") : null;
}
