// Stripe (docs.stripe.com/api), entity "payments". Payments are pulled from the PaymentIntents list (newest first,
// cursor pagination with starting_after); refunds are pushed with an Idempotency-Key derived from the
// job, so a retried job never refunds twice. Bodies are form-encoded, as Stripe requires.
import type { Connector, ConnectorContext, SyncJobInput } from "./types";
import { intParam, requiredString, stringParam } from "./params";

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
      method: "GET", path: "/v1/payment_intents", query: { limit, "created[gte]": createdGte, starting_after: startingAfter },
    });
    pages++;
    for (const pi of page.body.data) {
      records++;
      if (pi.status !== "succeeded") continue;
      succeeded++;
      receivedCents[pi.currency] = (receivedCents[pi.currency] ?? 0) + pi.amount_received;
    }
    startingAfter = page.body.has_more ? page.body.data.at(-1)?.id : undefined;
  } while (startingAfter && pages < MAX_PAGES);
  return { records, detail: { pages, succeeded, receivedCents, complete: startingAfter === undefined } };
}

async function pushRefund(ctx: ConnectorContext, job: SyncJobInput) {
  const paymentIntent = requiredString(job.params, "paymentIntent", /^pi_[A-Za-z0-9]+$/);
  const amount = intParam(job.params, "amount", 1, 100_000_000);
  const reason = stringParam(job.params, "reason", /^(duplicate|fraudulent|requested_by_customer)$/);
  const body: Record<string, string | number> = { payment_intent: paymentIntent, "metadata[curbgate_job]": job.id };
  if (amount !== undefined) body.amount = amount;
  if (reason !== undefined) body.reason = reason;
  const res = await ctx.call<StripeRefund>({ method: "POST", path: "/v1/refunds", form: true, body, idempotencyKey: ctx.key("refund") });
  const refund = res.body;
  return { records: 1, detail: { refundId: refund.id, status: refund.status, amountCents: refund.amount, paymentIntent: refund.payment_intent } };
}

export const stripe: Connector = {
  provider: "stripe",
  defaultBaseUrl: "https://api.stripe.com",
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.secretKey ?? ""}`),
  idempotencyHeader: "Idempotency-Key",
  rateLimitPerMinute: 1500, // Stripe allows 25 requests/s in test mode (100 live); the lower figure is safe for both
  async test(ctx) {
    const res = await ctx.call<{ livemode: boolean; available: { currency: string }[] }>({ method: "GET", path: "/v1/balance" });
    return { livemode: res.body.livemode, currencies: res.body.available.map((a) => a.currency) };
  },
  entities: {
    payments: {
      directions: ["pull", "push"],
      description: "Pull: payment intents created since `since`, every page. Push: refund params.paymentIntent (pi_…), params.amount cents (default: what is left), params.reason.",
      run: (ctx, job) => (job.direction === "pull" ? pullPayments(ctx, job) : pushRefund(ctx, job)),
    },
  },
};
