// Zoom Meetings API v2, as Zoom documents it: OAuth 2 (authorize at /oauth/authorize with PKCE,
// tokens at /oauth/token with the client secret by HTTP Basic; every refresh rotates the refresh
// token and the old one stops working), bearer tokens on /v2, JSON, errors as { code, message }
// (124 for a bad or expired token), no idempotency key. Only what the connector uses: the user,
// scheduling a meeting, listing scheduled meetings (next_page_token pagination).
import { json } from "../http";
import { OAuthServer } from "../oauth";
import type { Account, SimProvider, SimRequest } from "../types";

interface Meeting { id: number; uuid: string; host_id: string; topic: string; type: number; start_time: string; duration: number; timezone: string; agenda?: string; join_url: string; created_at: string }

const meetings = new Map<string, Meeting[]>();
const mine = (a: Account) => meetings.get(a.id) ?? meetings.set(a.id, []).get(a.id)!;
let nextId = 81_000_000_000;

function error(status: number, message: string, code?: string) {
  const numeric = code && /^\d+$/.test(code) ? Number(code) : status === 401 ? 124 : status === 404 ? 3001 : status === 429 ? 429 : status >= 500 ? 5000 : 300;
  return json({ code: numeric, message }, status);
}

const oauth = new OAuthServer({
  authorizePath: "/oauth/authorize",
  tokenPath: "/oauth/token",
  clientAuth: "basic",
  defaults: { accessTokenTtlSeconds: 3600, refresh: "rotate", autoApprove: true },
});

function schedule(r: SimRequest, a: Account) {
  const f = r.fields;
  if (typeof f.topic !== "string" || f.topic.length === 0 || f.topic.length > 200) return error(400, "Validation Failed.", "300");
  if (f.type !== 2 || typeof f.start_time !== "string" || Number.isNaN(Date.parse(f.start_time))) return error(400, "Invalid field: start_time.", "300");
  const duration = typeof f.duration === "number" && Number.isInteger(f.duration) && f.duration > 0 ? f.duration : 60;
  const id = nextId++;
  const meeting: Meeting = {
    id, uuid: btoa(crypto.randomUUID()).slice(0, 22), host_id: a.id, topic: f.topic, type: 2, start_time: new Date(Date.parse(f.start_time)).toISOString().replace(/\.\d{3}Z$/, "Z"), duration,
    timezone: typeof f.timezone === "string" ? f.timezone : "UTC", ...(typeof f.agenda === "string" ? { agenda: f.agenda } : {}), join_url: `https://zoom.us/j/${id}`, created_at: new Date().toISOString(),
  };
  mine(a).push(meeting);
  return json(meeting, 201);
}

function list(r: SimRequest, a: Account) {
  const q = r.url.searchParams;
  const size = Math.min(300, Math.max(1, Number(q.get("page_size") ?? 30) || 30));
  const start = Number(q.get("next_page_token") || 0) || 0;
  const all = mine(a);
  const page = all.slice(start, start + size);
  const next = start + size < all.length ? String(start + size) : "";
  return json({ page_size: size, total_records: all.length, next_page_token: next, meetings: page });
}

export const zoom: SimProvider = {
  name: "zoom",
  oauth,
  authenticate: (r) => oauth.authenticate(r, (message) => error(401, message, "124")),
  handle(r, account) {
    const a = account!;
    const route = `${r.method} ${r.path}`;
    if (route === "GET /v2/users/me") return json({ id: a.id, account_id: `acct_${a.id}`, type: 1, status: "active" });
    if (route === "POST /v2/users/me/meetings") return schedule(r, a);
    if (route === "GET /v2/users/me/meetings") return list(r, a);
    return error(404, `No route ${route}`);
  },
  error,
  reset: () => meetings.clear(),
};
