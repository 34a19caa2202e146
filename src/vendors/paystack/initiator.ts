// Starting a payment for a driver at Paystack: POST /transaction/initialize (the shape of the events app's
// specification, seed 003) for what the session owes, in the currency's subunit. Paystack takes no
// idempotency key; the transaction `reference` is its key, so Curbgate sends its initiation key as the
// reference (unless the caller chose one), and a second initialize with it is refused as a duplicate
// rather than charging twice. The driver pays at `authorization_url`; the charge.success webhook (index.ts)
// or a verify (GET /transaction/verify/:reference) then pays the session named in `metadata.session_id`.
import type { PaymentInitiator, PaymentState } from "../../sync/contract";
import { paymentMethodOf } from "../../domain/session-payment";

interface Envelope<T> {
  status: boolean;
  message: string;
  data: T;
}
interface Initialized {
  authorization_url: string;
  access_code: string;
  reference: string;
}
interface Verified {
  reference: string;
  amount: number;
  currency: string;
  status: string;
  fees: number | null;
  paid_at: string | null;
  channel: string | null;
  customer?: { email?: string | null } | null;
}

const REFERENCE = /^[A-Za-z0-9._=-]{1,100}$/;

function stateOf(t: Verified): PaymentState {
  const status = t.status === "success" ? "succeeded" : t.status === "failed" || t.status === "reversed" ? "failed" : "pending";
  const paidAt = t.paid_at ? Date.parse(t.paid_at) : Number.NaN;
  return {
    status,
    providerStatus: t.status,
    amountMinor: t.amount,
    feeMinor: t.fees ?? 0,
    currency: t.currency.toUpperCase(),
    paidAtMs: Number.isFinite(paidAt) ? paidAt : null,
    method: paymentMethodOf(t.channel),
    customerEmail: t.customer?.email ?? null,
  };
}

export const initiator: PaymentInitiator = {
  needs: ["email"],
  async start(ctx, p) {
    const reference = p.reference ?? p.key;
    const res = await ctx.call<Envelope<Initialized>>({
      method: "POST",
      path: "/transaction/initialize",
      idempotencyKey: reference, // not sent (Paystack has no header); kept in the call log
      body: {
        email: p.email,
        amount: p.amountMinor,
        currency: p.currency,
        reference,
        metadata: p.metadata,
        ...(p.callbackUrl ? { callback_url: p.callbackUrl } : {}),
      },
    });
    const d = res.body.data;
    return {
      reference: d.reference,
      client: { authorization_url: d.authorization_url, access_code: d.access_code, reference: d.reference },
    };
  },
  async check(ctx, reference) {
    if (!REFERENCE.test(reference)) throw new Error(`${reference} is not a Paystack reference`);
    const res = await ctx.call<Envelope<Verified>>({
      method: "GET",
      path: `/transaction/verify/${encodeURIComponent(reference)}`,
    });
    return stateOf(res.body.data);
  },
};
