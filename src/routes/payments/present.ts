import type { PaymentRow } from "../../storage/payments";
import { iso } from "../common";

export function presentPayment(p: PaymentRow) {
  return {
    id: p.id,
    provider: p.provider,
    providerTransactionId: p.providerTransactionId,
    source: p.source,
    status: p.status,
    currency: p.currency,
    gross: p.amountCents,
    fee: p.feeCents,
    net: p.netCents,
    refunded: p.refundedCents,
    revenueAccount: p.revenueAccount,
    feeAccount: p.feeAccount,
    sessionId: p.sessionId,
    zone: p.zone,
    method: p.method,
    paidAt: p.paidAt === null ? null : iso(p.paidAt),
    settlementDate: p.settlementDate,
    settlementBatch: p.settlementBatch,
    createdAt: iso(p.createdAt),
  };
}

/** Refund rows are stored under "<tenant>:<provider>:<refund id>"; the API shows the provider's refund id. */
export function presentRefund(r: { id: string; amountCents: number; feeCents: number; createdAt: number }) {
  const parts = r.id.split(":");
  return { id: parts.slice(2).join(":") || r.id, amount: r.amountCents, fee: r.feeCents, createdAt: iso(r.createdAt) };
}
