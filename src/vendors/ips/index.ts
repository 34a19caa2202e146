// IPS Group SmartCity. The Stamford integration guide (docs/sources.md) configures the webhook
// (events violation.created, violation.updated,
// citation.paid, permit.expired, enforcement.start_shift, enforcement.end_shift; HMAC-SHA256) but gives
// no body, so deliveries use Curbgate's parking-vendor envelope `{ id, type, timestamp, data }`
// (shared/delivery.ts) signed with X-IPS-Signature (shared/parking-vendor-signature.ts).
// permit.expired `data`: { permitNumber, licensePlate?, state?, expiredAt? }. It revokes the permit,
// which stops counting in plate checks at once. Violations, citations and shifts are stored
// `unhandled` until those capabilities exist: their handler is one more entry in `effects`.
import { verifyVendorHmac } from "../shared/parking-vendor-signature";
import { revokePermitByNumber } from "../../effects/permits";
import { parkingVendorEnvelope, required, secretsOf, str } from "../shared/delivery";
import type { Vendor } from "../types";
import { connector } from "./connector";

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
  },
  connector,
};
