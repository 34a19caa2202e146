// Square (developer.squareup.com/reference/square), entity "payments". Pull lists payments oldest first
// from `since` with Square's cursor; push refunds one (the `payments` capability). Bearer access token,
// a pinned `Square-Version`. Square takes the idempotency key in the refund's body (`idempotency_key`),
// not a header: the job's key goes there, so a retried refund is replayed by Square, never repeated.
// Square needs the amount in the body, so an omitted amount (refund what is left) is resolved from the
// payment first; a retry after an answer was lost then finds that less is left, so the refund's reason
// carries the key and a retry that finds its own refund on the payment answers with it instead.
import { sha256Hex } from "../../lib/crypto";
import type { Connector, ConnectorContext, PaymentCapability, RefundOutcome, SyncJobInput } from "../../sync/contract";
import { tally } from "../shared/money";
import { intParam, invalidParams } from "../../sync/params";
import { paymentsEntity, refundStatus } from "../shared/payment-entity";

/** The API release Curbgate is written against; Square keeps old versions working. */
export const SQUARE_VERSION = "2025-01-23";
const PAYMENT_ID = /^[A-Za-z0-9]{10,64}$/;
const MAX_PAGES = 100;

interface Money {
  amount: number;
  currency: string;
}
interface SquarePayment {
  id: string;
  status: string;
  total_money: Money;
  refunded_money?: Money;
  processing_fee?: { amount_money: Money }[];
  refund_ids?: string[];
  reference_id?: string;
  created_at?: string;
}
interface SquareRefund {
  id: string;
  status: string;
  amount_money: Money;
  reason?: string;
}

/**
 * A completed payment into the ledger as the payment.updated webhook records it (src/vendors/square/index.ts),
 * and what is refunded of it as a running total (refunds themselves are not in the payment list).
 */
async function recordPulled(ctx: ConnectorContext, p: SquarePayment) {
  const fees = p.processing_fee ?? [];
  await ctx.ledger.payment({
    providerTransactionId: p.id,
    amountCents: p.total_money.amount,
    feeCents: fees.length ? fees.reduce((sum, f) => sum + f.amount_money.amount, 0) : undefined,
    currency: p.total_money.currency,
    status: "succeeded",
    sessionId: p.reference_id ?? null,
    paidAtMs: p.created_at ? Date.parse(p.created_at) : null,
  });
  if (p.refunded_money && p.refunded_money.amount > 0)
    await ctx.ledger.refund({
      providerTransactionId: p.id,
      refundId: p.id,
      amountCents: p.refunded_money.amount,
      cumulative: true,
    });
}

async function pullPayments(ctx: ConnectorContext, job: SyncJobInput) {
  const limit = intParam(job.params, "pageSize", 1, 100) ?? 100;
  const beginTime = job.since === null ? undefined : new Date(job.since).toISOString();
  const receivedCents: Record<string, number> = {};
  const feeCents: Record<string, number> = {};
  let cursor: string | undefined;
  let pages = 0;
  let records = 0;
  let completed = 0;
  do {
    const page = await ctx.call<{ payments?: SquarePayment[]; cursor?: string }>({
      method: "GET",
      path: "/v2/payments",
      query: { begin_time: beginTime, sort_order: "ASC", limit, cursor },
    });
    pages++;
    for (const p of page.body.payments ?? []) {
      records++;
      if (p.status !== "COMPLETED") continue;
      completed++;
      tally(receivedCents, p.total_money.currency, p.total_money.amount);
      for (const fee of p.processing_fee ?? []) tally(feeCents, fee.amount_money.currency, fee.amount_money.amount);
      await recordPulled(ctx, p);
    }
    cursor = page.body.cursor;
  } while (cursor && pages < MAX_PAGES);
  return { records, detail: { pages, completed, receivedCents, feeCents, complete: cursor === undefined } };
}

/** Square takes keys of at most 45 characters; a longer job key goes as its digest (as stable as the key). */
const squareKey = async (key: string) => (key.length <= 45 ? key : (await sha256Hex(key)).slice(0, 45));

const outcome = (r: SquareRefund): RefundOutcome => ({
  refundId: r.id,
  status: refundStatus(r.status, ["COMPLETED"], ["FAILED", "REJECTED"]),
  amountCents: r.amount_money.amount,
});

/** This job's refund of the payment, if an earlier attempt made it (its reason names the key). */
async function earlierRefund(ctx: ConnectorContext, payment: SquarePayment, marker: string): Promise<SquareRefund | null> {
  for (const id of payment.refund_ids ?? []) {
    const { body } = await ctx.call<{ refund: SquareRefund }>({ method: "GET", path: `/v2/refunds/${encodeURIComponent(id)}` });
    if (body.refund.reason?.endsWith(marker)) return body.refund;
  }
  return null;
}

const payments: PaymentCapability = {
  async refund(ctx, req) {
    const key = await squareKey(ctx.key("refund"));
    const marker = `[${key}]`;
    const { body } = await ctx.call<{ payment: SquarePayment }>({
      method: "GET",
      path: `/v2/payments/${encodeURIComponent(req.transactionId)}`,
    });
    const payment = body.payment;
    let amount = req.amountCents;
    if (amount === undefined) {
      const mine = await earlierRefund(ctx, payment, marker);
      if (mine) return outcome(mine);
      amount = payment.total_money.amount - (payment.refunded_money?.amount ?? 0);
      if (amount < 1) throw invalidParams(`payment ${payment.id} has nothing left to refund`);
    }
    const res = await ctx.call<{ refund: SquareRefund }>({
      method: "POST",
      path: "/v2/refunds",
      idempotencyKey: key, // for the call log; Square reads it from the body
      body: {
        idempotency_key: key,
        payment_id: payment.id,
        amount_money: { amount, currency: payment.total_money.currency },
        reason: `${(req.reason ?? "Parking refund").slice(0, 140)} ${marker}`,
      },
    });
    return outcome(res.body.refund);
  },
};

export const connector: Connector = {
  provider: "square",
  defaultBaseUrl: "https://connect.squareup.com",
  authorize(headers, credentials) {
    headers.set("authorization", `Bearer ${credentials.accessToken ?? ""}`);
    headers.set("square-version", SQUARE_VERSION);
  },
  idempotencyHeader: undefined, // the key travels in the body; see the note at the top
  rateLimitPerMinute: 600, // Square publishes no fixed figure and answers 429 RATE_LIMITED past it; 10/s is well inside
  async test(ctx) {
    const res = await ctx.call<{ locations?: { id: string; currency: string; status: string }[] }>({
      method: "GET",
      path: "/v2/locations",
    });
    const locations = res.body.locations ?? [];
    return { locations: locations.length, currencies: [...new Set(locations.map((l) => l.currency))] };
  },
  entities: {
    payments: paymentsEntity({
      description:
        "Pull: payments created since `since`, oldest first, every page. Push: refund params.transactionId (Square payment id), params.amount cents (default: what is left), params.reason.",
      pull: pullPayments,
      payments,
      transactionId: PAYMENT_ID,
    }),
  },
  payments,
};
