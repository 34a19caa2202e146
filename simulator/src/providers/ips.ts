// IPS Group SmartCity, API v2. The Stamford guide (docs/sources.md) gives the base URL (…/smartcity/v2), the
// `ApiKey <key>`
// authorization scheme and the sync operations (active sessions, violations, permits) but no wire
// format, so Curbgate documents the one it speaks in docs/integrations.md ("IPS SmartCity API"):
// JSON bodies, `Idempotency-Key` on writes, errors as `{ error: { code, message, details? } }`.
// Webhooks (the guide's list: permit.expired, violation.created, …) come from things that happen at IPS
// without an API call here, so they are raised through POST /_control/events/ips; they are sent in the
// envelope and X-IPS-Signature recipe docs/webhooks.md defines.
import { accountLabel, hmacSha256Hex, isDollars, json, objectId, schemeToken } from "../http";
import type { Account, SimProvider, SimRequest, WebhookFormat } from "../types";
import { codedError } from "../vendor-api";

interface IpsSession {
  id: string;
  licensePlate: string;
  state: string | null;
  zoneNumber: string;
  startTime: string;
  endTime: string;
  amountCents: number;
  status: "ACTIVE";
  syncedAt: string;
}

type Held = Record<string, unknown> & { syncedAt: string };

const KEY = /^ips_[A-Za-z0-9_]{8,}$/;
const MAX_BATCH = 500;
const sessions = new Map<string, Map<string, IpsSession>>();
const storeOf = (a: Account) => sessions.get(a.id) ?? sessions.set(a.id, new Map()).get(a.id)!;
// Violations by violationId and permits by number, per account (Curbgate's enforcement sync, docs/integrations.md).
const violations = new Map<string, Map<string, Held>>();
const permits = new Map<string, Map<string, Held>>();
const heldBy = (m: Map<string, Map<string, Held>>, a: Account) => m.get(a.id) ?? m.set(a.id, new Map()).get(a.id)!;
const accountOf = (key: string): Account | null => (KEY.test(key) ? { id: accountLabel(key), live: !key.startsWith("ips_test_") } : null);

const webhooks: WebhookFormat = {
  accountOf,
  envelope(event) {
    const id = objectId("evt_");
    return { id, body: { id, type: event.type, timestamp: new Date().toISOString(), data: event.object } };
  },
  async sign(secret, t, body) {
    return { "X-IPS-Timestamp": String(t), "X-IPS-Signature": `sha256=${await hmacSha256Hex(secret, `${t}.${body}`)}` };
  },
};

const error = codedError;

const isInstant = (v: unknown) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(Date.parse(v));

function problemsOf(s: Record<string, unknown>, index: number) {
  const out: { index: number; field: string; message: string }[] = [];
  const bad = (field: string, message: string) => out.push({ index, field, message });
  if (typeof s.id !== "string" || !s.id) bad("id", "required");
  if (typeof s.licensePlate !== "string" || !/^[A-Z0-9]{1,20}$/.test(s.licensePlate)) bad("licensePlate", "1-20 upper-case letters or digits");
  if (s.state !== undefined && s.state !== null && (typeof s.state !== "string" || !/^[A-Z]{2,3}$/.test(s.state))) bad("state", "two or three letters");
  if (typeof s.zoneNumber !== "string" || !s.zoneNumber) bad("zoneNumber", "required");
  if (!isInstant(s.startTime)) bad("startTime", "ISO 8601 instant");
  if (!isInstant(s.endTime) || (isInstant(s.startTime) && Date.parse(s.endTime as string) <= Date.parse(s.startTime as string))) bad("endTime", "ISO 8601 instant after startTime");
  if (!Number.isInteger(s.amountCents) || (s.amountCents as number) < 0) bad("amountCents", "whole cents, 0 or more");
  if (s.status !== "ACTIVE") bad("status", "must be ACTIVE");
  return out;
}

