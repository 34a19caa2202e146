// Stripe: events `{ id: "evt_…", type, created, data: { object } }`, signed with `Stripe-Signature`.
// A PaymentIntent pays for a parking session named in its metadata (`session_id`, optionally
// `extend_minutes`); payment records are keyed by the PaymentIntent id, so a charge's refunds find them.
import { verifyStripe } from "./signature";
import { recordPayment, recordRefund } from "../../effects/payments";
import { type Fields, int, instant, isRecord, jsonObject, minutes, required, secretsOf, str } from "../shared/delivery";
import type { EffectHandler, EffectResult } from "../../webhooks/contract";
import type { Vendor } from "../types";
import { connector } from "./connector";

const metadataOf = (o: Fields): Fields => (isRecord(o.metadata) ? o.metadata : {});

/** payment_intent.succeeded / payment_intent.payment_failed: `data.object` is the PaymentIntent. */
const paymentIntent =
  (status: "succeeded" | "failed"): EffectHandler =>
  (event, ctx) => {
    const pi = event.data;
    const metadata = metadataOf(pi);
    // amount_received is what was actually captured; a failed intent received nothing, so keep its amount.
    const received = int(pi.amount_received);
    return recordPayment(ctx, {
      providerTransactionId: required(str(pi.id), event, "data.object.id"),
      amountCents: status === "succeeded" && received ? received : required(int(pi.amount), event, "data.object.amount"),
      feeCents: int(pi.application_fee_amount), // none: the tenant's routing decides
      currency: required(str(pi.currency), event, "data.object.currency"),
      status,
      sessionId: str(metadata.session_id),
      extendMinutes: minutes(metadata.extend_minutes),
      citationNumber: str(metadata.citation_number),
    });
  };

/**
 * charge.refunded: `data.object` is the Charge. Older API versions list its refunds (one record per
 * refund id); newer ones omit the list, and `amount_refunded` (a running total) is recorded under
 * the charge id, growing with each partial refund.
 */
const chargeRefunded: EffectHandler = async (event, ctx) => {
  const charge = event.data;
  const chargeId = required(str(charge.id), event, "data.object.id");
  const providerTransactionId = str(charge.payment_intent) ?? chargeId;
  const listed = isRecord(charge.refunds) && Array.isArray(charge.refunds.data) ? charge.refunds.data.filter(isRecord) : [];
  const refunds = listed.filter((r) => (r.status ?? "succeeded") === "succeeded" && str(r.id) && int(r.amount) !== undefined);
  if (listed.length === 0) {
    const total = required(int(charge.amount_refunded), event, "data.object.amount_refunded");
    return recordRefund(ctx, { providerTransactionId, refundId: chargeId, amountCents: total, cumulative: true });
  }
  let last: EffectResult = { status: "processed", effect: { note: "no succeeded refunds listed" } };
  for (const r of refunds)
    last = await recordRefund(ctx, { providerTransactionId, refundId: str(r.id)!, amountCents: int(r.amount)! });
  return last;
};

export const stripe: Vendor = {
  id: "stripe",
  name: "Stripe",
  category: "payments",
  auth: "api_key",
  credentialFields: [
    { name: "secretKey", label: "Secret key (sk_live_\u2026 or sk_test_\u2026)", secret: true, required: true },
    { name: "webhookSecret", label: "Webhook signing secret (whsec_\u2026)", secret: true, required: true },
    { name: "previousWebhookSecret", label: "Previous signing secret, during rotation", secret: true, required: false },
  ],
  webhookSetup: "Stripe Dashboard \u2192 Developers \u2192 Webhooks \u2192 Add endpoint.",
  webhook: {
    verify: (req, credentials) => verifyStripe(req, secretsOf(credentials, "webhookSecret", "previousWebhookSecret")),
    async parse(raw) {
      const body = jsonObject(raw);
      const id = str(body?.id);
      const type = str(body?.type);
      if (!body || !id?.startsWith("evt_") || !type || !isRecord(body.data) || !isRecord(body.data.object)) return null;
      return { externalId: id, type, occurredAtMs: instant(body.created), data: body.data.object };
    },
    sensitiveHeaders: ["stripe-signature"],
  },
  effects: {
    "payment_intent.succeeded": paymentIntent("succeeded"),
    "payment_intent.payment_failed": paymentIntent("failed"),
    "charge.refunded": chargeRefunded,
  },
  connector,
};
