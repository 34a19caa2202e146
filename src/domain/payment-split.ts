// Which fee and which accounts a payment is recorded with, whoever reported it (docs/payments.md, "The
// split"). The rule, written once:
//   1. A fee the provider reports is the fee (Stripe application_fee_amount, Square processing_fee,
//      Paystack fees, Teller processingFee), clamped to 0..gross.
//   2. When the provider reports none, the tenant's routing splits the gross (splitPayment: percent
//      rounded half up, or a fixed fee of at most the gross).
//   3. Accounts are the provider's own when it names them (Teller's accounting), else the routing's.
// Fee + net is the gross, always.
import { type PaymentRouting, splitPayment } from "./money";

export interface ReportedPayment {
  amountCents: number;
  /** The provider's own fee; undefined when it reports none. */
  feeCents?: number;
  revenueAccount?: string | null;
  feeAccount?: string | null;
}

export interface LedgerSplit {
  feeMinor: number;
  netMinor: number;
  revenueAccount: string;
  feeAccount: string;
  /** Who decided the fee. */
  feeFrom: "provider" | "routing";
}

export function ledgerSplit(p: ReportedPayment, routing: PaymentRouting): LedgerSplit {
  const routed = splitPayment(p.amountCents, routing);
  const reported = p.feeCents !== undefined && Number.isSafeInteger(p.feeCents);
  const feeMinor = reported ? Math.min(Math.max(p.feeCents!, 0), p.amountCents) : routed.feeMinor;
  return {
    feeMinor,
    netMinor: p.amountCents - feeMinor,
    revenueAccount: p.revenueAccount || routed.revenueAccount,
    feeAccount: p.feeAccount || routed.feeAccount,
    feeFrom: reported ? "provider" : "routing",
  };
}
