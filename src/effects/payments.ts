// Payment effects shared by every payment provider (Stripe, Square, Paystack, Teller): a payment
// record keyed by the provider's transaction id, and the linked parking session confirmed (and
// extended, when the payment bought more time), or the citation it names paid. Every step is
// idempotent, so replays are harmless.
import { isFailure } from "../lib/failure";
import { citationPaidByVendor } from "./citation-lifecycle";
import { isSessionId, zoneOfSessionId } from "../domain/session-id";
import type { EffectContext, EffectResult } from "../webhooks/contract";
import { db } from "../storage/db";
import { refundFeeMinor, settlementOf } from "../domain/money";
import { ledgerSplit } from "../domain/payment-split";
import { paymentRoutingOf } from "../storage/payment-routing";
import {
  findPaymentByTransaction,
  refundedTotal,
  refundedTotals,
  setRefunded,
  settlePayment,
  storeRefund,
  upsertPayment,
} from "../storage/payments";
import { tenantTimezone } from "../storage/tenants";
import { callZone } from "../storage/zone-state";

export interface PaymentFacts {
  providerTransactionId: string;
  amountCents: number;
  /**
   * The fee the provider itself reports (Stripe application_fee_amount, Square processing_fee, Paystack fees,
   * Teller processingFee); undefined when it reports none, and then the tenant's routing decides the fee.
   */
  feeCents?: number;
  currency: string;
  status: "pending" | "succeeded" | "failed";
  sessionId?: string | null;
  /** The zone the payer names (Teller's metadata.zoneNumber) when no session Curbgate knows does. */
  zone?: string | null;
  extendMinutes?: number;
  /** The citation this payment settles, by its number (Curbgate's own metadata key at each provider). */
  citationNumber?: string | null;
  /** card, bank_transfer, mobile_money, wallet, cash, other, when the provider says. */
  method?: string | null;
  /** When the money moved by the provider's clock; else the time Curbgate processes it. */
  paidAtMs?: number | null;
  /** How Curbgate learnt of it (default: a webhook). */
  source?: "webhook" | "pull" | "initiated";
  /** Accounts the provider names itself (Teller's accounting); else the tenant's routing names them. */
  revenueAccount?: string | null;
  feeAccount?: string | null;
}

/** The one ledger write for a payment, whoever reported it (a webhook, a pull, Curbgate's own initiation). */
export async function recordPayment(ctx: EffectContext, p: PaymentFacts): Promise<EffectResult> {
  const database = db(ctx.env.DB);
  const routing = await paymentRoutingOf(database, ctx.tenantId);
  const split = ledgerSplit(p, routing);
  const sessionId = p.sessionId && isSessionId(p.sessionId) ? p.sessionId : null;
  let row = await upsertPayment(
    database,
    {
      tenantId: ctx.tenantId,
      provider: ctx.provider,
      providerTransactionId: p.providerTransactionId,
      sessionId,
      amountCents: p.amountCents,
      feeCents: split.feeMinor,
      currency: p.currency.toUpperCase(),
      status: p.status,
      revenueAccount: split.revenueAccount,
      feeAccount: split.feeAccount,
      zone: sessionId ? zoneOfSessionId(sessionId) : (p.zone?.toUpperCase() ?? null),
      method: p.method ?? null,
      source: p.source ?? "webhook",
      // A provider time that does not parse is no time: Curbgate's own clock stands in.
      paidAt: Number.isFinite(p.paidAtMs) ? p.paidAtMs! : ctx.nowMs,
    },
    ctx.nowMs,
  );
  // The batch is fixed when the payment first succeeds, by when the money moved in the tenant's local time.
  if (row.status !== "pending" && row.status !== "failed" && row.settlementDate === null) {
    const timezone = await tenantTimezone(database, ctx.tenantId);
    const s = settlementOf(row.paidAt ?? ctx.nowMs, routing.cutoff, timezone);
    row =
      (await settlePayment(database, ctx.tenantId, row.id, { settlementDate: s.settlementDate, settlementBatch: s.batchId })) ??
      row;
  }
  const effect: Record<string, unknown> = {
    payment: row.id,
    status: row.status,
    amountCents: row.amountCents,
    feeCents: row.feeCents,
    netCents: row.netCents,
  };
  if (row.settlementDate) effect.settlement = { date: row.settlementDate, batch: row.settlementBatch };
  if (p.status === "succeeded" && sessionId) effect.session = await confirmSession(ctx, sessionId, p);
  if (p.status === "succeeded" && p.citationNumber) {
    const paid = await citationPaidByVendor(ctx, ctx.provider, p.citationNumber, {
      reference: p.providerTransactionId,
      amountCents: p.amountCents,
    });
    effect.citation = paid.effect;
  }
  return { status: "processed", effect };
}

async function confirmSession(ctx: EffectContext, sessionId: string, p: PaymentFacts) {
  const zone = zoneOfSessionId(sessionId);
  try {
    const r = await callZone(ctx.env, ctx.tenantId, zone, (s) =>
      s.applyPayment(
        sessionId,
        { key: `${ctx.provider}:${p.providerTransactionId}`, amountCents: p.amountCents, extendMinutes: p.extendMinutes },
        ctx.nowMs,
      ),
    );
    return {
      id: sessionId,
      paidCents: r.session.paidCents,
      extendedMinutes: r.extendedMinutes,
      endTime: new Date(r.session.endMs).toISOString(),
      ...(r.note ? { note: r.note } : {}),
    };
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
export async function recordRefund(
  ctx: EffectContext,
  r: { providerTransactionId: string; refundId: string; amountCents: number; cumulative?: boolean },
): Promise<EffectResult> {
  const database = db(ctx.env.DB);
  const payment = await findPaymentByTransaction(database, ctx.tenantId, ctx.provider, r.providerTransactionId);
  // The payment event may still be on its way (queues do not promise order): retry later.
  if (!payment) throw new Error(`refund for unknown payment ${r.providerTransactionId}`);
  const gross = { grossMinor: payment.amountCents, feeMinor: payment.feeCents };
  // A running total's fee share is that of the whole total; an itemised refund's is its own, the last one
  // taking what fee is left, so the fee shares of a fully refunded payment add up to its fee.
  const before = r.cumulative ? { amountCents: 0, feeCents: 0 } : await refundedTotals(database, ctx.tenantId, payment.id);
  const feeCents = Math.max(0, refundFeeMinor(gross, before.amountCents, r.amountCents, before.feeCents));
  await storeRefund(
    database,
    {
      tenantId: ctx.tenantId,
      provider: ctx.provider,
      refundId: r.refundId,
      paymentId: payment.id,
      amountCents: r.amountCents,
      feeCents,
      cumulative: r.cumulative,
    },
    ctx.nowMs,
  );
  const total = await refundedTotal(database, ctx.tenantId, payment.id);
  const status = total >= payment.amountCents ? "refunded" : "partially_refunded";
  await setRefunded(database, ctx.tenantId, payment.id, total, status, ctx.nowMs);
  return { status: "processed", effect: { payment: payment.id, refundId: r.refundId, refundedCents: total, status } };
}
