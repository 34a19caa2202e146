// Twilio status callbacks and incoming messages: form posts signed with `X-Twilio-Signature`
// (JSON bodies carry `bodySHA256` in the URL instead). A message's status changes arrive as
// separate posts with the same MessageSid, so the dedupe key is `${MessageSid}:${MessageStatus}`
// (calls: `${CallSid}:${CallStatus}`). Messaging events are stored `unhandled` until reminders exist.
import { verifyTwilio } from "./signature";
import { formFields, isRecord, jsonObject, secretsOf, str, stringSetting } from "../shared/delivery";
import type { NormalizedEvent } from "../../webhooks/contract";
import type { Vendor } from "../types";
import { connector } from "./connector";

function fromFields(fields: Record<string, unknown>): NormalizedEvent | null {
  const message = str(fields.MessageSid);
  // Incoming messages carry SmsStatus=received and no MessageStatus.
  const messageStatus = str(fields.MessageStatus) ?? str(fields.SmsStatus);
  if (message && messageStatus)
    return { externalId: `${message}:${messageStatus}`, type: `message.${messageStatus}`, occurredAtMs: null, data: fields };
  const call = str(fields.CallSid);
  const callStatus = str(fields.CallStatus);
  if (call && callStatus)
    return { externalId: `${call}:${callStatus}`, type: `call.${callStatus}`, occurredAtMs: null, data: fields };
  return null;
}

export const twilio: Vendor = {
  id: "twilio",
  name: "Twilio",
  category: "messaging",
  auth: "api_key",
  credentialFields: [
    { name: "accountSid", label: "Account SID (AC\u2026)", secret: false, required: true },
    { name: "authToken", label: "Auth token; also signs webhooks", secret: true, required: true },
    {
      name: "previousAuthToken",
      label: "Previous auth token, while Twilio promotes the secondary token",
      secret: true,
      required: false,
    },
    { name: "fromNumber", label: "Sending number (+1\u2026)", secret: false, required: false },
  ],
  webhookSetup:
    "Twilio Console \u2192 Phone Numbers \u2192 Messaging \u2192 status callback URL. If a proxy changes the URL Twilio calls, set settings.webhookUrl to the URL as configured at Twilio.",
  webhook: {
    verify: (req, credentials, settings) =>
      verifyTwilio(req, secretsOf(credentials, "authToken", "previousAuthToken"), { url: stringSetting(settings, "webhookUrl") }),
    async parse(raw, headers) {
      const fields = formFields(raw, headers) ?? jsonObject(raw);
      return fields && isRecord(fields) ? fromFields(fields) : null;
    },
    sensitiveHeaders: ["x-twilio-signature"],
  },
  effects: {},
  connector,
};
