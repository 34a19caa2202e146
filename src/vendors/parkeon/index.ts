// Parkeon / Flowbird meters. The Stamford integration guide (docs/sources.md) shows meter status and
// configuration bodies but no webhook, so deliveries use Curbgate's parking-vendor envelope
// `{ id, type, timestamp, data }` (shared/delivery.ts) signed with X-Parkeon-Signature
// (shared/parking-vendor-signature.ts). `meter.status`: `data` is the guide's meter-status body
// ({ meterId, zoneNumber, status, diagnostics }), read like POST /api/parkeon/meter-status reads it
// (meter-status.ts) and kept by the same code (src/effects/meters.ts), taken to be from the envelope's
// `timestamp`. Other meter events (e.g. `meter.config_applied`) are stored `unhandled`.
import { verifyVendorHmac } from "../shared/parking-vendor-signature";
import { parkingVendorEnvelope, secretsOf } from "../shared/delivery";
import { meterStatusEffect } from "../../effects/meters";
import type { NormalizedEvent } from "../../webhooks/contract";
import type { Vendor } from "../types";
import { connector } from "./connector";
import { meterReportOf, ParkeonMeterStatus } from "./meter-status";

/** A body that is not a meter status is thrown, so the event retries and then dead-letters with the reason. */
function readStatus(event: NormalizedEvent): ParkeonMeterStatus {
  const parsed = ParkeonMeterStatus.safeParse(event.data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`${event.type}: data.${issue.path.join(".")}: ${issue.message}`);
}

/** When the meter reported: the envelope's timestamp, never later than now (a meter's clock may run fast). */
const reportedAt = (event: NormalizedEvent, nowMs: number) => Math.min(event.occurredAtMs ?? nowMs, nowMs);

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
  effects: {
    "meter.status": (event, ctx) => meterStatusEffect(ctx, meterReportOf(readStatus(event), reportedAt(event, ctx.nowMs))),
  },
  connector,
};
