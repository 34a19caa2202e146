// Loads the demo tenant. Runs only in local development (POST /internal/dev/seed, mounted when
// ENVIRONMENT=development and DEMO_SEED=true) and in tests; it is idempotent.
import { sha256Hex } from "../lib/crypto";
import { displayPrefix } from "../auth/api-keys";
import { hashPassword } from "../auth/passwords";
import { priceCents } from "../domain/pricing";
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { insertKeyOnce } from "../storage/api-keys";
import { insertMeter } from "../storage/meters";
import { insertPaymentRoutingOnce } from "../storage/payment-routing";
import { insertPermit, syncPermitToZones } from "../storage/permits";
import { insertTenantOnce } from "../storage/tenants";
import { insertUserOnce } from "../storage/users";
import { insertViolationCodeOnce } from "../storage/violation-codes";
import { configureZone, zoneStub } from "../storage/zone-state";
import { findZone, insertZone } from "../storage/zones";
import {
  DEMO_KEYS,
  DEMO_METERS,
  DEMO_PAYMENT_ROUTING,
  DEMO_METERS_REGISTERED_AGO_MS,
  DEMO_TENANT,
  DEMO_USERS,
  DEMO_ZONES,
} from "./demo-data";
import { DEMO_VIOLATION_CODES, demoMeterReports, demoPermits, demoSessions } from "./demo-data";
import { seedDemoCitations } from "./demo-citations";
import { seedDemoEnforcement } from "./demo-enforcement";
import { seedDemoPayments } from "./demo-payments";

export async function seedDemo(env: Bindings, now = Date.now()) {
  const database = db(env.DB);
  await insertTenantOnce(database, DEMO_TENANT);
  for (const u of DEMO_USERS)
    await insertUserOnce(database, {
      id: u.id,
      tenantId: DEMO_TENANT.id,
      email: u.email,
      role: u.role,
      passwordHash: await hashPassword(u.password),
    });
  for (const k of DEMO_KEYS)
    await insertKeyOnce(database, {
      id: k.id,
      tenantId: DEMO_TENANT.id,
      name: k.name,
      prefix: displayPrefix(k.key),
      hash: await sha256Hex(k.key),
      scopes: k.scopes,
    });

  for (const { capacity, ...rules } of DEMO_ZONES) {
    const row =
      (await insertZone(database, DEMO_TENANT.id, rules, capacity, now, { source: "seed", actor: "system:seed" })) ??
      (await findZone(database, DEMO_TENANT.id, rules.code));
    if (row) await configureZone(env, row);
  }
  await insertPaymentRoutingOnce(database, DEMO_TENANT.id, DEMO_PAYMENT_ROUTING, now);
  for (const code of DEMO_VIOLATION_CODES) await insertViolationCodeOnce(database, DEMO_TENANT.id, code, now);
  for (const p of demoPermits(now)) {
    const row = await insertPermit(database, { ...p, tenantId: DEMO_TENANT.id }, now);
    if (row) await syncPermitToZones(env, row);
  }

  let sessions = 0;
  for (const { capacity: _, ...rules } of DEMO_ZONES) {
    const stub = zoneStub(env, DEMO_TENANT.id, rules.code);
    if ((await stub.stats(now)).active > 0) continue; // already seeded
    const rows = demoSessions(now)
      .filter((s) => s.zone === rules.code)
      .map((s) => ({ ...s, amountCents: priceCents(rules, s.startMs, s.minutes) }));
    sessions += await stub.importSessions(rows, now, true);
  }
  // Meters with live status: reported a few minutes ago (one with a low battery), and one never (offline).
  for (const m of DEMO_METERS) await insertMeter(database, DEMO_TENANT.id, m, now - DEMO_METERS_REGISTERED_AGO_MS);
  for (const r of demoMeterReports(now)) await zoneStub(env, DEMO_TENANT.id, r.zone).reportMeter(r, now);
  const violationsAdded = await seedDemoEnforcement(env, now);
  const citationsAdded = await seedDemoCitations(env, now);
  const payments = await seedDemoPayments(env, now);
  return {
    tenant: DEMO_TENANT.id,
    zones: DEMO_ZONES.map((z) => z.code),
    keys: DEMO_KEYS.map((k) => k.key),
    users: DEMO_USERS.map((u) => u.email),
    meters: DEMO_METERS.map((m) => m.id),
    sessionsAdded: sessions,
    violationsAdded,
    citationsAdded,
    payments,
  };
}
