// Payment effects shared by every payment provider (Stripe, Square, Paystack, Teller): a payment
// record keyed by the provider's transaction id, and the linked parking session confirmed (and
// extended, when the payment bought more time). Every step is idempotent, so replays are harmless.
import { and, eq, sql } from "drizzle-orm";
import { newId } from "../lib/ids";
import { isFailure } from "../lib/failure";
import { isSessionId, zoneOfSessionId } from "../domain/session-id";
import type { EffectContext, EffectResult } from "../webhooks/contract";
import { db } from "../storage/db";
import { paymentRefunds, payments } from "../storage/schema";
import { callZone } from "../storage/zone-state";

export interface PaymentFacts {
  providerTransactionId: string;
  amountCents: number;
  feeCents?: number;
  currency: string;
  status: "pending" | "succeeded" | "failed";
  sessionId?: string | null;
  extendMinutes?: number;
  revenueAccount?: string | null;
  feeAccount?: string | null;
}

export async function recordPayment(ctx: EffectContext, p: PaymentFacts): Promise<EffectResult> {
  const fee = p.feeCents ?? 0;
  const sessionId = p.sessionId && isSessionId(p.sessionId) ? p.sessionId : null;
  const [row] = await db(ctx.env.DB)
    .insert(payments)
    .values({
      id: newId("pay"), tenantId: ctx.tenantId, provider: ctx.provider, providerTransactionId: p.providerTransactionId, sessionId,
      amountCents: p.amountCents, feeCents: fee, netCents: p.amountCents - fee, currency: p.currency.toUpperCase(), status: p.status,
      revenueAccount: p.revenueAccount ?? null, feeAccount: p.feeAccount ?? null, createdAt: ctx.nowMs, updatedAt: ctx.nowMs,
    })
    .onConflictDoUpdate({
      target: [payments.tenantId, payments.provider, payments.providerTransactionId],
      // Queues do not keep order: a late "pending" never overwrites a settled state, and a late
      // "failed" (an earlier attempt on the same intent) never overwrites "succeeded".
      set: {
        status: sql`CASE WHEN ${payments.status} IN ('refunded', 'partially_refunded') THEN ${payments.status} WHEN ${payments.status} = 'succeeded' AND excluded.status != 'succeeded' THEN ${payments.status} WHEN excluded.status = 'pending' AND ${payments.status} != 'pending' THEN ${payments.status} ELSE excluded.status END`,
        amountCents: p.amountCents, feeCents: fee, netCents: p.amountCents - fee, updatedAt: ctx.nowMs,
        sessionId: sql`COALESCE(${payments.sessionId}, excluded.session_id)`,
      },
    })
    .returning();
  const effect: Record<string, unknown> = { payment: row!.id, status: row!.status, amountCents: p.amountCents, feeCents: fee, netCents: p.amountCents - fee };
  if (p.status === "succeeded" && sessionId) effect.session = await confirmSession(ctx, sessionId, p);
  return { status: "processed", effect };
}

async function confirmSession(ctx: EffectContext, sessionId: string, p: PaymentFacts) {
  const zone = zoneOfSessionId(sessionId);
  try {
    const r = await callZone(ctx.env, ctx.tenantId, zone, (s) =>
      s.applyPayment(sessionId, { key: `${ctx.provider}:${p.providerTransactionId}`, amountCents: p.amountCents, extendMinutes: p.extendMinutes }, ctx.nowMs),
    );
    return { id: sessionId, paidCents: r.session.paidCents, extendedMinutes: r.extendedMinutes, endTime: new Date(r.session.endMs).toISOString(), ...(r.note ? { note: r.note } : {}) };
  } catch (err) {
    // A payment for a session we do not know is recorded, not retried forever.
    if (isFailure(err, "not_found")) return { id: sessionId, note: "session not found" };
    throw err;
  }
}

/**
 * A refund, by the provider's refund id; the payment's status follows the total refunded. With
 * `cumulative`, `amountCents` is the vendor's running total for that id (Stripe's amount_refunded):
 * the stored amount only ever grows to it, whatever order the deliveries arrive in.
 */
const CUMULATIVE = "#total";

export async function recordRefund(ctx: EffectContext, r: { providerTransactionId: string; refundId: string; amountCents: number; cumulative?: boolean }): Promise<EffectResult> {
  const database = db(ctx.env.DB);
  const [payment] = await database
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.provider, ctx.provider), eq(payments.providerTransactionId, r.providerTransactionId)))
    .limit(1);
  // The payment event may still be on its way (queues do not promise order): retry later.
  if (!payment) throw new Error(`refund for unknown payment ${r.providerTransactionId}`);
  // The id names the tenant: refund ids of vendors whose ids the merchant picks (Teller) can repeat across cities.
  // A running total (Stripe's amount_refunded) is kept under its own marked id: it already includes
  // every refund also recorded one by one (a refund Curbgate made itself, an older event's list).
  const id = `${ctx.tenantId}:${ctx.provider}:${r.refundId}${r.cumulative ? CUMULATIVE : ""}`;
  const insert = database.insert(paymentRefunds).values({ id, tenantId: ctx.tenantId, paymentId: payment.id, amountCents: r.amountCents, createdAt: ctx.nowMs });
  await (r.cumulative
    ? insert.onConflictDoUpdate({ target: paymentRefunds.id, set: { amountCents: sql`MAX(${paymentRefunds.amountCents}, excluded.amount_cents)` } })
    : insert.onConflictDoNothing());
  // Refunded = the larger of the itemised sum and the largest running total, never their sum.
  const cumulativeRow = sql`${paymentRefunds.id} LIKE ${"%" + CUMULATIVE}`;
  const [{ total }] = (await database
    .select({ total: sql<number>`MAX(COALESCE(SUM(CASE WHEN ${cumulativeRow} THEN 0 ELSE ${paymentRefunds.amountCents} END), 0), COALESCE(MAX(CASE WHEN ${cumulativeRow} THEN ${paymentRefunds.amountCents} END), 0))` })
    .from(paymentRefunds)
    .where(eq(paymentRefunds.paymentId, payment.id))) as [{ total: number }];
  const status = total >= payment.amountCents ? "refunded" : "partially_refunded";
  await database.update(payments).set({ refundedCents: total, status, updatedAt: ctx.nowMs }).where(eq(payments.id, payment.id));
  return { status: "processed", effect: { payment: payment.id, refundId: r.refundId, refundedCents: total, status } };
}
