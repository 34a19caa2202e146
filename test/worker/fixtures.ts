// Helpers shared by the workerd tests: a second tenant, keys with chosen scopes, request shortcuts.
import { exports } from "cloudflare:workers";
import { sha256Hex } from "../../src/auth/crypto";
import type { Bindings } from "../../src/env";
import { db } from "../../src/storage/db";
import { apiKeys, tenants, zones } from "../../src/storage/schema";

export const OFFICER = "cg_demo_officer";
export const APP = "cg_demo_app";
export const OTHER_TENANT_ADMIN = "cg_test_other_tenant_admin";
export const DEMO_ADMIN = "cg_test_demo_admin";
export const NO_SCOPES = "cg_test_demo_noscopes";

export async function addKey(env: Bindings, key: string, tenantId: string, scopes: string[], rateLimitPerMinute = 6000) {
  await db(env.DB)
    .insert(apiKeys)
    .values({ id: `key_${key}`, tenantId, name: key, prefix: key.slice(0, 12), hash: await sha256Hex(key), scopes, rateLimitPerMinute })
    .onConflictDoNothing();
}

const ALL = ["verify:read", "sessions:read", "sessions:write", "zones:read", "zones:write", "permits:read", "permits:write", "citations:write"];

/** "other" is a second city with its own zone A1, so codes collide on purpose. */
export async function seedOtherTenant(env: Bindings) {
  const database = db(env.DB);
  await database.insert(tenants).values({ id: "other", name: "Other City", timezone: "America/Chicago" }).onConflictDoNothing();
  await database
    .insert(zones)
    .values({
      tenantId: "other", code: "A1", name: "Other Main", timezone: "America/Chicago", updatedAt: Date.now(),
      rules: { rateSlots: [], enforcement: [{ days: ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"], start: "00:00", end: "24:00" }], graceMinutes: 0, maxStayMinutes: 60, incrementMinutes: 15 },
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
