// Stripe's webhook events, as docs.stripe.com/webhooks and /api/events describe them: an Event object
// `{id: "evt_…", object: "event", api_version, created, data: {object, previous_attributes?}, livemode,
// pending_webhooks, request: {id, idempotency_key}, type}`, POSTed with `Stripe-Signature: t=<unix>,v1=<hex>`
// where v1 is HMAC-SHA256 over `<t>.<body>` keyed with the endpoint's whole `whsec_…` secret.
import { hmacSha256Hex, objectId } from "../http";
import type { Account, WebhookFormat } from "../types";

// An API version after 2022-11-15, so a Charge no longer lists its refunds (amount_refunded says how much).
export const API_VERSION = "2024-06-20";

export interface ChargeFacts {
  id: string;
  paymentIntent: string;
  amount: number;
  refunded: number;
  currency: string;
  created: number;
  metadata: Record<string, string>;
  live: boolean;
}

/** The Charge object (docs.stripe.com/api/charges/object), the fields a webhook consumer reads. */
export const charge = (c: ChargeFacts) => ({
  id: c.id, object: "charge", amount: c.amount, amount_captured: c.amount, amount_refunded: c.refunded, captured: true, created: c.created,
  currency: c.currency, livemode: c.live, metadata: c.metadata, paid: true, payment_intent: c.paymentIntent, refunded: c.refunded >= c.amount, status: "succeeded",
});

export function stripeWebhooks(accountOf: (key: string) => Account | null): WebhookFormat {
  return {
    accountOf,
    envelope(event, account, idempotencyKey) {
      const id = objectId("evt_");
      const data = { object: event.object, ...(event.previous ? { previous_attributes: event.previous } : {}) };
      return {
        id,
        body: {
          id, object: "event", api_version: API_VERSION, created: Math.floor(Date.now() / 1000), data, livemode: account.live, pending_webhooks: 1,
          request: { id: objectId("req_", 14), idempotency_key: idempotencyKey }, type: event.type,
        },
      };
    },
    async sign(secret, t, body) {
      return { "stripe-signature": `t=${t},v1=${await hmacSha256Hex(secret, `${t}.${body}`)}`, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" };
    },
  };
}
