// SendGrid Event Webhook: a JSON array of events `{ email, timestamp, event, sg_event_id, sg_message_id, … }`
// signed with ECDSA (X-Twilio-Email-Event-Webhook-Signature). A batch has no id of its own: the dedupe
// key is the one event's sg_event_id when the batch holds one event, else the SHA-256 of the body.
// The type is the event name every entry shares ("delivered"), else "batch". Stored `unhandled`
// until email reminders exist.
import { verifySendGrid } from "./signature";
import { bodyDigest, instant, isRecord, jsonBody, secretsOf, str } from "../shared/delivery";
import type { Vendor } from "../types";
import { connector } from "./connector";

export const sendgrid: Vendor = {
  id: "sendgrid",
  name: "SendGrid",
  category: "messaging",
  auth: "api_key",
  credentialFields: [
    { name: "apiKey", label: "API key (SG.\u2026)", secret: true, required: true },
    {
      name: "webhookVerificationKey",
      label: "Event Webhook verification key (base64 public key)",
      secret: false,
      required: true,
    },
    {
      name: "previousWebhookVerificationKey",
      label: "Previous verification key, while SendGrid switches keys",
      secret: false,
      required: false,
    },
  ],
  webhookSetup: "SendGrid \u2192 Settings \u2192 Mail Settings \u2192 Event Webhook, with Signed Event Webhook enabled.",
  webhook: {
    verify: (req, credentials) =>
      verifySendGrid(req, secretsOf(credentials, "webhookVerificationKey", "previousWebhookVerificationKey")),
    async parse(raw) {
      const body = jsonBody(raw);
      if (!Array.isArray(body) || body.length === 0 || !body.every((e) => isRecord(e) && str(e.event))) return null;
      const events = body as Record<string, unknown>[];
      const types = events.map((e) => str(e.event)!);
      const single = events.length === 1 ? events[0]! : null;
      return {
        externalId: (single && str(single.sg_event_id)) || (await bodyDigest(raw)),
        type: types.every((t) => t === types[0]) ? types[0]! : "batch",
        occurredAtMs: single ? instant(single.timestamp) : null,
        data: { events },
      };
    },
    sensitiveHeaders: ["x-twilio-email-event-webhook-signature"],
  },
  effects: {},
  connector,
};
