// The `demo` tenant as the scenarios need it: seeded, five API keys, the bench zones, live
// sessions, and a Stripe connection.
import { createHash, randomBytes } from "node:crypto";
import { call, expectStatus } from "./http.mjs";
import { HIT_PREFIX } from "./plates.mjs";
import { fail, log } from "./print.mjs";
import { RESERVE_CAPACITY, TENANT, ZONES } from "./settings.mjs";

// A Stripe test key in the format the provider simulator accepts (it refuses malformed keys, as Stripe does).
export const BENCH_STRIPE_KEY = "sk_test_curbgateBench00000001";

const ALL_DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

/** Bench-only API keys, written straight into D1 as the worker stores keys: hex SHA-256 plus prefix. */
async function insertKey(d1, name, scopes) {
  const key = `cg_test_bench_${name}_${randomBytes(12).toString("hex")}`;
  await d1
    .prepare(
      "INSERT INTO api_keys (id, tenant_id, name, prefix, hash, scopes, rate_limit_per_minute, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      `key_bench_${name}`,
      TENANT,
      `bench ${name}`,
      key.slice(0, 12),
      createHash("sha256").update(key).digest("hex"),
      JSON.stringify(scopes),
      10_000_000,
      Date.now(),
    )
    .run();
  return key;
}

const zoneBody = (code) => ({
  code,
  name: `Bench zone ${code}`,
  timezone: "America/New_York",
  rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 200 }],
  enforcement: [{ days: ALL_DAYS, start: "00:00", end: "24:00" }],
  graceMinutes: 5,
  maxStayMinutes: 1440,
  incrementMinutes: 15,
  capacity: code === ZONES.reserve ? RESERVE_CAPACITY : 100_000,
});

/** Seeds the demo tenant, gives it the bench's keys and creates the bench zones; returns the keys. */
export async function seedDemoTenant(base, d1) {
  await expectStatus(call(base, "POST", "/internal/dev/seed"), 200, "demo seed");
  const keys = {
    admin: await insertKey(d1, "admin", ["zones:read", "zones:write"]),
    officer: await insertKey(d1, "officer", ["verify:read"]),
    app: await insertKey(d1, "app", ["sessions:read", "sessions:write"]),
    webhooks: await insertKey(d1, "webhooks", ["integrations:write", "webhooks:read"]),
    citations: await insertKey(d1, "citations", ["citations:write"]),
  };
  for (const code of Object.values(ZONES))
    await expectStatus(call(base, "POST", "/v1/zones", { key: keys.admin, body: zoneBody(code) }), 201, `create zone ${code}`);
  return keys;
}

/** Live sessions for plates BV0000000 … through the dev-only import route (none reach D1 history). */
export const importSessions = (base, zone, count, what) =>
  expectStatus(call(base, "POST", `/internal/dev/zones/${zone}/import`, { body: { count, prefix: HIT_PREFIX } }), 201, what);

/** Connects Stripe for the tenant (its secrets go through the vault, VAULT_MASTER_KEYS); returns the webhook secret. */
export async function connectStripe(base, key) {
  const webhookSecret = `whsec_${randomBytes(24).toString("base64")}`;
  const connection = await call(base, "POST", "/v1/integrations/connections", {
    key,
    body: {
      provider: "stripe",
      credentials: { secretKey: BENCH_STRIPE_KEY, webhookSecret },
      // The sync scenario's calls go to the simulator, with Stripe's 25 calls/s lifted so the engine is measured.
      settings: { baseUrl: "http://simulator.curbgate.local/stripe", breaker: { rateLimitPerMinute: 6_000_000 } },
    },
  });
  if (connection.status !== 201 && connection.status !== 200)
    fail(`connect stripe: expected HTTP 201, got ${connection.status}: ${JSON.stringify(connection.json).slice(0, 500)}`);
  log(`• connected stripe for ${TENANT} (${connection.json.id}, ${connection.status === 201 ? "new" : "replaced"})`);
  return webhookSecret;
}
