// Local-development only: the demo seed, a bulk session import and a provider-gate timing for benchmarks. Both answer 404
// unless ENVIRONMENT=development and DEMO_SEED=true.
import { Hono } from "hono";
import type { Context } from "hono";
import { connectDemoProviders } from "../../dev/demo-connections";
import { seedDemo } from "../../dev/seed";
import { DEMO_TENANT } from "../../dev/demo-data";
import { priceCents } from "../../domain/pricing";
import type { SeedSession } from "../../domain/sessions";
import type { AppEnv } from "../../env";
import { ApiError } from "../../http/problem";
import { gateFor } from "../../sync/call";
import { db } from "../../storage/db";
import { configureZone, zoneStub } from "../../storage/zone-state";
import { findZone, rulesOf } from "../../storage/zones";

const devOnly = (c: Context<AppEnv>) => c.env.ENVIRONMENT === "development" && c.env.DEMO_SEED === "true";

const MAX_IMPORT = 200_000;
const IMPORT_CHUNK = 5_000;
const PLATE = /^[A-Z0-9]{1,12}$/;

export const devRoutes = new Hono<AppEnv>()
  /** Body `{ simulatorUrl? }`: with it, the demo tenant is also connected to the provider simulator. */
  .post("/seed", async (c) => {
    if (!devOnly(c)) return c.notFound();
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const seeded = await seedDemo(c.env);
    const simulatorUrl =
      typeof body.simulatorUrl === "string" && /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(body.simulatorUrl)
        ? body.simulatorUrl
        : null;
    const providersConnected = simulatorUrl ? await connectDemoProviders(c.env, simulatorUrl) : [];
    return c.json({ ...seeded, providersConnected });
  })
  /**
   * Bulk-loads `count` live sessions into an existing zone of the demo tenant (or `tenant`), with
   * plates `${prefix}${i}` for i in [0, count) (i zero-padded to 7 digits) and state `state` (CT). Each session started
   * `startedMinutesAgo` (10) minutes ago and runs `minutes` (600). The sessions go straight into the
   * zone's Durable Object in chunks, and stay out of D1 history (these are fixtures, not parking).
   */
  .post("/zones/:code/import", async (c) => {
    if (!devOnly(c)) return c.notFound();
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const count = body.count;
    const prefix = typeof body.prefix === "string" ? body.prefix.toUpperCase() : "";
    const state = typeof body.state === "string" ? body.state.toUpperCase() : "CT";
    const minutes = typeof body.minutes === "number" ? body.minutes : 600;
    const startedMinutesAgo = typeof body.startedMinutesAgo === "number" ? body.startedMinutesAgo : 10;
    const tenantId = typeof body.tenant === "string" ? body.tenant : DEMO_TENANT.id;
    if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1 || count > MAX_IMPORT)
      throw new ApiError(422, `count must be a whole number between 1 and ${MAX_IMPORT}`);
    if (!PLATE.test(prefix)) throw new ApiError(422, "prefix must be 1–12 letters or digits");
    if (!Number.isSafeInteger(minutes) || minutes < 1) throw new ApiError(422, "minutes must be a positive whole number");

    const code = c.req.param("code").toUpperCase(); // no schema on this dev-only route
    const row = await findZone(db(c.env.DB), tenantId, code);
    if (!row) throw new ApiError(404, `Zone ${code} not found`);
    const stub = zoneStub(c.env, tenantId, code);
    await configureZone(c.env, row, stub); // no-op when the object already has this version

    const started = Date.now();
    const now = started;
    const startMs = now - startedMinutesAgo * 60_000;
    const amountCents = priceCents(rulesOf(row), startMs, minutes);
    let imported = 0;
    for (let from = 0; from < count; from += IMPORT_CHUNK) {
      const rows: SeedSession[] = [];
      for (let i = from; i < Math.min(count, from + IMPORT_CHUNK); i++)
        rows.push({ plate: `${prefix}${String(i).padStart(7, "0")}`, state, startMs, minutes, amountCents });
      imported += await stub.importSessions(rows, now, false);
    }
    const stats = await stub.stats(Date.now());
    return c.json({ tenant: tenantId, zone: code, imported, ms: Date.now() - started, live: stats }, 201);
  })
  /**
   * What the circuit breaker and rate limit cost one provider call, timed inside workerd (where the
   * sync consumer pays it): `calls` sequential admit+report pairs on a throwaway gate, against the same
   * number of read-only status() calls to it (the bare Durable Object round trip). Each await is I/O,
   * so the clock advances across the loop and the totals are real elapsed time.
   */
  .post("/bench/gate", async (c) => {
    if (!devOnly(c)) return c.notFound();
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const calls = body.calls;
    if (typeof calls !== "number" || !Number.isSafeInteger(calls) || calls < 1 || calls > 20_000)
      throw new ApiError(422, "calls must be a whole number from 1 to 20000");
    const gate = gateFor(c.env, `bench-${crypto.randomUUID()}`, "stripe");
    const settings = { failureThreshold: 5, cooldownMs: 30_000, rateLimitPerMinute: 10_000_000 };
    await gate.status(settings); // the object exists and is warm before either loop
    let t = Date.now();
    for (let i = 0; i < calls; i++) await gate.status(settings);
    const statusMs = Date.now() - t;
    t = Date.now();
    for (let i = 0; i < calls; i++) {
      const admission = await gate.admit(settings);
      if (!admission.ok) throw new ApiError(500, `gate refused a bench call: ${admission.reason}`);
      await gate.report({ ok: true, countsAsFailure: false }, settings);
    }
    const gatedMs = Date.now() - t;
    return c.json({ calls, statusMeanUs: (statusMs * 1000) / calls, admitReportMeanUs: (gatedMs * 1000) / calls });
  });
