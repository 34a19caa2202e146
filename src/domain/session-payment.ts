// What a driver still owes for a session, and the keys a payment Curbgate starts for it carries. Pure.
//
// What is owed: the price (`amountCents`, minor units) less the pro-rated refund of a session ended early
// (`refundCents`: time the driver did not use is not charged) less what providers have confirmed
// (`paidCents`). A session some provider has paid that owes nothing more is "paid"; one that never cost
// anything (a free zone, a session ended before it started) is "free" and needs no provider at all.
import type { StoredSession } from "./sessions";
import { sha256Hex } from "../lib/crypto";

export type Owed =
  | { kind: "owes"; amountMinor: number }
  | { kind: "free"; amountMinor: 0 }
  | { kind: "paid"; amountMinor: 0; paidMinor: number };

export function amountOwed(s: Pick<StoredSession, "amountCents" | "refundCents" | "paidCents">): Owed {
  const paid = s.paidCents ?? 0;
  const due = s.amountCents - s.refundCents - paid;
  if (due > 0) return { kind: "owes", amountMinor: due };
  return paid > 0 ? { kind: "paid", amountMinor: 0, paidMinor: paid } : { kind: "free", amountMinor: 0 };
}

/**
 * The key the provider dedupes one initiation by, from the tenant, the session and the caller's
 * Idempotency-Key: the same three always give the same key, so a retry reaches the payment the first try
 * made. "cg-" and 40 hex digits, which fits both Stripe's Idempotency-Key and Paystack's references
 * (letters, digits, "-", ".", "=").
 */
export async function providerKeyOf(tenantId: string, sessionId: string, idempotencyKey: string): Promise<string> {
  const digest = await sha256Hex(`${tenantId}\u0000${sessionId}\u0000${idempotencyKey}`);
  return `cg-${digest.slice(0, 40)}`;
}

/** Paystack's `channel` (and the like) in the ledger's words (payments.method). */
export function paymentMethodOf(channel: string | null | undefined): string | null {
  if (!channel) return null;
  const c = channel.toLowerCase();
  if (c === "card") return "card";
  if (c === "bank" || c === "bank_transfer" || c === "dedicated_nuban") return "bank_transfer";
  if (c === "mobile_money") return "mobile_money";
  if (c === "apple_pay" || c === "google_pay") return "wallet";
  return "other";
}
