// Teller municipal payments (the Stamford integration guide, docs/sources.md:
// `Authorization: Bearer <TELLER_API_KEY>`, payments and refunds under
// /api/teller, amounts in cents, each payment split between a revenue and a fee account), entity
// "payments". Pull lists payments from `since` and totals them per accounting account (the revenue/fee
// split the city's ledger needs); push refunds one (the `payments` capability). The guide gives no list
// route, refund answer or idempotency header: Curbgate's completion is in docs/integrations.md ("Teller").
// A refund carries the job's key in `Idempotency-Key`; with no amount it asks Teller for what is left
// (Teller resolves it), so a retried request is byte-for-byte the first and Teller replays its answer.
import type { Connector, ConnectorContext, PaymentCapability, SyncJobInput } from "../../sync/contract";
import { tally } from "../shared/money";
import { intParam } from "../../sync/params";
import { paymentsEntity, refundStatus } from "../shared/payment-entity";

const TRANSACTION_ID = /^[A-Za-z0-9_-]{4,100}$/;
const MAX_PAGES = 100;

interface TellerPayment {
  tellerTransactionId: string;
  status: string;
  amount: number;
  netAmount: number;
  processingFee: number;
  currency?: string;
  timestamp?: string;
  refundedAmount?: number;
  metadata?: Record<string, unknown>;
  accounting: { revenueAccount: string; feeAccount: string };
}
interface TellerRefund {
  refundId: string;
  status: string;
  refundAmount: number;
}

/**
 * A completed payment into the ledger as the payment.completed webhook records it (src/vendors/teller/index.ts):
 * Teller's fee and accounts, and what is refunded of it as a running total.
 */
async function recordPulled(ctx: ConnectorContext, p: TellerPayment) {
  const sessionId = p.metadata?.sessionId;
  await ctx.ledger.payment({
    providerTransactionId: p.tellerTransactionId,
    amountCents: p.amount,
    feeCents: p.processingFee,
    currency: p.currency ?? "USD",
    status: "succeeded",
    sessionId: typeof sessionId === "string" ? sessionId : null,
    paidAtMs: p.timestamp ? Date.parse(p.timestamp) : null,
    revenueAccount: p.accounting.revenueAccount,
    feeAccount: p.accounting.feeAccount,
  });
  if (p.refundedAmount && p.refundedAmount > 0)
    await ctx.ledger.refund({
      providerTransactionId: p.tellerTransactionId,
      refundId: p.tellerTransactionId,
      amountCents: p.refundedAmount,
      cumulative: true,
    });
}

async function pullPayments(ctx: ConnectorContext, job: SyncJobInput) {
  const limit = intParam(job.params, "pageSize", 1, 100) ?? 100;
  const since = job.since === null ? undefined : new Date(job.since).toISOString();
  const totals = { amountCents: 0, netCents: 0, feeCents: 0 };
  const byAccount: Record<string, number> = {};
  let cursor: string | undefined;
  let pages = 0;
  let records = 0;
  let completed = 0;
  do {
    const page = await ctx.call<{ data: TellerPayment[]; nextCursor: string | null }>({
      method: "GET",
      path: "/api/teller/payments",
      query: { since, limit, cursor },
    });
    pages++;
    for (const p of page.body.data) {
      records++;
      if (p.status !== "COMPLETED") continue;
      completed++;
      totals.amountCents += p.amount;
      totals.netCents += p.netAmount;
      totals.feeCents += p.processingFee;
      tally(byAccount, p.accounting.revenueAccount, p.netAmount);
      tally(byAccount, p.accounting.feeAccount, p.processingFee);
      await recordPulled(ctx, p);
    }
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor && pages < MAX_PAGES);
  return { records, detail: { pages, completed, ...totals, byAccount, complete: cursor === undefined } };
}

/** Teller's reasons are upper-case codes (EARLY_SESSION_END); free text becomes one, and is kept whole in metadata. */
export function tellerReason(text: string | undefined): string {
  const code = (text ?? "")
    .toUpperCase()
    .replace(/[^A-Z]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return code.length >= 3 ? code : "CUSTOMER_REQUEST";
}

const payments: PaymentCapability = {
  async refund(ctx, req) {
    const res = await ctx.call<TellerRefund>({
      method: "POST",
      path: "/api/teller/refunds",
      idempotencyKey: ctx.key("refund"),
      // Teller accepts its own transaction id as originalPaymentId (Curbgate records payments by it).
      body: {
        originalPaymentId: req.transactionId,
        ...(req.amountCents !== undefined ? { refundAmount: req.amountCents } : {}),
        reason: tellerReason(req.reason),
        metadata: { source: "curbgate", ...(req.reason ? { note: req.reason } : {}) },
      },
    });
    return {
      refundId: res.body.refundId,
      status: refundStatus(res.body.status, ["COMPLETED"], ["FAILED"]),
      amountCents: res.body.refundAmount,
    };
  },
};

export const connector: Connector = {
  provider: "teller",
  defaultBaseUrl: "https://api.teller.io", // the Stamford guide names https://sandbox.teller.io for tests
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.apiKey ?? ""}`),
  idempotencyHeader: "Idempotency-Key",
  rateLimitPerMinute: 300,
  async test(ctx) {
    const res = await ctx.call<{ environment: string }>({ method: "GET", path: "/api/teller/account" });
    return { environment: res.body.environment };
  },
  entities: {
    payments: paymentsEntity({
      description:
        "Pull: payments since `since`, every page, totalled per revenue and fee account. Push: refund params.transactionId (tellerTransactionId), params.amount cents (default: what is left), params.reason.",
      pull: pullPayments,
      payments,
      transactionId: TRANSACTION_ID,
    }),
  },
  payments,
};
