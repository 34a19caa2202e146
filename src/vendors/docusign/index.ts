// DocuSign Connect, JSON SIM format: `{ event: "envelope-completed", apiVersion, uri, retryCount,
// configurationId, generatedDateTime, data: { accountId, userId, envelopeId, recipientId?, … } }`,
// signed with X-DocuSign-Signature-1..N. A message has no id of its own; the dedupe key is
// `${envelopeId}:${event}:${generatedDateTime}`, plus `:${recipientId}` for recipient events, since
// several recipients can finish within one timestamp. Stored `unhandled` until envelopes are tracked.
import { verifyDocuSign } from "./signature";
import { instant, isRecord, jsonObject, secretsOf, str } from "../shared/delivery";
import type { Vendor } from "../types";
import { connector } from "./connector";

export const docusign: Vendor = {
  id: "docusign",
  name: "DocuSign",
  category: "signatures",
  auth: "oauth2",
  credentialFields: [
    { name: "integrationKey", label: "Integration key", secret: false, required: true },
    { name: "userId", label: "API user id (JWT grant)", secret: false, required: true },
    { name: "accountId", label: "Account id", secret: false, required: true },
    { name: "privateKey", label: "RSA private key (JWT grant)", secret: true, required: true },
    { name: "hmacKey", label: "Connect HMAC key", secret: true, required: true },
    { name: "previousHmacKey", label: "Previous Connect HMAC key, during rotation", secret: true, required: false },
  ],
  webhookSetup: "DocuSign Admin \u2192 Connect \u2192 add configuration (JSON SIM, REST v2.1), with HMAC signature enabled.",
  webhook: {
    verify: (req, credentials) => verifyDocuSign(req, secretsOf(credentials, "hmacKey", "previousHmacKey")),
    async parse(raw) {
      const body = jsonObject(raw);
      const type = str(body?.event);
      const generated = str(body?.generatedDateTime);
      const data = body?.data;
      const envelope = isRecord(data) ? str(data.envelopeId) : undefined;
      if (!body || !type || !generated || !isRecord(data) || !envelope) return null;
      const recipient = str(data.recipientId);
      return {
        externalId: [envelope, type, generated, ...(recipient ? [recipient] : [])].join(":"),
        type,
        occurredAtMs: instant(generated),
        data,
      };
    },
    sensitiveHeaders: Array.from({ length: 10 }, (_, i) => `x-docusign-signature-${i + 1}`),
  },
  effects: {},
  connector,
};
