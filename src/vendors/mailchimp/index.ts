// Mailchimp audience webhooks: unsigned form posts (`type=subscribe&fired_at=…&data[email]=…`),
// authenticated by the secret we put in the URL's query. Mailchimp's URL check before saving is a
// GET, answered by the route itself. No delivery id exists, so the dedupe key is the SHA-256 of the
// body. Events are stored `unhandled` until contact sync exists.
import { verifyMailchimp } from "./signature";
import { bodyDigest, formFields, instant, secretsOf } from "../shared/delivery";
import type { Vendor } from "../types";
import { connector } from "./connector";

export const mailchimp: Vendor = {
  id: "mailchimp",
  name: "Mailchimp",
  category: "marketing",
  auth: "oauth2",
  credentialFields: [
    // Either an OAuth client (then POST /v1/integrations/oauth/mailchimp/start) or an API key.
    { name: "clientId", label: "OAuth client id", secret: false, required: false },
    { name: "clientSecret", label: "OAuth client secret", secret: true, required: false },
    { name: "apiKey", label: "API key (\u2026-us21), instead of OAuth", secret: true, required: false },
    { name: "webhookSecret", label: "A secret you choose; Mailchimp sends it back in the URL", secret: true, required: true },
    {
      name: "previousWebhookSecret",
      label: "Previous URL secret, while Mailchimp still has the old URL",
      secret: true,
      required: false,
    },
  ],
  webhookSetup: "Mailchimp \u2192 Audience \u2192 Settings \u2192 Webhooks. Append ?secret=<webhookSecret> to the URL.",
  webhook: {
    verify: (req, credentials) => verifyMailchimp(req, secretsOf(credentials, "webhookSecret", "previousWebhookSecret")),
    async parse(raw, headers) {
      const fields = formFields(raw, headers);
      const type = fields?.type;
      if (!fields || !type) return null;
      // fired_at is "YYYY-MM-DD HH:MM:SS" with no zone; read as UTC, for display only.
      const firedAt = fields.fired_at ? instant(`${fields.fired_at.replace(" ", "T")}Z`) : null;
      return { externalId: await bodyDigest(raw), type, occurredAtMs: firedAt, data: fields };
    },
  },
  effects: {},
  connector,
};
