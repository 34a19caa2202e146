// Reaching a zone's Durable Object. The name joins tenant and zone code, so one tenant's key can
// never address another tenant's zone: the same code names a different, empty object.
import type { MeterView, ZoneFailure, ZoneResult } from "../../durable/zone-state/contract";
import type { Bindings } from "../env";
import { occupiedSpaces } from "../domain/meters";
import { Failure, type FailureKind } from "../lib/failure";
import { db } from "./db";
import { enforcementSettingsOf } from "./enforcement-settings";
import { configOf, findZone, listZones, type ZoneRow } from "./zones";

/** The object's stub as the binding types it (naming the class here would close a cycle through durable/). */
export type ZoneStub = ReturnType<Bindings["ZONE_STATE"]["get"]>;

export const zoneStub = (env: Bindings, tenantId: string, code: string): ZoneStub =>
  env.ZONE_STATE.get(env.ZONE_STATE.idFromName(`${tenantId}:${code}`));

const KIND: Record<ZoneFailure["status"], FailureKind> = { 404: "not_found", 409: "conflict", 422: "invalid" };

export const toFailure = (f: ZoneFailure) =>
  new Failure(
    KIND[f.status],
    f.detail,
    f.field ? [{ location: f.field === "Idempotency-Key" ? "header" : "body", path: f.field, message: f.detail }] : [],
    f.extra,
  );

/** Gives the zone's object its rules from D1, with the tenant's stay gap and meter thresholds (enforcement settings). */
export async function configureZone(env: Bindings, row: ZoneRow, stub = zoneStub(env, row.tenantId, row.code)) {
  const { stayGapMinutes, meterOfflineMinutes, meterLowBatteryPercent } = await enforcementSettingsOf(db(env.DB), row.tenantId);
  await stub.configure({ ...configOf(row), stayGapMinutes, meterOfflineMinutes, meterLowBatteryPercent });
}

/** After the tenant's enforcement settings change: every zone's object gets them (same rules version). */
export async function reconfigureTenantZones(env: Bindings, tenantId: string) {
  const rows = await listZones(db(env.DB), tenantId);
  await Promise.all(rows.map((row) => configureZone(env, row)));
}

/**
 * Calls the zone's object. If the object has never been given its rules (a new zone, or storage
 * that was reset), it is configured from D1 once and the call retried; an unknown zone is a 404.
 */
export async function callZone<T>(
  env: Bindings,
  tenantId: string,
  code: string,
  call: (stub: ZoneStub) => Promise<ZoneResult<T>>,
): Promise<T> {
  const stub = zoneStub(env, tenantId, code);
  let result = await call(stub);
  if (!result.ok && result.unconfigured) {
    const row = await findZone(db(env.DB), tenantId, code);
    if (!row) throw new Failure("not_found", `Zone ${code} not found`);
    await configureZone(env, row, stub);
    result = await call(stub);
  }
  if (!result.ok) throw toFailure(result);
  return result.value;
}

/**
 * A zone's live counts from its object, configuring an object that has never been given its rules:
 * running sessions, permits, spaces its meters report taken, and the occupancy both make (occupiedSpaces).
 */
export async function liveCounts(env: Bindings, row: ZoneRow, nowMs = Date.now()) {
  const stub = zoneStub(env, row.tenantId, row.code);
  let stats = await stub.stats(nowMs);
  if (!stats.configured) {
    await configureZone(env, row, stub);
    stats = await stub.stats(nowMs);
  }
  const { active, permits, meteredSpacesOccupied } = stats;
  return { activeSessions: active, permits, meteredSpacesOccupied, occupied: occupiedSpaces(active, meteredSpacesOccupied) };
}

/**
 * What registered meters last reported and the alerts each shows now, from their zones' objects: one
 * call per zone, in parallel. Keyed by meter id.
 */
export async function liveMeterViews(
  env: Bindings,
  tenantId: string,
  meters: readonly { id: string; zone: string; createdAt: number }[],
  nowMs = Date.now(),
): Promise<Map<string, MeterView>> {
  const byZone = new Map<string, { id: string; registeredAtMs: number }[]>();
  for (const m of meters) {
    const registered = byZone.get(m.zone) ?? [];
    registered.push({ id: m.id, registeredAtMs: m.createdAt });
    byZone.set(m.zone, registered);
  }
  const views = await Promise.all(
    [...byZone].map(([zone, registered]) => callZone(env, tenantId, zone, (s) => s.meterViews(registered, nowMs))),
  );
  return new Map(views.flat().map((v) => [v.id, v]));
}
