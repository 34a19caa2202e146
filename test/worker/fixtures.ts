// Helpers shared by the workerd tests: a second tenant, keys with chosen scopes, request shortcuts.
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { vi } from "vitest";
import { SignJWT } from "jose";
import { sha256Hex } from "../../src/lib/crypto";
import { SCOPES } from "../../src/auth/principal";
import type { Bindings } from "../../src/env";
import { db } from "../../src/storage/db";
import { apiKeys, tenants, zones } from "../../src/storage/schema";
import worker from "../../src";

export const OFFICER = "cg_demo_officer";
export const APP = "cg_demo_app";
export const OTHER_TENANT_ADMIN = "cg_test_other_tenant_admin";
export const DEMO_ADMIN = "cg_test_demo_admin";
export const NO_SCOPES = "cg_test_demo_noscopes";

export async function addKey(env: Bindings, key: string, tenantId: string, scopes: string[], rateLimitPerMinute = 6000) {
  await db(env.DB)
    .insert(apiKeys)
    .values({
      id: `key_${key}`,
      tenantId,
      name: key,
      prefix: key.slice(0, 12),
      hash: await sha256Hex(key),
      scopes,
      rateLimitPerMinute,
    })
    .onConflictDoNothing();
}

const ALL = [
  "verify:read",
  "sessions:read",
  "sessions:write",
  "zones:read",
  "zones:write",
  "permits:read",
  "permits:write",
  "citations:read",
  "citations:write",
  "violations:read",
  "violations:write",
  "meters:read",
  "meters:write",
  "enforcement:admin",
];

/** "other" is a second city with its own zone A1, so codes collide on purpose. */
export async function seedOtherTenant(env: Bindings) {
  const database = db(env.DB);
  await database.insert(tenants).values({ id: "other", name: "Other City", timezone: "America/Chicago" }).onConflictDoNothing();
  await database
    .insert(zones)
    .values({
      tenantId: "other",
      code: "A1",
      name: "Other Main",
      timezone: "America/Chicago",
      updatedAt: Date.now(),
      rules: {
        rateSlots: [],
        enforcement: [{ days: ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"], start: "00:00", end: "24:00" }],
        graceMinutes: 0,
        maxStayMinutes: 60,
        incrementMinutes: 15,
      },
    })
    .onConflictDoNothing();
  await addKey(env, OTHER_TENANT_ADMIN, "other", ALL);
  await addKey(env, DEMO_ADMIN, "demo", ALL);
  await addKey(env, NO_SCOPES, "demo", []);
}

type Init = { method?: string; body?: unknown; key?: string | null; headers?: Record<string, string> };

/** Calls the worker the way a client would, through its fetch handler. */
export function call(path: string, init: Init = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? OFFICER}`;
  if (init.body !== undefined) headers["content-type"] ??= "application/json";
  return exports.default.fetch(
    new Request(`https://curbgate.test${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    }),
  );
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

// ---- Shared helpers for the route and Durable Object tests ----

const ALNUM = "ACEFGHJKLMNPRTUVWXY3456789"; // no O/Q/D/I/B/S/Z/0/1/2: random plates never fuzzy-match each other

/** A random uppercase suffix, so tests never share plates, zone codes or permit numbers. */
export function uniq(length = 8): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}
export const newPlate = () => `T${uniq(7)}`;
export const newZoneCode = () => `Z${uniq(7)}`;

export const ALL_DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"] as const;
export const WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI"] as const;
export type DayName = (typeof ALL_DAYS)[number];

export interface ZoneBody {
  code: string;
  name: string;
  timezone?: string;
  rateSlots: { days: readonly string[]; start: string; end: string; rateCentsPerHour: number }[];
  enforcement: { days: readonly string[]; start: string; end: string }[];
  graceMinutes: number;
  maxStayMinutes: number;
  incrementMinutes?: number;
  capacity?: number | null;
}

/** A zone that costs the same at every hour and is always enforced: prices do not depend on when a test runs. */
export function flatZone(overrides: Partial<ZoneBody> = {}): ZoneBody {
  return {
    code: newZoneCode(),
    name: "Test Flat Street",
    timezone: "America/New_York",
    rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 240 }],
    enforcement: [{ days: ALL_DAYS, start: "00:00", end: "24:00" }],
    graceMinutes: 5,
    maxStayMinutes: 120,
    incrementMinutes: 15,
    capacity: 50,
    ...overrides,
  };
}

