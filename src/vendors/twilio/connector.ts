// Twilio Programmable Messaging (twilio.com/docs/messaging/api/message-resource), entity "sms":
// push sends params.body to params.to from the connection's sending number. Basic auth with the
// Account SID and auth token. Twilio's Messages API takes no idempotency key: a job retried after
// an ambiguous failure (a timeout after Twilio accepted the message) can send the SMS twice; a
// refused or failed call (429, 5xx, breaker open) sends nothing, so those retries are safe. The same
// send is the `messaging` capability (channel "sms") the domain texts drivers through.
import { basicAuth } from "../../lib/bytes";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";
import { invalidParams, requiredString, stringParam } from "../../sync/params";

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_BODY = 1600; // Twilio's limit on a concatenated message

const GSM =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

/** Billable SMS segments: 160 GSM-7 septets fit one, 153 per part when split; 70 / 67 UCS-2 units otherwise. */
export function smsSegments(body: string): number {
  let septets = 0;
  for (const ch of body) {
    if (GSM.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

interface TwilioMessage {
  sid: string;
  status: string;
  num_segments: string;
}

/** One SMS from the connection's sending number (or `from`); Twilio bills it per segment. */
async function sendText(ctx: ConnectorContext, to: string, body: string, from?: string) {
  if (!E164.test(to)) throw invalidParams("to is not an E.164 number");
  if (body.length === 0 || body.length > MAX_BODY) throw invalidParams(`body must be 1 to ${MAX_BODY} characters`);
  const sender =
    from ?? ctx.credentials.fromNumber ?? (typeof ctx.settings.fromNumber === "string" ? ctx.settings.fromNumber : undefined);
  if (!sender) throw invalidParams("no sending number: set params.from or the connection's fromNumber");
  const segments = smsSegments(body);
  const res = await ctx.call<TwilioMessage>({
    method: "POST",
    path: `/2010-04-01/Accounts/${encodeURIComponent(ctx.credentials.accountSid ?? "")}/Messages.json`,
    form: true,
    body: { To: to, From: sender, Body: body },
    units: segments, // Twilio bills per segment
    idempotencyKey: ctx.key("sms"), // not sent (no header); kept in the call log to trace the job
  });
  return { sid: res.body.sid, status: res.body.status, segments: Number(res.body.num_segments) || segments };
}

async function sendSms(ctx: ConnectorContext, job: SyncJobInput) {
  const sent = await sendText(
    ctx,
    requiredString(job.params, "to"),
    requiredString(job.params, "body"),
    stringParam(job.params, "from", E164),
  );
  return { records: 1, detail: { messageSid: sent.sid, status: sent.status, segments: sent.segments } };
}

export const connector: Connector = {
  provider: "twilio",
  defaultBaseUrl: "https://api.twilio.com",
  authorize: (headers, credentials) =>
    headers.set("authorization", basicAuth(credentials.accountSid ?? "", credentials.authToken ?? "")),
  idempotencyHeader: undefined, // the Messages API has none; see the note at the top
  rateLimitPerMinute: 60, // a US long code sends one segment per second
  async test(ctx) {
    const res = await ctx.call<{ status: string; type: string }>({
      method: "GET",
      path: `/2010-04-01/Accounts/${encodeURIComponent(ctx.credentials.accountSid ?? "")}.json`,
    });
    return { accountStatus: res.body.status, accountType: res.body.type };
  },
  messaging: {
    channel: "sms",
    // No dedupeWindowMs: Twilio never drops a resend, so a send that timed out is not sent again.
    async send(ctx, msg) {
      const sent = await sendText(ctx, msg.to, msg.text);
      return { messageId: sent.sid, status: sent.status };
    },
  },
  entities: {
    sms: {
      directions: ["push"],
      description: "Push: send params.body to params.to (E.164), from params.from or the connection's fromNumber.",
      run: sendSms,
    },
  },
  // The Messages resource's create parameters (twilio.com/docs/messaging/api/message-resource).
  fields: {
    sms: [
      { name: "To", type: "string", required: true, description: "E.164 destination" },
      { name: "From", type: "string", description: "E.164 sender; the connection's fromNumber when absent" },
      { name: "Body", type: "string", required: true, description: "Up to 1 600 characters" },
    ],
  },
  mappings: {
    sms: {
      curbgate: "message",
      direction: "outbound",
      templates: {
        default: [
          { from: "to", to: "To" },
          { from: "from", to: "From" },
          { from: "text", to: "Body" },
        ],
      },
    },
  },
};
