// Mailchimp Marketing API 3.0, as Mailchimp documents it: OAuth 2 (authorize at /oauth2/authorize,
// tokens at /oauth2/token with the client secret in the form; tokens never expire and come without a
// refresh token), the metadata endpoint (`Authorization: OAuth <token>`) naming the data centre, or an
// API key by HTTP Basic; members addressed by the MD5 of the lower-cased address, PUT as an upsert;
// errors as RFC 7807-style { type, title, status, detail, instance }.
import { accountLabel, basicAuth, json } from "../http";
import { OAuthServer } from "../oauth";
import type { Account, SimProvider, SimRequest } from "../types";

interface Member { id: string; email_address: string; unique_email_id: string; status: string; merge_fields: Record<string, unknown>; list_id: string; last_changed: string }

const DC = "us21";
const API_KEY = /^[0-9a-f]{32}-us\d{1,3}$/;
const STATUSES = new Set(["subscribed", "unsubscribed", "cleaned", "pending", "transactional"]);
const audiences = new Map<string, Map<string, Member>>();
const audience = (a: Account, list: string) => {
  const key = `${a.id}:${list}`;
  return audiences.get(key) ?? audiences.set(key, new Map()).get(key)!;
};
const md5 = async (text: string) => Array.from(new Uint8Array(await crypto.subtle.digest("MD5", new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, "0")).join("");

const TITLES: Record<number, string> = { 400: "Invalid Resource", 401: "API Key Invalid", 403: "Forbidden", 404: "Resource Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable" };
function error(status: number, message: string) {
  return json({ type: "https://mailchimp.com/developer/marketing/docs/errors/", title: TITLES[status] ?? "Error", status, detail: message, instance: crypto.randomUUID() }, status, { "content-type": "application/problem+json" });
}

const oauth = new OAuthServer({
  authorizePath: "/oauth2/authorize",
  tokenPath: "/oauth2/token",
  clientAuth: "body",
  issuesRefreshTokens: false,
  defaults: { accessTokenTtlSeconds: null, refresh: "omit", autoApprove: true },
});

async function upsert(r: SimRequest, a: Account, list: string, hash: string) {
  const email = r.fields.email_address;
  if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(email)) return error(400, "The resource submitted could not be validated. email_address: This value should be a valid email.");
  if ((await md5(email.toLowerCase())) !== hash) return error(400, "The subscriber hash does not match the email address.");
  const members = audience(a, list);
  const existing = members.get(hash);
  const status = existing?.status ?? r.fields.status_if_new ?? r.fields.status ?? "subscribed";
  if (typeof status !== "string" || !STATUSES.has(status)) return error(400, "Invalid status.");
  const member: Member = {
    id: hash, email_address: email, unique_email_id: existing?.unique_email_id ?? hash.slice(0, 10), status, list_id: list, last_changed: new Date().toISOString(),
    merge_fields: { ...existing?.merge_fields, ...(r.fields.merge_fields && typeof r.fields.merge_fields === "object" ? (r.fields.merge_fields as Record<string, unknown>) : {}) },
  };
  members.set(hash, member);
  return json(member);
}

function listMembers(r: SimRequest, a: Account, list: string) {
  const q = r.url.searchParams;
  const count = Math.min(1000, Math.max(1, Number(q.get("count") ?? 10) || 10));
  const offset = Math.max(0, Number(q.get("offset") ?? 0) || 0);
  const since = q.get("since_last_changed") ? Date.parse(q.get("since_last_changed")!) : null;
  const all = [...audience(a, list).values()].filter((m) => since === null || Date.parse(m.last_changed) >= since);
  return json({ members: all.slice(offset, offset + count), list_id: list, total_items: all.length });
}

const MEMBER = /^\/3\.0\/lists\/([a-z0-9]+)\/members(?:\/([0-9a-f]{32}))?$/;

export const mailchimp: SimProvider = {
  name: "mailchimp",
  oauth,
  authenticate(r) {
    const basic = basicAuth(r.req);
    if (basic) return API_KEY.test(basic.password) ? { id: accountLabel(basic.password), live: true } : error(401, "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
    return oauth.authenticate(r, (message) => error(401, message), "OAuth");
  },
  async handle(r, account) {
    const a = account!;
    if (r.method === "GET" && r.path === "/oauth2/metadata")
      return json({ dc: DC, role: "owner", accountname: "Simulated City", user_id: 1, login: { login_id: 1, login_name: "city" }, login_url: "https://login.mailchimp.com", api_endpoint: `https://${DC}.api.mailchimp.com` });
    if (r.method === "GET" && r.path === "/3.0/ping") return json({ health_status: "Everything's Chimpy!" });
    const m = r.path.match(MEMBER);
    if (m && m[2] && r.method === "PUT") return upsert(r, a, m[1]!, m[2]);
    if (m && !m[2] && r.method === "GET") return listMembers(r, a, m[1]!);
    return error(404, `The requested resource could not be found: ${r.method} ${r.path}`);
  },
  error,
  reset: () => audiences.clear(),
};