function syncSessions(r: SimRequest, a: Account) {
  const list = r.fields.sessions;
  if (!Array.isArray(list)) return error(422, "sessions must be an array", "VALIDATION_FAILED");
  if (list.length > MAX_BATCH) return error(413, `At most ${MAX_BATCH} sessions per request`, "BATCH_TOO_LARGE");
  const details = list.flatMap((s, i) => (s && typeof s === "object" ? problemsOf(s as Record<string, unknown>, i) : [{ index: i, field: "", message: "must be an object" }]));
  if (details.length) return error(422, "Some sessions are invalid", "VALIDATION_FAILED", details);
  const store = storeOf(a);
  const syncedAt = new Date().toISOString();
  let created = 0;
  for (const s of list as IpsSession[]) {
    if (!store.has(s.id)) created++;
    store.set(s.id, { id: s.id, licensePlate: s.licensePlate, state: s.state ?? null, zoneNumber: s.zoneNumber, startTime: s.startTime, endTime: s.endTime, amountCents: s.amountCents, status: "ACTIVE", syncedAt });
  }
  return json({ syncId: objectId("sync_"), received: list.length, created, updated: list.length - created, syncedAt });
}

const PLATE = /^[A-Z0-9]{1,20}$/;
const STATE = /^[A-Z]{2,3}$/;
const isText = (v: unknown) => typeof v === "string" && v.length > 0;
const isNullOr = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || v === null || ok(v);

function violationProblems(v: Record<string, unknown>, index: number) {
  const out: { index: number; field: string; message: string }[] = [];
  const bad = (field: string, message: string) => out.push({ index, field, message });
  const location = (v.location ?? {}) as Record<string, unknown>;
  if (!isText(v.violationId)) bad("violationId", "required");
  if (!["PENDING", "ISSUED", "CANCELLED"].includes(v.status as string)) bad("status", "PENDING, ISSUED or CANCELLED");
  if (!isInstant(v.timestamp)) bad("timestamp", "ISO 8601 instant");
  if (typeof v.licensePlate !== "string" || !PLATE.test(v.licensePlate)) bad("licensePlate", "1-20 upper-case letters or digits");
  if (!isNullOr(v.state, (s) => typeof s === "string" && STATE.test(s))) bad("state", "two or three letters");
  if (!isText(location.zoneNumber)) bad("location.zoneNumber", "required");
  if (!isText(v.violationType)) bad("violationType", "required");
  if (!isNullOr(v.fineAmount, isDollars)) bad("fineAmount", "dollars with at most two decimals");
  if (!isNullOr(v.evidence, Array.isArray)) bad("evidence", "a list");
  return out;
}

function permitProblems(p: Record<string, unknown>, index: number) {
  const out: { index: number; field: string; message: string }[] = [];
  const bad = (field: string, message: string) => out.push({ index, field, message });
  if (!isText(p.number)) bad("number", "required");
  if (!["RESIDENTIAL", "BUSINESS", "VISITOR"].includes(p.type as string)) bad("type", "RESIDENTIAL, BUSINESS or VISITOR");
  if (typeof p.licensePlate !== "string" || !PLATE.test(p.licensePlate)) bad("licensePlate", "1-20 upper-case letters or digits");
  if (!isNullOr(p.state, (s) => typeof s === "string" && STATE.test(s))) bad("state", "two or three letters");
  if (!Array.isArray(p.zones) || p.zones.length === 0 || !p.zones.every(isText)) bad("zones", "a non-empty list of zone numbers");
  if (!isInstant(p.validFrom)) bad("validFrom", "ISO 8601 instant");
  if (!isInstant(p.validUntil) || (isInstant(p.validFrom) && Date.parse(p.validUntil as string) <= Date.parse(p.validFrom as string))) bad("validUntil", "ISO 8601 instant after validFrom");
  if (!["ACTIVE", "REVOKED"].includes(p.status as string)) bad("status", "ACTIVE or REVOKED");
  return out;
}

