// Brevo, as documented at developers.brevo.com: the `api-key` header, JSON bodies, errors as
// `{ code, message }`. Transactional email (POST /v3/smtp/email → 201 {messageId}), where an
// `idempotencyKey` UUID in the message's `headers` makes a resend replay the first answer; contacts
// (POST /v3/contacts with updateEnabled → 201 {id} new, 204 updated; GET /v3/contacts/{email});
// the account (GET /v3/account). Keys are kept for the simulator's lifetime, not Brevo's 30 minutes.
import { accountLabel, json, objectId } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";

interface BrevoContact {
  id: number;
  email: string;
  attributes: Record<string, string>;
  listIds: number[];
  createdAt: string;
  modifiedAt: string;
}
interface Store { contacts: Map<string, BrevoContact>; emails: number }

const KEY = /^xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const accounts = new Map<string, Store>();
let nextContactId = 1;
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, { contacts: new Map(), emails: 0 }).get(a.id)!;

function error(status: number, message: string, code?: string) {
  const fallback = status === 401 ? "unauthorized" : status === 404 ? "document_not_found" : status === 429 ? "too_many_requests" : status >= 500 ? "internal_error" : "invalid_parameter";
  return json({ code: code ?? fallback, message }, status);
}
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function sendEmail(r: SimRequest, a: Account) {
  const f = r.fields;
  if (!isRecord(f.sender) || typeof f.sender.email !== "string") return error(400, "sender is missing", "missing_parameter");
  if (!EMAIL.test(f.sender.email)) return error(400, "valid sender email required", "invalid_parameter");
  if (!Array.isArray(f.to) || f.to.length === 0) return error(400, "to is missing", "missing_parameter");
  if (!f.to.every((t) => isRecord(t) && typeof t.email === "string" && EMAIL.test(t.email))) return error(400, "email is not valid in to", "invalid_parameter");
  if (f.templateId === undefined && (typeof f.subject !== "string" || !f.subject)) return error(400, "subject is missing", "missing_parameter");
  if (f.templateId === undefined && typeof f.htmlContent !== "string" && typeof f.textContent !== "string") return error(400, "htmlContent or textContent is missing", "missing_parameter");
  const key = isRecord(f.headers) ? f.headers.idempotencyKey : undefined;
  if (key !== undefined && (typeof key !== "string" || !UUID.test(key))) return error(400, "idempotencyKey must be a UUID", "invalid_parameter");
  storeOf(a).emails++;
  return json({ messageId: `<${objectId("", 24)}@smtp-relay.mailin.fr>` }, 201);
}

function upsertContact(r: SimRequest, a: Account) {
  const f = r.fields;
  if (typeof f.email !== "string" || !EMAIL.test(f.email)) return error(400, "Invalid email address", "invalid_parameter");
  const store = storeOf(a).contacts;
  const email = f.email.toLowerCase();
  const attributes = isRecord(f.attributes) ? Object.fromEntries(Object.entries(f.attributes).map(([k, v]) => [k.toUpperCase(), String(v)])) : {};
  const listIds = Array.isArray(f.listIds) ? f.listIds.filter((i): i is number => Number.isInteger(i)) : [];
  const now = new Date().toISOString();
  const existing = store.get(email);
  if (existing) {
    if (f.updateEnabled !== true) return error(400, "Contact already exist", "duplicate_parameter");
    existing.attributes = { ...existing.attributes, ...attributes };
    existing.listIds = [...new Set([...existing.listIds, ...listIds])];
    existing.modifiedAt = now;
    return new Response(null, { status: 204 });
  }
  const contact = { id: nextContactId++, email, attributes, listIds, createdAt: now, modifiedAt: now };
  store.set(email, contact);
  return json({ id: contact.id }, 201);
}

export const brevo: SimProvider = {
  name: "brevo",
  idempotencyKeyOf: (r) => (r.path === "/v3/smtp/email" && isRecord(r.fields.headers) && typeof r.fields.headers.idempotencyKey === "string" ? r.fields.headers.idempotencyKey : null),
  authenticate(r) {
    const key = r.req.headers.get("api-key");
    if (!key || !KEY.test(key)) return error(401, "Key not found", "unauthorized");
    return { id: accountLabel(key), live: true };
  },
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    if (route === "POST /v3/smtp/email") return sendEmail(r, a!);
    if (route === "POST /v3/contacts") return upsertContact(r, a!);
    const contact = r.method === "GET" && r.path.match(/^\/v3\/contacts\/([^/]+)$/);
    if (contact) {
      const found = storeOf(a!).contacts.get(decodeURIComponent(contact[1]!).toLowerCase());
      return found ? json(found) : error(404, "Contact does not exist", "document_not_found");
    }
    if (route === "GET /v3/account")
      return json({ email: "owner@simulator.test", companyName: "Curbgate simulator", plan: [{ type: "free", credits: 300 - storeOf(a!).emails, creditsType: "sendLimit" }] });
    return error(404, `Invalid route ${r.method} ${r.path}`, "not_found");
  },
  error,
  reset: () => accounts.clear(),
};
