// Parkeon / Flowbird meters. The Stamford integration guide (docs/sources.md) shows meter status and
// configuration bodies but no webhook,
// so deliveries use Curbgate's parking-vendor envelope `{ id, type, timestamp, data }` (shared/delivery.ts)
// signed with X-Parkeon-Signature (shared/parking-vendor-signature.ts); `data` of a meter status event is the
// guide's meter-status body ({ meterId, zoneNumber, status, diagnostics }). Meter events are stored
// `unhandled` until Curbgate keeps meter status.
import { verifyVendorHmac } from "../shared/parking-vendor-signature";
import { parkingVendorEnvelope, secretsOf } from "../shared/delivery";
import type { Vendor } from "../types";
import { connector } from "./connector";

export const parkeon: Vendor = {
  id: "parkeon",
  name: "Parkeon / Flowbird",
  category: "meters",
  auth: "api_key",
  credentialFields: [
    { name: "apiKey", label: "API key", secret: true, required: true },
    { name: "webhookSecret", label: "Webhook secret (HMAC-SHA256)", secret: true, required: true },
    { name: "previousWebhookSecret", label: "Previous webhook secret, during rotation", secret: true, required: false },
  ],
  webhook: {
    verify: (req, credentials) =>
      verifyVendorHmac("Parkeon", req, secretsOf(credentials, "webhookSecret", "previousWebhookSecret")),
    parse: async (raw) => parkingVendorEnvelope(raw),
    sensitiveHeaders: ["x-parkeon-signature"],
  },
  effects: {},
  connector,
};
