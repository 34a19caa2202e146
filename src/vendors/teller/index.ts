// Teller (municipal payments). The Stamford integration guide (docs/sources.md) gives Teller's payment
// and refund responses but no webhook
// body, so deliveries use Curbgate's parking-vendor envelope `{ id, type, timestamp, data }`
// (shared/delivery.ts) signed with X-Teller-Signature (shared/parking-vendor-signature.ts).
// `data` is the guide's shape:
//   payment.completed / payment.failed: { paymentId, tellerTransactionId, status, amount, netAmount,
//     processingFee, currency?, accounting: { revenueAccount, feeAccount, batchId },
//     metadata: { sessionId, extendMinutes?, … } }
//   refund.completed: { refundId, originalPaymentId, tellerTransactionId, refundAmount, reason?, metadata? }
// where a refund's tellerTransactionId is the refunded payment's (payments are keyed by it).
import { verifyVendorHmac } from "../shared/parking-vendor-signature";
import { recordPayment, recordRefund } from "../../effects/payments";
import { type Fields, int, isRecord, minutes, parkingVendorEnvelope, required, secretsOf, str } from "../shared/delivery";
import type { EffectHandler } from "../../webhooks/contract";
import type { Vendor } from "../types";
import { connector } from "./connector";

const record = (v: unknown): Fields => (isRecord(v) ? v : {});

const payment =
  (status: "succeeded" | "failed"): EffectHandler =>
  (event, ctx) => {
    const d = event.data;
    const accounting = record(d.accounting);
    const metadata = record(d.metadata);
    const amount = required(int(d.amount), event, "data.amount");
    const net = int(d.netAmount);
    return recordPayment(ctx, {
      providerTransactionId: required(str(d.tellerTransactionId), event, "data.tellerTransactionId"),
      amountCents: amount,
      feeCents: int(d.processingFee) ?? (net === undefined ? undefined : amount - net),
      currency: str(d.currency) ?? "USD", // the guide's responses omit it; Teller serves US municipalities
      status,
      sessionId: str(metadata.sessionId),
      extendMinutes: minutes(metadata.extendMinutes),
      citationNumber: str(metadata.citationNumber),
      revenueAccount: str(accounting.revenueAccount) ?? null,
      feeAccount: str(accounting.feeAccount) ?? null,
    });
  };

const refundCompleted: EffectHandler = (event, ctx) => {
  const d = event.data;
  return recordRefund(ctx, {
    providerTransactionId: required(str(d.tellerTransactionId), event, "data.tellerTransactionId"),
    refundId: required(str(d.refundId), event, "data.refundId"),
    amountCents: required(int(d.refundAmount), event, "data.refundAmount"),
  });
};

export const teller: Vendor = {
  id: "teller",
  name: "Teller",
  category: "payments",
  auth: "api_key",
  credentialFields: [
    { name: "apiKey", label: "API key (teller_sk_\u2026)", secret: true, required: true },
    { name: "webhookSecret", label: "Webhook secret (teller_wh_\u2026)", secret: true, required: true },
    { name: "previousWebhookSecret", label: "Previous webhook secret, during rotation", secret: true, required: false },
  ],
  webhook: {
    verify: (req, credentials) =>
      verifyVendorHmac("Teller", req, secretsOf(credentials, "webhookSecret", "previousWebhookSecret")),
    parse: async (raw) => parkingVendorEnvelope(raw),
    sensitiveHeaders: ["x-teller-signature"],
  },
  effects: {
    "payment.completed": payment("succeeded"),
    "payment.failed": payment("failed"),
    "refund.completed": refundCompleted,
  },
  connector,
};
