// Twilio SendGrid v3, as documented at www.twilio.com/docs/sendgrid: `Authorization: Bearer SG.…`,
// JSON bodies, errors as `{ errors: [{ message, field, help }] }`. Mail send (POST /v3/mail/send →
// 202, no body, X-Message-Id) takes no idempotency key, so every accepted request is another email,
// exactly as at SendGrid. Marketing contacts (PUT /v3/marketing/contacts → 202 {job_id}, an upsert
// by email; POST /v3/marketing/contacts/search/emails) and the account (GET /v3/user/account).
import { accountLabel, json, objectId, schemeToken } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";

interface SgContact {
  id: string;
  email: string;
  first_name?: string;
  last_name?: string;
  phone_number?: string;
  list_ids: string[];
}
interface Store { contacts: Map<string, SgContact>; sent: number }

const KEY = /^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MAX_CONTACTS = 30_000;
const accounts = new Map<string, Store>();
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, { contacts: new Map(), sent: 0 }).get(a.id)!;

function error(status: number, message: string, field: string | null = null) {
  return json({ errors: [{ message, field, help: null }] }, status);
}
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const validAddress = (v: unknown) => isRecord(v) && typeof v.email === "string" && EMAIL.test(v.email);

function sendMail(r: SimRequest, a: Account) {
  const f = r.fields;
  const ps = f.personalizations;
  if (!Array.isArray(ps) || ps.length === 0) return error(400, "The personalizations field is required and must have at least one personalization.", "personalizations");
  for (const [i, p] of ps.entries()) {
    if (!isRecord(p) || !Array.isArray(p.to) || p.to.length === 0) return error(400, "The to array is required for all personalization objects, and must have at least one email object with a valid email address.", `personalizations.${i}.to`);
    if (!p.to.every(validAddress)) return error(400, "Does not contain a valid address.", `personalizations.${i}.to`);
  }
  if (!validAddress(f.from)) return error(400, "The from object must be provided for every email send. It is an object that requires an email parameter, but may also contain a name parameter.", "from");
  const subjectEverywhere = typeof f.subject === "string" && f.subject !== "" || ps.every((p) => typeof (p as Record<string, unknown>).subject === "string");
  if (!subjectEverywhere && f.template_id === undefined) return error(400, "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.", "subject");
  if (f.template_id === undefined && (!Array.isArray(f.content) || f.content.length === 0 || !f.content.every((c) => isRecord(c) && typeof c.type === "string" && typeof c.value === "string" && c.value !== "")))
    return error(400, "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.", "content");
  storeOf(a).sent++;
  return new Response(null, { status: 202, headers: { "x-message-id": objectId("", 22) } });
}

function upsertContacts(r: SimRequest, a: Account) {
  const list = r.fields.contacts;
  if (!Array.isArray(list) || list.length === 0) return error(400, "contacts is required and must have at least one contact", "contacts");
  if (list.length > MAX_CONTACTS) return error(400, `contacts may hold at most ${MAX_CONTACTS} contacts`, "contacts");
  const bad = list.findIndex((c) => !validAddress(c));
  if (bad >= 0) return error(400, "email is required and must be a valid email address", `contacts[${bad}].email`);
  const lists = Array.isArray(r.fields.list_ids) ? r.fields.list_ids.filter((l): l is string => typeof l === "string") : [];
  const store = storeOf(a).contacts;
  for (const c of list as Record<string, string>[]) {
    const email = c.email!.toLowerCase();
    const prior = store.get(email);
    store.set(email, {
      ...prior, id: prior?.id ?? crypto.randomUUID(), email, list_ids: [...new Set([...(prior?.list_ids ?? []), ...lists])],
      ...(c.first_name ? { first_name: c.first_name } : {}), ...(c.last_name ? { last_name: c.last_name } : {}), ...(c.phone_number ? { phone_number: c.phone_number } : {}),
    });
  }
  return json({ job_id: crypto.randomUUID() }, 202);
}

function searchEmails(r: SimRequest, a: Account) {
  const emails = Array.isArray(r.fields.emails) ? r.fields.emails.filter((e): e is string => typeof e === "string") : [];
  const result: Record<string, unknown> = {};
  for (const e of emails) {
    const c = storeOf(a).contacts.get(e.toLowerCase());
    result[e] = c ? { contact: c } : { error: "contact not found" };
  }
  return Object.values(result).some((v) => "contact" in (v as object)) ? json({ result }) : error(404, "No contacts found");
}

export const sendgrid: SimProvider = {
  name: "sendgrid",
  authenticate(r) {
    const key = schemeToken(r.req, "Bearer");
    if (!key || !KEY.test(key)) return error(401, "The provided authorization grant is invalid, expired, or revoked");
    return { id: accountLabel(key), live: true };
  },
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    if (route === "POST /v3/mail/send") return sendMail(r, a!);
    if (route === "PUT /v3/marketing/contacts") return upsertContacts(r, a!);
    if (route === "POST /v3/marketing/contacts/search/emails") return searchEmails(r, a!);
    if (route === "GET /v3/user/account") return json({ type: "paid", reputation: 99.5 });
    return error(404, `Not found: ${r.method} ${r.path}`);
  },
  error: (status, message) => error(status, message),
  reset: () => accounts.clear(),
};
