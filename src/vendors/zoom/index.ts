// Zoom: events `{ event, event_ts (ms), payload: { account_id, object } }` signed with `x-zm-signature`.
// Zoom sends no event id, so the dedupe key is the SHA-256 of the body. `endpoint.url_validation`
// (on setup and every 72 h) is a challenge: it is answered with the HMAC of its plainToken and never
// stored. Meeting events are stored `unhandled` until meetings are tracked.
import { verifyZoom, zoomUrlValidationResponse } from "./signature";
import { bodyDigest, instant, isRecord, jsonObject, secretsOf, str } from "../shared/delivery";
import type { Vendor } from "../types";
import { connector } from "./connector";

export const zoom: Vendor = {
  id: "zoom",
  name: "Zoom",
  category: "meetings",
  auth: "oauth2",
  credentialFields: [
    { name: "accountId", label: "Account id", secret: false, required: true },
    { name: "clientId", label: "Client id", secret: false, required: true },
    { name: "clientSecret", label: "Client secret", secret: true, required: true },
    { name: "webhookSecretToken", label: "Event notification secret token", secret: true, required: true },
    { name: "previousWebhookSecretToken", label: "Previous secret token, during rotation", secret: true, required: false },
  ],
  webhookSetup: "Zoom App Marketplace \u2192 your app \u2192 Feature \u2192 Event Subscriptions.",
  webhook: {
    verify: (req, credentials) => verifyZoom(req, secretsOf(credentials, "webhookSecretToken", "previousWebhookSecretToken")),
    async parse(raw) {
      const body = jsonObject(raw);
      const type = str(body?.event);
      if (!body || !type || !isRecord(body.payload)) return null;
      return { externalId: await bodyDigest(raw), type, occurredAtMs: instant(body.event_ts), data: body.payload };
    },
    async challenge(event, credentials) {
      if (event.type !== "endpoint.url_validation") return null;
      const plainToken = str(event.data.plainToken);
      const secret = credentials.webhookSecretToken;
      // Answered with the current token: Zoom validates against the token it now holds.
      return plainToken && secret ? zoomUrlValidationResponse(plainToken, secret) : null;
    },
    sensitiveHeaders: ["x-zm-signature", "authorization"],
  },
  effects: {},
  connector,
};