/** Creates a zone through the API (DEMO_ADMIN unless another key is given) and returns its body as sent. */
export async function createZone(body: ZoneBody, key = DEMO_ADMIN): Promise<ZoneBody> {
  const res = await call("/v1/zones", { key, body });
  if (res.status !== 201) throw new Error(`zone create failed: ${res.status} ${await res.text()}`);
  return body;
}

/** The ZoneState of one tenant's zone, addressed the way the routes address it. */
export function zoneObject(env: Bindings, code: string, tenantId = "demo") {
  return env.ZONE_STATE.get(env.ZONE_STATE.idFromName(`${tenantId}:${code}`));
}

/**
 * Runs a zone's alarm (expiry, then history flush) now instead of waiting for it, until its outbox is
 * empty. The object's own alarm may be running at the same moment (it is due at once after a change),
 * so one run is not always enough; an empty outbox means every row has been acknowledged by D1.
 */
export async function drainZone(env: Bindings, code: string, tenantId = "demo") {
  const stub = zoneObject(env, code, tenantId);
  for (let attempt = 0; attempt < 50; attempt++) {
    await runDurableObjectAlarm(stub);
    if ((await stub.stats(Date.now())).outbox === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the outbox of zone ${tenantId}:${code} did not drain`);
}

/**
 * Flushes every inbox shard of one tenant's provider now (its alarm would within milliseconds): after
 * this, each accepted delivery has its "received" row in D1 and has been handed to the queue.
 */
export async function flushInboxes(env: Bindings, tenantId: string, provider: string) {
  for (let shard = 0; shard < 8; shard++) {
    const stub = env.WEBHOOK_INBOX.get(env.WEBHOOK_INBOX.idFromName(`${tenantId}:${provider}:${shard}`));
    for (let attempt = 0; ; attempt++) {
      await runDurableObjectAlarm(stub);
      if ((await stub.pendingCount()) === 0) break;
      if (attempt === 50) throw new Error(`inbox ${tenantId}:${provider}:${shard} did not flush`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** The D1 history row of one session, or null. */
export function historyRow(env: Bindings, id: string) {
  return env.DB.prepare("SELECT * FROM parking_sessions WHERE id = ?").bind(id).first<{
    id: string;
    tenant_id: string;
    zone: string;
    plate: string;
    state: string | null;
    start_at: number;
    end_at: number;
    paid_minutes: number;
    amount_cents: number;
    refund_cents: number;
    status: string;
    ended_at: number | null;
    version: number;
  }>();
}

/** Asserts an RFC 9457 problem response and returns its body. */
export async function problem(res: Response, status: number) {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  if (!res.headers.get("content-type")?.startsWith("application/problem+json"))
    throw new Error(`expected problem+json, got ${res.headers.get("content-type")}`);
  return JSON.parse(text) as {
    type: string;
    title: string;
    status: number;
    detail?: string;
    requestId?: string;
    errors?: { location: string; path: string; message: string }[];
  };
}

const localFormatters = new Map<string, Intl.DateTimeFormat>();
function localFields(tz: string, ms: number) {
  let f = localFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    localFormatters.set(tz, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return p as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** The UTC instant of a local wall-clock time ("2026-11-25", "17:30") in an IANA time zone, from Intl alone. */
export function localInstant(tz: string, ymd: string, hhmm: string): number {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, h, mi);
  const offsetAt = (ms: number) => {
    const p = localFields(tz, ms);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  };
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}

/**
 * The first local date 1..6 days from now (so any time that day is in the future and under 7 days ahead)
 * that falls on one of `days` in `tz`.
 */
export function upcomingDay(tz: string, days: readonly DayName[], nowMs = Date.now()): { ymd: string; day: DayName } {
  const today = localFields(tz, nowMs);
  for (let k = 1; k <= 6; k++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
    const day = ALL_DAYS[(date.getUTCDay() + 6) % 7]!;
    if (days.includes(day)) return { ymd: date.toISOString().slice(0, 10), day };
  }
  throw new Error(`no ${days.join("/")} within 6 days`);
}

// ---- Helpers for the plate-check, vendor, auth and rate-limit route tests ----

/** A problem response (see `problem`) whose `requestId` is the response's X-Request-Id. */
export async function expectProblem(res: Response, status: number) {
  const header = res.headers.get("x-request-id");
  const body = await problem(res, status);
  if (!header || body.requestId !== header) throw new Error(`problem requestId ${body.requestId} != X-Request-Id ${header}`);
  return body;
}

/** A whole UTC hour at least `aheadMs` from now; sessions may start there, since they may not start in the past. */
export const hourAhead = (aheadMs = 60 * 60_000) => Math.ceil((Date.now() + aheadMs) / 3_600_000) * 3_600_000;

/** The first whole hour at or after `fromMs` (within 8 days) whose local weekday and hour in `tz` satisfy `ok`. */
export function nextLocalHour(fromMs: number, tz: string, ok: (day: DayName, hour: number) => boolean): number {
  for (let t = Math.ceil(fromMs / 3_600_000) * 3_600_000; t < fromMs + 8 * 86_400_000; t += 3_600_000) {
    const p = localFields(tz, t);
    const day = ALL_DAYS[(new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7]!;
    if (ok(day, p.hour)) return t;
  }
  throw new Error(`no matching hour in ${tz}`);
}

/** Starts a session through POST /v1/sessions (driver-app key by default) and returns it as presented. */
/**
 * Sessions sold elsewhere (a meter, a vendor's app) put straight into the zone's object, past Curbgate's
 * sale rules: since a sale past the maximum stay is refused, an overstay can only be built this way.
 * Answers the sessions' ids in the order given.
 */
export async function importedSessions(
  env: Bindings,
  zone: string,
  rows: { plate: string; state?: string; minutes: number; startMs: number }[],
): Promise<string[]> {
  const stub = zoneObject(env, zone);
  await stub.importSessions(
    rows.map((r) => ({ plate: r.plate, state: r.state ?? null, startMs: r.startMs, minutes: r.minutes, amountCents: 0 })),
    Date.now(),
    true,
  );
  const listed = await stub.listActive(1000);
  if (!listed.ok) throw new Error(`zone ${zone} is not configured`);
  return rows.map((r) => {
    const found = listed.value.find((s) => s.plate === r.plate && s.startMs === r.startMs);
    if (!found) throw new Error(`imported session for ${r.plate} not found`);
    return found.id;
  });
}

export async function openSession(
  s: { plate: string; state?: string; zone: string; minutes: number; startMs?: number },
  key = APP,
) {
  const startTime = s.startMs === undefined ? undefined : new Date(s.startMs).toISOString();
  const res = await call("/v1/sessions", {
    key,
    body: { plate: s.plate, state: s.state, zone: s.zone, minutes: s.minutes, startTime },
  });
  if (res.status !== 201) throw new Error(`session start failed: ${res.status} ${await res.text()}`);
  return json<{
    id: string;
    zone: string;
    plate: string;
    state: string | null;
    startTime: string;
    endTime: string;
    amountCents: number;
  }>(res);
}

/** Issues a permit through POST /v1/permits (DEMO_ADMIN by default) and returns it as presented. */
export async function issuePermit(
  p: {
    plate: string;
    state?: string;
    zones: string[];
    type?: "RESIDENTIAL" | "BUSINESS" | "VISITOR";
    validFromMs?: number;
    validUntilMs?: number;
  },
  key = DEMO_ADMIN,
) {
  const res = await call("/v1/permits", {
    key,
    body: {
      plate: p.plate,
      state: p.state,
      type: p.type ?? "RESIDENTIAL",
      zones: p.zones,
      validFrom: p.validFromMs === undefined ? undefined : new Date(p.validFromMs).toISOString(),
      validUntil: new Date(p.validUntilMs ?? Date.now() + 86_400_000).toISOString(),
    },
  });
  if (res.status !== 201) throw new Error(`permit issue failed: ${res.status} ${await res.text()}`);
  return json<{
    id: string;
    plate: string;
    state: string | null;
    type: string;
    number: string;
    zones: string[];
    validFrom: string;
    validUntil: string;
    status: string;
  }>(res);
}

const b64url = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/**
 * A staff JWT shaped like the server's (HS256, iss "curbgate", aud "curbgate-api", claims sub/tid/role/email),
 * signed with the JWT_SECRET binding unless told otherwise; every part can be changed to forge one.
 */
export async function signStaffJwt(
  env: Bindings,
  claims: { sub?: string; tid?: string; role?: string; email?: string } = {},
  opts: { secret?: string; issuer?: string; audience?: string; iat?: number; exp?: number; alg?: "HS256" | "none" } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const body = { tid: claims.tid ?? "demo", role: claims.role ?? "tenant_admin", email: claims.email ?? "admin@demo.test" };
  const reg = {
    sub: claims.sub ?? "usr_demo_admin",
    iss: opts.issuer ?? "curbgate",
    aud: opts.audience ?? "curbgate-api",
    iat: opts.iat ?? now,
    exp: opts.exp ?? now + 900,
  };
  if (opts.alg === "none") return `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ ...body, ...reg })}.`;
  return new SignJWT(body)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(reg.sub)
    .setIssuer(reg.iss)
    .setAudience(reg.aud)
    .setIssuedAt(reg.iat)
    .setExpirationTime(reg.exp)
    .sign(new TextEncoder().encode(opts.secret ?? env.JWT_SECRET ?? ""));
}

/**
 * AIMS handhelds send a JSON body with a GET (the Stamford integration guide, docs/sources.md).
 * workerd delivers such requests with their body, but
 * the Request constructor refuses to build one, so this builds a POST, presents it as a GET, and hands it to
 * the worker's own fetch handler in this isolate.
 */
export async function callGetWithBody(env: Bindings, path: string, body: string, key: string | null = OFFICER) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const req = new Request(`https://curbgate.test${path}`, { method: "POST", headers, body });
  Object.defineProperty(req, "method", { value: "GET" });
  const ctx = createExecutionContext();
  const res = await worker.fetch(req, env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

// ---- Keys for the integrations and vault tests ----

/** Every scope, platform:admin included, on the demo tenant. */
export const PLATFORM_ADMIN = "cg_test_demo_platform_admin";
/** integrations:read only, on the demo tenant: may list, may not connect or disconnect. */
export const INTEGRATIONS_READER = "cg_test_demo_integrations_reader";
/** Full integrations rights on the "other" tenant: the attacker that has the right scopes but the wrong tenant. */
export const OTHER_INTEGRATIONS_ADMIN = "cg_test_other_integrations_admin";

/** Adds the keys above (idempotent); call from a test file's beforeAll. */
export async function seedIntegrationKeys(env: Bindings) {
  await addKey(env, PLATFORM_ADMIN, "demo", [...SCOPES]);
  await addKey(env, INTEGRATIONS_READER, "demo", ["integrations:read"]);
  await addKey(env, OTHER_INTEGRATIONS_ADMIN, "other", ["integrations:read", "integrations:write"]);
}

/**
 * The ways a secret could leak into stored or returned text: itself, hex, and base64/base64url at each
 * of the three byte alignments it could have inside a larger encoded blob (e.g. base64 of a JSON object).
 */
export function leakedForms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const forms = [secret, hex, hex.toUpperCase()];
  for (let pad = 0; pad < 3; pad++) {
    const b64 = btoa("\u0000".repeat(pad) + String.fromCharCode(...bytes));
    const whole = b64.slice(pad === 0 ? 0 : 4, -4); // only the groups made of the secret's own bytes
    forms.push(whole, whole.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms.filter((f) => f.length >= 8);
}

/** Throws if `text` contains the secret in any of its leaked forms. */
export function expectNoSecret(text: string, secret: string, where = "text") {
  for (const form of leakedForms(secret))
    if (text.includes(form)) throw new Error(`${where} contains the secret (as ${form.slice(0, 6)}…)`);
}

/** Every console line written while `fn` runs, for checking that no secret is logged. */
export async function logsDuring(fn: () => Promise<unknown>) {
  const lines: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" "))),
  );
  try {
    await fn();
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return lines.join("\n");
}
