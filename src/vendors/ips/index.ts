// IPS Group SmartCity. The Stamford integration guide (docs/sources.md) configures the webhook
// (events violation.created, violation.updated,
// citation.paid, permit.expired, enforcement.start_shift, enforcement.end_shift; HMAC-SHA256) but gives
// no body, so deliveries use Curbgate's parking-vendor envelope `{ id, type, timestamp, data }`
// (shared/delivery.ts) signed with X-IPS-Signature (shared/parking-vendor-signature.ts).
// permit.expired `data`: { permitNumber, licensePlate?, state?, expiredAt? }. It revokes the permit,
// which stops counting in plate checks at once.
// violation.created / violation.updated `data`: the guide's violation report (./violation.ts), the same
// body as POST /api/ips/violations; either one creates or updates the violation with that violationId.
// enforcement.start_shift / end_shift `data`: Curbgate's choice (./shifts.ts); they record officers' shifts.
// citation.paid `data`: Curbgate's choice, { citationNumber, amount? (dollars), paymentReference?, paidAt? };
// it marks the citation paid once (a replay, or a citation already paid, changes nothing).
import { verifyVendorHmac } from "../shared/parking-vendor-signature";
import { citationPaidByVendor } from "../../effects/citation-lifecycle";
import { revokePermitByNumber } from "../../effects/permits";
import { recordVendorViolation } from "../../effects/violations";
import type { EffectHandler } from "../../webhooks/contract";
import { parkingVendorEnvelope, required, secretsOf, str } from "../shared/delivery";
import type { Vendor } from "../types";
import { connector } from "./connector";
import { endShift, startShift } from "./shifts";
import { parseWebhookViolation, reportOf } from "./violation";

/** Both violation events carry the whole report, so either one creates or updates the record. */
const violationEvent: EffectHandler = (event, ctx) => {
  const parsed = parseWebhookViolation(event.data);
  if (!parsed.ok) throw new Error(`${event.type} with invalid ${parsed.problem}`);
  return recordVendorViolation(ctx, reportOf(parsed.body));
};

export const ips: Vendor = {
  id: "ips",
  name: "IPS Group SmartCity",
  category: "enforcement",
  auth: "api_key",
  credentialFields: [
    { name: "apiKey", label: "API key", secret: true, required: true },
    { name: "secretKey", label: "API secret", secret: true, required: true },
    { name: "clientId", label: "Client id (e.g. stamford-parking-001)", secret: false, required: false },
    { name: "webhookSecret", label: "Webhook secret (HMAC-SHA256)", secret: true, required: true },
    { name: "previousWebhookSecret", label: "Previous webhook secret, during rotation", secret: true, required: false },
  ],
  webhook: {
    verify: (req, credentials) => verifyVendorHmac("IPS", req, secretsOf(credentials, "webhookSecret", "previousWebhookSecret")),
    parse: async (raw) => parkingVendorEnvelope(raw),
    sensitiveHeaders: ["x-ips-signature"],
  },
  effects: {
    "permit.expired": (event, ctx) =>
      revokePermitByNumber(ctx, required(str(event.data.permitNumber), event, "data.permitNumber")),
    "violation.created": violationEvent,
    "violation.updated": violationEvent,
    "enforcement.start_shift": startShift,
    "enforcement.end_shift": endShift,
    "citation.paid": (event, ctx) => {
      const amount =
        typeof event.data.amount === "number" && Number.isFinite(event.data.amount) ? Math.round(event.data.amount * 100) : null;
      return citationPaidByVendor(ctx, "ips", required(str(event.data.citationNumber), event, "data.citationNumber"), {
        reference: str(event.data.paymentReference) ?? null,
        amountCents: amount,
      });
    },
  },
  connector,
};
