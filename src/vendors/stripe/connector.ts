// Stripe (docs.stripe.com/api), entity "payments". Payments are pulled from the PaymentIntents list (newest first,
// each succeeded one recorded in the ledger as its webhook would be, source "pull";
// cursor pagination with starting_after); refunds are pushed with an Idempotency-Key derived from the
// job, so a retried job never refunds twice. Bodies are form-encoded, as Stripe requires. The same refund
// call is the `payments` capability the domain refunds through (src/sync/requests.ts).
import { initiator } from "./initiator";
import type { Connector, ConnectorContext, FieldMapping, SyncJobInput } from "../../sync/contract";
import { intParam, invalidParams, requiredString, stringParam } from "../../sync/params";

interface StripeList<T> {
  object: "list";
  has_more: boolean;
  data: T[];
}
interface StripePaymentIntent {
  id: string;
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  created: number;
  application_fee_amount?: number | null;
  metadata?: Record<string, string>;
}
interface StripeRefund {
  id: string;
  amount: number;
  status: string;
  payment_intent: string | null;
}

const MAX_PAGES = 100; // 10 000 intents per job; a longer backlog continues in the next job from its `since`

async function pullPayments(ctx: ConnectorContext, job: SyncJobInput) {
  const limit = intParam(job.params, "pageSize", 1, 100) ?? 100;
  const createdGte = job.since === null ? undefined : Math.floor(job.since / 1000);
  let startingAfter: string | undefined;
  let pages = 0;
  let records = 0;
  let succeeded = 0;
  const receivedCents: Record<string, number> = {};
  do {
    const page = await ctx.call<StripeList<StripePaymentIntent>>({
      method: "GET",
      path: "/v1/payment_intents",
      query: { limit, "created[gte]": createdGte, starting_after: startingAfter },
    });
    pages++;
    for (const pi of page.body.data) {
      records++;
      if (pi.status !== "succeeded") continue;
      succeeded++;
      receivedCents[pi.currency] = (receivedCents[pi.currency] ?? 0) + pi.amount_received;
      // Into the ledger as the payment_intent.succeeded webhook records it (src/vendors/stripe/index.ts).
      await ctx.ledger.payment({
        providerTransactionId: pi.id,
        amountCents: pi.amount_received,
        feeCents: pi.application_fee_amount ?? undefined,
        currency: pi.currency,
        status: "succeeded",
        sessionId: pi.metadata?.session_id ?? null,
        citationNumber: pi.metadata?.citation_number ?? null,
        paidAtMs: pi.created * 1000,
      });
    }
    startingAfter = page.body.has_more ? page.body.data.at(-1)?.id : undefined;
  } while (startingAfter && pages < MAX_PAGES);
  return { records, detail: { pages, succeeded, receivedCents, complete: startingAfter === undefined } };
}

const REASONS = /^(duplicate|fraudulent|requested_by_customer)$/;
const PAYMENT_INTENT = /^pi_[A-Za-z0-9]+$/;

/** One refund of a PaymentIntent, keyed by the job so a retried job never refunds twice. */
async function createRefund(
  ctx: ConnectorContext,
  paymentIntent: string,
  amount: number | undefined,
  metadata: Record<string, string>,
  reason?: string,
) {
  const body: Record<string, string | number> = { payment_intent: paymentIntent };
  for (const [k, v] of Object.entries(metadata)) body[`metadata[${k}]`] = v;
  if (amount !== undefined) body.amount = amount;
  if (reason !== undefined) body.reason = reason;
  const res = await ctx.call<StripeRefund>({
    method: "POST",
    path: "/v1/refunds",
    form: true,
    body,
    idempotencyKey: ctx.key("refund"),
  });
  return res.body;
}

