// Brevo transactional and marketing webhooks: JSON `{ event, email, id (the webhook's id), "message-id",
// ts_event, … }`, unsigned and authenticated by the token Brevo sends (bearer, basic auth or ?token=).
// Brevo gives an event no id of its own (`id` names the webhook), so the dedupe key is the SHA-256 of
// the body. Batched webhooks post an array of such events. Stored `unhandled` until email reminders exist.
import { verifyBrevo } from "./signature";
import { bodyDigest, instant, isRecord, jsonBody, secretsOf, str } from "../shared/delivery";
import type { Vendor } from "../types";
import { connector } from "./connector";

export const brevo: Vendor = {
  id: "brevo",
  name: "Brevo",
  category: "messaging",
  auth: "api_key",
  credentialFields: [
    { name: "apiKey", label: "API key (xkeysib-\u2026)", secret: true, required: true },
    { name: "webhookToken", label: "Webhook token (bearer, or user:password for basic auth)", secret: true, required: true },
    { name: "previousWebhookToken", label: "Previous webhook token, while Brevo still sends it", secret: true, required: false },
  ],
  webhookSetup:
    "Brevo \u2192 Transactional \u2192 Settings \u2192 Webhooks; add the token as bearer auth, basic auth, or ?token=.",
  webhook: {
    verify: (req, credentials) => verifyBrevo(req, secretsOf(credentials, "webhookToken", "previousWebhookToken")),
    async parse(raw) {
      const body = jsonBody(raw);
      const events = Array.isArray(body) ? body : [body];
      if (events.length === 0 || !events.every((e) => isRecord(e) && str(e.event))) return null;
      const types = events.map((e) => str((e as Record<string, unknown>).event)!);
      const first = events[0] as Record<string, unknown>;
      return {
        externalId: await bodyDigest(raw),
        type: types.every((t) => t === types[0]) ? types[0]! : "batch",
        // ts_event is in seconds (UTC); `date` is in Brevo's CET/CEST and is not used.
        occurredAtMs: events.length === 1 ? instant(first.ts_event ?? first.ts) : null,
        data: Array.isArray(body) ? { events } : first,
      };
    },
  },
  effects: {},
  connector,
};
