// Paystack: events `{ event, data }` signed with `x-paystack-signature` (HMAC-SHA512 with the secret
// key). Paystack sends no event id, so the dedupe key is the event name plus the transaction's own
// id or reference. Payments are keyed by `reference` (unique per transaction, chosen by the
// merchant), because that is what refund events name. Amounts are in the subunit (kobo, cents).
import { verifyPaystack } from "./signature";
import { recordPayment, recordRefund } from "../../effects/payments";
import {
  type Fields,
  bodyDigest,
  instant,
  int,
  isRecord,
  jsonBody,
  jsonObject,
  minutes,
  required,
  secretsOf,
  str,
} from "../shared/delivery";
import type { EffectHandler } from "../../webhooks/contract";
import type { Vendor } from "../types";
import { connector } from "./connector";

/** `metadata` is whatever the merchant attached: an object, a JSON string, or "" when nothing was. */
function metadataOf(data: Fields): Fields {
  if (isRecord(data.metadata)) return data.metadata;
  if (typeof data.metadata !== "string") return {};
  const parsed = jsonBody(new TextEncoder().encode(data.metadata));
  return isRecord(parsed) ? parsed : {};
}

/** What identifies the thing an event is about: charges have an id and a reference, refunds name their transaction. */
function subjectKey(data: Fields): string | undefined {
  const own = str(data.id) ?? str(data.reference);
  if (own) return own;
  const transaction = str(data.transaction_reference);
  // Refund events carry no id of their own; two partial refunds of one transaction differ by reference or amount.
  return transaction && `${transaction}:${str(data.refund_reference) ?? str(data.amount) ?? ""}`;
}

const charge =
  (status: "succeeded" | "failed"): EffectHandler =>
  (event, ctx) => {
    const d = event.data;
    const metadata = metadataOf(d);
    return recordPayment(ctx, {
      providerTransactionId: required(str(d.reference), event, "data.reference"),
      amountCents: required(int(d.amount), event, "data.amount"),
      feeCents: int(d.fees), // none: the tenant's routing decides
      currency: required(str(d.currency), event, "data.currency"),
      status,
      sessionId: str(metadata.session_id),
      extendMinutes: minutes(metadata.extend_minutes),
      citationNumber: str(metadata.citation_number),
    });
  };

const refundProcessed: EffectHandler = (event, ctx) => {
  const d = event.data;
  const transaction = required(
    str(d.transaction_reference) ?? (isRecord(d.transaction) ? str(d.transaction.reference) : undefined),
    event,
    "data.transaction_reference",
  );
  const amount = required(int(d.amount), event, "data.amount");
  return recordRefund(ctx, {
    providerTransactionId: transaction,
    refundId: str(d.refund_reference) ?? str(d.id) ?? `${transaction}:${amount}`,
    amountCents: amount,
  });
};

export const paystack: Vendor = {
  id: "paystack",
  name: "Paystack",
  category: "payments",
  auth: "api_key",
  credentialFields: [
    { name: "secretKey", label: "Secret key (sk_live_\u2026); also signs webhooks", secret: true, required: true },
    { name: "previousSecretKey", label: "Previous secret key, during rotation", secret: true, required: false },
  ],
  webhookSetup: "Paystack Dashboard \u2192 Settings \u2192 API Keys & Webhooks.",
  webhook: {
    verify: (req, credentials) => verifyPaystack(req, secretsOf(credentials, "secretKey", "previousSecretKey")),
    async parse(raw) {
      const body = jsonObject(raw);
      const type = str(body?.event);
      if (!body || !type || !isRecord(body.data)) return null;
      const key = subjectKey(body.data) ?? (await bodyDigest(raw));
      return {
        externalId: `${type}:${key}`,
        type,
        occurredAtMs: instant(body.data.paid_at ?? body.data.created_at),
        data: body.data,
      };
    },
    sensitiveHeaders: ["x-paystack-signature"],
  },
  effects: {
    "charge.success": charge("succeeded"),
    // Not in Paystack's own event list, but the events app's integration specification (docs/sources.md)
    // handles it; a failed charge is recorded, never confirmed.
    "charge.failed": charge("failed"),
    "refund.processed": refundProcessed,
  },
  connector,
};