/** One batch of violations or permits, upserted by `key` once the whole batch checks out. */
function syncHeld(r: SimRequest, store: Map<string, Held>, field: "violations" | "permits", key: string, problems: (x: Record<string, unknown>, i: number) => unknown[]) {
  const list = r.fields[field];
  if (!Array.isArray(list)) return error(422, `${field} must be an array`, "VALIDATION_FAILED");
  if (list.length > MAX_BATCH) return error(413, `At most ${MAX_BATCH} ${field} per request`, "BATCH_TOO_LARGE");
  const details = list.flatMap((x, i) => (x && typeof x === "object" ? problems(x as Record<string, unknown>, i) : [{ index: i, field: "", message: "must be an object" }]));
  if (details.length) return error(422, `Some ${field} are invalid`, "VALIDATION_FAILED", details);
  const syncedAt = new Date().toISOString();
  let created = 0;
  for (const x of list as Record<string, unknown>[]) {
    const id = x[key] as string;
    if (!store.has(id)) created++;
    store.set(id, { ...x, syncedAt });
  }
  return json({ syncId: objectId("sync_"), received: list.length, created, updated: list.length - created, syncedAt });
}

/** A page of held records whose `field` equals the query parameter of the same name, when given. */
function listHeld(r: SimRequest, store: Map<string, Held>, filters: [param: string, read: (x: Held) => unknown][]) {
  const limit = Math.min(500, Math.max(1, Number(r.url.searchParams.get("limit") ?? 100) || 100));
  const offset = Math.max(0, Number(r.url.searchParams.get("offset") ?? 0) || 0);
  const all = [...store.values()].filter((x) => filters.every(([param, read]) => !r.url.searchParams.has(param) || read(x) === r.url.searchParams.get(param)));
  return json({ data: all.slice(offset, offset + limit), total: all.length, limit, offset });
}

function listSessions(r: SimRequest, a: Account) {
  const zone = r.url.searchParams.get("zoneNumber");
  const limit = Math.min(500, Math.max(1, Number(r.url.searchParams.get("limit") ?? 100) || 100));
  const offset = Math.max(0, Number(r.url.searchParams.get("offset") ?? 0) || 0);
  const all = [...storeOf(a).values()].filter((s) => !zone || s.zoneNumber === zone);
  return json({ data: all.slice(offset, offset + limit), total: all.length, limit, offset });
}

export const ips: SimProvider = {
  name: "ips",
  idempotencyHeader: "idempotency-key",
  webhooks,
  isPublic: (r) => r.method === "GET" && r.path === "/smartcity/v2/health",
  authenticate(r) {
    const key = schemeToken(r.req, "ApiKey");
    return (key && accountOf(key)) || error(401, "Missing or invalid API key; send Authorization: ApiKey <key>");
  },
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    if (route === "GET /smartcity/v2/health") return json({ status: "ok", time: new Date().toISOString() });
    if (route === "GET /smartcity/v2/account")
      return json({ clientId: r.req.headers.get("x-client-id"), environment: a!.live ? "production" : "sandbox", sessionsOnFile: storeOf(a!).size, violationsOnFile: heldBy(violations, a!).size, permitsOnFile: heldBy(permits, a!).size });
    if (route === "POST /smartcity/v2/sessions/sync") return syncSessions(r, a!);
    if (route === "GET /smartcity/v2/sessions") return listSessions(r, a!);
    if (route === "POST /smartcity/v2/violations/sync") return syncHeld(r, heldBy(violations, a!), "violations", "violationId", violationProblems);
    if (route === "GET /smartcity/v2/violations")
      return listHeld(r, heldBy(violations, a!), [["status", (v) => v.status], ["zoneNumber", (v) => (v.location as Record<string, unknown> | undefined)?.zoneNumber]]);
    if (route === "POST /smartcity/v2/permits/sync") return syncHeld(r, heldBy(permits, a!), "permits", "number", permitProblems);
    if (route === "GET /smartcity/v2/permits") return listHeld(r, heldBy(permits, a!), [["type", (p) => p.type], ["status", (p) => p.status]]);
    return error(404, `No route ${route}`);
  },
  error: (status, message, code) => error(status, message, code),
  reset: () => {
    sessions.clear();
    violations.clear();
    permits.clear();
  },
};
