// Square: events `{ merchant_id, type, event_id, created_at, data: { type, id, object: { payment | refund } } }`,
// signed with `x-square-hmacsha256-signature` over the notification URL and body. A payment names its
// parking session in `reference_id`; Square sends payment.updated several times as a payment moves
// through APPROVED to COMPLETED, and every step lands on the same payment record.
import { verifySquare } from "./signature";
import { recordPayment, recordRefund } from "../../effects/payments";
import { type Fields, int, instant, isRecord, jsonObject, required, secretsOf, str, stringSetting } from "../shared/delivery";
import type { EffectHandler, NormalizedEvent } from "../../webhooks/contract";
import type { Vendor } from "../types";
import { connector } from "./connector";

const money = (v: unknown): { amount?: number; currency?: string } =>
  isRecord(v) ? { amount: int(v.amount), currency: str(v.currency) } : {};

/** `data.object.<kind>`, the Payment or PaymentRefund the event is about. */
function objectOf(event: NormalizedEvent, kind: "payment" | "refund"): Fields {
  const object = event.data.object;
  return required(isRecord(object) && isRecord(object[kind]) ? object[kind] : undefined, event, `data.object.${kind}`);
}

function paymentStatus(status: string | undefined): "pending" | "succeeded" | "failed" {
  if (status === "COMPLETED") return "succeeded";
  if (status === "FAILED" || status === "CANCELED") return "failed";
  return "pending"; // APPROVED, PENDING: not money yet
}

const payment: EffectHandler = (event, ctx) => {
  const p = objectOf(event, "payment");
  const { amount, currency } = money(p.amount_money);
  // processing_fee is a list of fees and adjustments, usually absent until the payment completes.
  const fees = Array.isArray(p.processing_fee)
    ? p.processing_fee.map((f) => (isRecord(f) ? (money(f.amount_money).amount ?? 0) : 0))
    : [];
  return recordPayment(ctx, {
    providerTransactionId: required(str(p.id), event, "payment.id"),
    amountCents: required(amount, event, "payment.amount_money.amount"),
    feeCents: fees.length ? fees.reduce((a, b) => a + b, 0) : undefined, // none yet: the routing decides
    currency: required(currency, event, "payment.amount_money.currency"),
    status: paymentStatus(str(p.status)),
    sessionId: str(p.reference_id),
  });
};

const refund: EffectHandler = async (event, ctx) => {
  const r = objectOf(event, "refund");
  const status = str(r.status);
  const refundId = required(str(r.id), event, "refund.id");
  // refund.created arrives PENDING; only a COMPLETED refund has moved money.
  if (status !== "COMPLETED")
    return { status: "processed", effect: { refundId, refundStatus: status ?? null, note: "recorded when COMPLETED" } };
  return recordRefund(ctx, {
    providerTransactionId: required(str(r.payment_id), event, "refund.payment_id"),
    refundId,
    amountCents: required(money(r.amount_money).amount, event, "refund.amount_money.amount"),
  });
};

export const square: Vendor = {
  id: "square",
  name: "Square",
  category: "payments",
  auth: "oauth2",
  credentialFields: [
    { name: "accessToken", label: "Access token", secret: true, required: true },
    { name: "signatureKey", label: "Webhook subscription signature key", secret: true, required: true },
    { name: "previousSignatureKey", label: "Previous signature key, during rotation", secret: true, required: false },
  ],
  webhookSetup:
    "Square Developer Console \u2192 Webhooks \u2192 Subscriptions. Square signs the notification URL exactly as entered there; if a proxy changes it, set settings.notificationUrl.",
  webhook: {
    verify: (req, credentials, settings) =>
      verifySquare(req, secretsOf(credentials, "signatureKey", "previousSignatureKey"), {
        notificationUrl: stringSetting(settings, "notificationUrl"),
      }),
    async parse(raw) {
      const body = jsonObject(raw);
      const id = str(body?.event_id);
      const type = str(body?.type);
      if (!body || !id || !type || !isRecord(body.data)) return null;
      return { externalId: id, type, occurredAtMs: instant(body.created_at), data: body.data };
    },
    sensitiveHeaders: ["x-square-hmacsha256-signature", "x-square-signature"],
  },
  effects: {
    "payment.created": payment,
    "payment.updated": payment,
    "refund.created": refund,
    "refund.updated": refund,
  },
  connector,
};
