// Twilio Programmable Messaging, as documented at twilio.com/docs/messaging/api/message-resource:
// HTTP Basic auth with the Account SID and auth token, form-encoded bodies, JSON answers, errors as
// `{ code, message, more_info, status }`. The Messages API takes no idempotency key, so none is
// honoured here either: a retried send after an ambiguous failure is a second SMS, as at Twilio.
import { accountLabel, basicAuth, json, objectId } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";

const SID = /^AC[0-9a-f]{32}$/;
const TOKEN = /^[0-9a-f]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const ROUTE = /^\/2010-04-01\/Accounts\/([^/]+?)(\.json|\/Messages\.json)$/;
const MAX_BODY = 1600;
const messages = new Map<string, unknown[]>();

function error(status: number, message: string, code?: string) {
  const numeric = code && /^\d+$/.test(code) ? Number(code) : status === 401 ? 20003 : status === 404 ? 20404 : status === 429 ? 20429 : 20500;
  return json({ code: numeric, message, more_info: `https://www.twilio.com/docs/errors/${numeric}`, status }, status);
}

const GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

// Deliberately the simulator's own count, not an import of src/vendors/twilio/connector.ts: it plays
// Twilio, so a miscount in our connector shows up as a disagreement in tests.
/** SMS segments: 160 GSM-7 septets in one, 153 per part when split; 70 / 67 UCS-2 units otherwise. */
export function segments(body: string): number {
  let septets = 0;
  for (const ch of body) {
    if (GSM.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

const rfc2822 = (d = new Date()) => d.toUTCString().replace("GMT", "+0000");

function sendMessage(r: SimRequest, sid: string) {
  const f = r.fields;
  const to = typeof f.To === "string" ? f.To : "";
  const from = typeof f.From === "string" ? f.From : "";
  const body = typeof f.Body === "string" ? f.Body : "";
  if (!to) return error(400, "A 'To' phone number is required.", "21604");
  if (!E164.test(to)) return error(400, `The 'To' number ${to} is not a valid phone number.`, "21211");
  if (!from && typeof f.MessagingServiceSid !== "string") return error(400, "A 'From' phone number is required.", "21603");
  if (!body) return error(400, "Message body is required.", "21602");
  if (body.length > MAX_BODY) return error(400, "The concatenated message body exceeds the 1600 character limit.", "21617");
  const messageSid = objectId("SM", 32, true);
  const now = rfc2822();
  const message = {
    account_sid: sid, api_version: "2010-04-01", body, date_created: now, date_sent: null, date_updated: now, direction: "outbound-api",
    error_code: null, error_message: null, from: from || null, messaging_service_sid: typeof f.MessagingServiceSid === "string" ? f.MessagingServiceSid : null,
    num_media: "0", num_segments: String(segments(body)), price: null, price_unit: "USD", sid: messageSid, status: "queued", to,
    subresource_uris: { media: `/2010-04-01/Accounts/${sid}/Messages/${messageSid}/Media.json` }, uri: `/2010-04-01/Accounts/${sid}/Messages/${messageSid}.json`,
  };
  (messages.get(sid) ?? messages.set(sid, []).get(sid)!).push(message);
  return json(message, 201);
}

export const twilio: SimProvider = {
  name: "twilio",
  authenticate(r) {
    const creds = basicAuth(r.req);
    if (!creds || !SID.test(creds.user) || !TOKEN.test(creds.password)) return error(401, "Authenticate");
    return { id: accountLabel(`${creds.user}:${creds.password}`), live: true };
  },
  handle(r, _account: Account | null) {
    const m = r.path.match(ROUTE);
    const authSid = basicAuth(r.req)?.user;
    if (!m) return error(404, `The requested resource ${r.path} was not found`);
    // A token only opens its own account; another account's URL is "not found", as at Twilio.
    if (m[1] !== authSid) return error(404, `The requested resource ${r.path} was not found`);
    if (m[2] === ".json" && r.method === "GET")
      return json({ sid: authSid, friendly_name: "Curbgate simulator account", status: "active", type: "Full", date_created: rfc2822(new Date(Date.UTC(2024, 0, 1))) });
    if (m[2] === "/Messages.json" && r.method === "POST") return sendMessage(r, m[1]!);
    return error(405, "Method not allowed", "20004");
  },
  error,
  reset: () => messages.clear(),
};