async function pushRefund(ctx: ConnectorContext, job: SyncJobInput) {
  const paymentIntent = requiredString(job.params, "paymentIntent", PAYMENT_INTENT);
  const amount = intParam(job.params, "amount", 1, 100_000_000);
  const reason = stringParam(job.params, "reason", REASONS);
  const refund = await createRefund(ctx, paymentIntent, amount, { curbgate_job: job.id }, reason);
  return {
    records: 1,
    detail: { refundId: refund.id, status: refund.status, amountCents: refund.amount, paymentIntent: refund.payment_intent },
  };
}

// A PaymentIntent as Curbgate reads it (docs.stripe.com/api/payment_intents/object), and how it becomes a
// Curbgate payment. `created` is epoch seconds; currencies are lower-case ISO codes.
const DEFAULT_PAYMENTS: FieldMapping[] = [
  { from: "id", to: "transactionId" },
  { from: "amount_received", to: "amountCents" },
  { from: "currency", to: "currency", transform: "uppercase" },
  { from: "status", to: "status" },
  { from: "created", to: "createdAt", transform: "iso_datetime" },
  { from: "metadata.curbgate_session", to: "sessionId" },
];

export const connector: Connector = {
  provider: "stripe",
  defaultBaseUrl: "https://api.stripe.com",
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.secretKey ?? ""}`),
  idempotencyHeader: "Idempotency-Key",
  rateLimitPerMinute: 1500, // Stripe allows 25 requests/s in test mode (100 live); the lower figure is safe for both
  async test(ctx) {
    const res = await ctx.call<{ livemode: boolean; available: { currency: string }[] }>({ method: "GET", path: "/v1/balance" });
    return { livemode: res.body.livemode, currencies: res.body.available.map((a) => a.currency) };
  },
  initiator,
  payments: {
    // Curbgate's reasons are its own words ("session ended early"): Stripe's field takes three values, so
    // anything else goes to the refund's metadata and Stripe records it as requested by the customer.
    async refund(ctx, req) {
      if (!PAYMENT_INTENT.test(req.transactionId)) throw invalidParams("transactionId is not a PaymentIntent (pi_…)");
      const own = req.reason !== undefined && REASONS.test(req.reason);
      const metadata = {
        curbgate_key: ctx.key("refund"),
        ...(req.reason && !own ? { curbgate_reason: req.reason.slice(0, 500) } : {}),
      };
      const refund = await createRefund(
        ctx,
        req.transactionId,
        req.amountCents,
        metadata,
        own ? req.reason : "requested_by_customer",
      );
      return { refundId: refund.id, status: refund.status, amountCents: refund.amount };
    },
  },
  entities: {
    payments: {
      directions: ["pull", "push"],
      description:
        "Pull: payment intents created since `since`, every page. Push: refund params.paymentIntent (pi_…), params.amount cents (default: what is left), params.reason.",
      run: (ctx, job) => (job.direction === "pull" ? pullPayments(ctx, job) : pushRefund(ctx, job)),
    },
  },
  fields: {
    payments: [
      { name: "id", type: "string", required: true, description: "pi_…" },
      {
        name: "amount",
        type: "money",
        required: true,
        description: "Amount intended to be collected, in the smallest currency unit",
      },
      { name: "amount_received", type: "money", description: "Amount collected" },
      { name: "currency", type: "string", required: true, description: "Lower-case ISO 4217 code" },
      {
        name: "status",
        type: "string",
        required: true,
        description: "e.g. succeeded, processing, requires_payment_method, canceled",
      },
      { name: "created", type: "number", required: true, description: "Epoch seconds" },
      { name: "description", type: "string" },
      { name: "metadata.curbgate_session", type: "string", description: "The session id Curbgate put in the intent's metadata" },
    ],
  },
  mappings: {
    payments: {
      curbgate: "payment",
      direction: "inbound",
      templates: {
        default: DEFAULT_PAYMENTS,
        // Books what the driver was asked to pay rather than what Stripe collected so far.
        "amount-requested": DEFAULT_PAYMENTS.map((m) => (m.to === "amountCents" ? { from: "amount", to: "amountCents" } : m)),
      },
    },
  },
};
