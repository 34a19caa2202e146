// Paystack (paystack.com/docs/api), entity "payments". Pull lists transactions from `since` with
// Paystack's page/perPage pagination; push refunds one (the `payments` capability). Bearer secret key;
// every answer is `{ status, message, data, meta? }`, amounts in the subunit (kobo, pesewas, cents).
// Paystack takes no idempotency key, so a refund is made safe another way: it carries the job's key in
// its `merchant_note`, and before refunding the connector lists the transaction's refunds; one already
// bearing the key (an earlier attempt whose answer was lost) is the answer, and nothing is sent again.
import { initiator } from "./initiator";
import type { Connector, ConnectorContext, PaymentCapability, RefundOutcome, SyncJobInput } from "../../sync/contract";
import { tally } from "../shared/money";
import { intParam, invalidParams } from "../../sync/params";
import { paymentsEntity, refundStatus } from "../shared/payment-entity";

const REFERENCE = /^[A-Za-z0-9._=-]{1,100}$/;
const MAX_PAGES = 100;

interface Envelope<T> {
  status: boolean;
  message: string;
  data: T;
  meta?: { total: number; page: number; pageCount: number };
}
interface PaystackTransaction {
  id: number;
  reference: string;
  amount: number;
  currency: string;
  status: string;
  fees: number | null;
  paid_at?: string | null;
  channel?: string | null;
  metadata?: unknown;
}
interface PaystackRefund {
  id: number;
  amount: number;
  status: string;
  merchant_note: string | null;
}

/** Paystack's `metadata`: an object, a JSON string, or "" when the merchant attached nothing. */
function metadataOf(v: unknown): Record<string, unknown> {
  if (typeof v === "string" && v.trim().startsWith("{")) {
    try {
      return metadataOf(JSON.parse(v));
    } catch {
      return {};
    }
  }
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

async function pullPayments(ctx: ConnectorContext, job: SyncJobInput) {
  const perPage = intParam(job.params, "pageSize", 1, 100) ?? 100;
  const from = job.since === null ? undefined : new Date(job.since).toISOString();
  const receivedCents: Record<string, number> = {};
  const feeCents: Record<string, number> = {};
  let page = 1;
  let pageCount = 1;
  let records = 0;
  let succeeded = 0;
  for (; page <= pageCount && page <= MAX_PAGES; page++) {
    const res = await ctx.call<Envelope<PaystackTransaction[]>>({
      method: "GET",
      path: "/transaction",
      query: { perPage, page, from },
    });
    pageCount = res.body.meta?.pageCount ?? 1;
    for (const t of res.body.data) {
      records++;
      if (t.status !== "success") continue;
      succeeded++;
      tally(receivedCents, t.currency, t.amount);
      tally(feeCents, t.currency, t.fees ?? 0);
      // Into the ledger as the charge.success webhook records it (src/vendors/paystack/index.ts), by reference.
      const metadata = metadataOf(t.metadata);
      await ctx.ledger.payment({
        providerTransactionId: t.reference,
        amountCents: t.amount,
        feeCents: t.fees ?? undefined,
        currency: t.currency,
        status: "succeeded",
        sessionId: typeof metadata.session_id === "string" ? metadata.session_id : null,
        citationNumber: typeof metadata.citation_number === "string" ? metadata.citation_number : null,
        paidAtMs: t.paid_at ? Date.parse(t.paid_at) : null,
      });
    }
  }
  return { records, detail: { pages: page - 1, succeeded, receivedCents, feeCents, complete: page > pageCount } };
}

const outcome = (r: PaystackRefund): RefundOutcome => ({
  refundId: String(r.id),
  status: refundStatus(r.status, ["processed"], ["failed"]),
  amountCents: r.amount,
});

const payments: PaymentCapability = {
  async refund(ctx, req) {
    const marker = `curbgate:${ctx.key("refund")}`;
    // Curbgate records Paystack payments by reference (what refund events name), so look the transaction up by it.
    const { body: verified } = await ctx.call<Envelope<PaystackTransaction>>({
      method: "GET",
      path: `/transaction/verify/${encodeURIComponent(req.transactionId)}`,
    });
    const transaction = verified.data;
    const { body: listed } = await ctx.call<Envelope<PaystackRefund[]>>({
      method: "GET",
      path: "/refund",
      query: { transaction: transaction.id, perPage: 100 },
    });
    const mine = listed.data.find((r) => r.merchant_note === marker);
    if (mine) return outcome(mine);
    const refunded = listed.data.filter((r) => r.status !== "failed").reduce((sum, r) => sum + r.amount, 0);
    const amount = req.amountCents ?? transaction.amount - refunded;
    if (amount < 1) throw invalidParams(`transaction ${transaction.reference} has nothing left to refund`);
    const res = await ctx.call<Envelope<PaystackRefund>>({
      method: "POST",
      path: "/refund",
      idempotencyKey: ctx.key("refund"), // not sent (no header); kept in the call log
      body: { transaction: transaction.id, amount, merchant_note: marker, ...(req.reason ? { customer_note: req.reason } : {}) },
    });
    return outcome(res.body.data);
  },
};

export const connector: Connector = {
  provider: "paystack",
  defaultBaseUrl: "https://api.paystack.co",
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.secretKey ?? ""}`),
  idempotencyHeader: undefined, // Paystack has none; refunds are guarded by their merchant_note, above
  rateLimitPerMinute: 300, // Paystack publishes no figure; 5/s keeps well clear of its 429s
  async test(ctx) {
    const res = await ctx.call<Envelope<{ currency: string; balance: number }[]>>({ method: "GET", path: "/balance" });
    return { currencies: res.body.data.map((b) => b.currency) };
  },
  entities: {
    payments: paymentsEntity({
      description:
        "Pull: transactions created since `since`, every page. Push: refund params.transactionId (the transaction reference), params.amount in the subunit (default: what is left), params.reason (the customer note).",
      pull: pullPayments,
      payments,
      transactionId: REFERENCE,
    }),
  },
  payments,
  initiator,
};
