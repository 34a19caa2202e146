// Starting a payment for a driver at Stripe: a PaymentIntent (docs.stripe.com/api/payment_intents/create)
// for what the session owes, keyed by Curbgate's initiation key so a retry reaches the same intent. The
// driver's app confirms it with the intent's `client_secret` (Stripe.js or a mobile SDK); the
// payment_intent.succeeded webhook then reads `metadata.session_id` and pays the session (index.ts).
import type { PaymentInitiator, PaymentState } from "../../sync/contract";

interface Intent {
  id: string;
  client_secret: string | null;
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  created: number;
  receipt_email?: string | null;
  application_fee_amount?: number | null;
}

const PAYMENT_INTENT = /^pi_[A-Za-z0-9]+$/;

function stateOf(pi: Intent): PaymentState {
  const status = pi.status === "succeeded" ? "succeeded" : pi.status === "canceled" ? "failed" : "pending";
  return {
    status,
    providerStatus: pi.status,
    amountMinor: status === "succeeded" ? pi.amount_received : pi.amount,
    feeMinor: pi.application_fee_amount ?? 0,
    currency: pi.currency.toUpperCase(),
    paidAtMs: null, // the intent does not say when its charge succeeded; the ledger takes the time it learns of it
    method: null,
    customerEmail: pi.receipt_email ?? null,
  };
}

export const initiator: PaymentInitiator = {
  needs: [],
  async start(ctx, p) {
    const body: Record<string, string | number> = {
      amount: p.amountMinor,
      currency: p.currency.toLowerCase(),
      "automatic_payment_methods[enabled]": "true",
    };
    for (const [k, v] of Object.entries(p.metadata)) body[`metadata[${k}]`] = v;
    if (p.email) body.receipt_email = p.email;
    const res = await ctx.call<Intent>({ method: "POST", path: "/v1/payment_intents", form: true, body, idempotencyKey: p.key });
    const pi = res.body;
    if (!pi.client_secret) throw new Error(`Stripe answered PaymentIntent ${pi.id} without a client_secret`);
    return { reference: pi.id, client: { payment_intent: pi.id, client_secret: pi.client_secret } };
  },
  async check(ctx, reference) {
    if (!PAYMENT_INTENT.test(reference)) throw new Error(`${reference} is not a PaymentIntent id`);
    const res = await ctx.call<Intent>({ method: "GET", path: `/v1/payment_intents/${reference}` });
    return stateOf(res.body);
  },
};
