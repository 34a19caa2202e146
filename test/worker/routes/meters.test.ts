// Meters: the registry (/v1/meters), Parkeon's meter status (POST /api/parkeon/meter-status, the guide's
// body as the fixture) kept in the zone's object, the alerts a meter shows (low battery, fault, offline)
// and their meter.alert events, /v1/monitoring/meters, and metered spaces in the zone's live occupancy.
// A meter's remote configuration is test/worker/routes/api/parkeon-meter-config.test.ts.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import statusFixture from "../../fixtures/enforcement/parkeon-meter-status.json";
import type { MeterStatus } from "../../../src/domain/meters";
import { db } from "../../../src/storage/db";
import { insertMeter } from "../../../src/storage/meters";
import {
  call,
  createZone,
  DEMO_ADMIN,
  expectProblem,
  flatZone,
  json,
  NO_SCOPES,
  newPlate,
  OFFICER,
  openSession,
  OTHER_TENANT_ADMIN,
  uniq,
  zoneObject,
} from "../fixtures";

const METERS = "cg_demo_meters"; // the demo meter gateway: meters:read and meters:write
const MIN = 60_000;

type Alert = "offline" | "fault" | "low_battery";
type Meter = {
  id: string;
  zone: string;
  vendor: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  registeredAt: string;
  status: null | {
    reportedAt: string;
    operational: boolean;
    spaceOccupied: boolean;
    timeRemaining: number;
    paidUntil: string;
    lastPayment: { amountCents: number; durationMinutes: number; at: string; method: string } | null;
    batteryPercent: number | null;
    signalDbm: number | null;
    temperatureC: number | null;
    lastMaintenanceAt: string | null;
  };
  alerts: Alert[];
};
type Received = { meterId: string; zoneNumber: string; received: true; reportedAt: string; alerts: Alert[]; raised: Alert[] };

const newMeterId = () => `METER-T-${uniq(6)}`;
const register = (body: Record<string, unknown>, key: string | null = METERS) => call("/v1/meters", { key, body });
const report = (body: unknown, key: string | null = METERS) => call("/api/parkeon/meter-status", { key, body });
const getMeter = async (id: string, key = METERS) => json<Meter>(await call(`/v1/meters/${id}`, { key }));

/** The guide's status body for another meter, with changes. */
function statusBody(
  meterId: string,
  zoneNumber: string,
  status: Record<string, unknown> = {},
  diagnostics: Record<string, unknown> = {},
) {
  return {
    ...statusFixture,
    meterId,
    zoneNumber,
    status: { ...statusFixture.status, ...status },
    diagnostics: { ...statusFixture.diagnostics, ...diagnostics },
  };
}

async function registered(zone: string, id = newMeterId()) {
  const res = await register({ id, zone });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return id;
}

async function sent(body: unknown): Promise<Received> {
  const res = await report(body);
  if (res.status !== 200) throw new Error(`report failed: ${res.status} ${await res.text()}`);
  return json<Received>(res);
}

/** The meter's meter.alert events in D1, once the zone's alarm has had the chance to send them. */
async function alertEvents(zone: string, meterId: string, expected: number) {
  let rows: { type: string; subject: string; data: string }[] = [];
  for (let i = 0; i < 50; i++) {
    await runDurableObjectAlarm(zoneObject(env, zone));
    rows = (
      await env.DB.prepare("SELECT type, subject, data FROM domain_events WHERE tenant_id = 'demo' AND subject = ? ORDER BY at")
        .bind(meterId)
        .all<{ type: string; subject: string; data: string }>()
    ).results;
    if (rows.length >= expected) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return rows.map((r) => ({ type: r.type, ...JSON.parse(r.data) }));
}

const quietStatus = (s: Partial<MeterStatus> = {}): MeterStatus => ({
  operational: true,
  spaceOccupied: false,
  timeRemainingSeconds: 0,
  lastPayment: null,
  batteryPercent: 90,
  signalDbm: -60,
  temperatureC: 20,
  lastMaintenanceAtMs: null,
  ...s,
});

let zone = "";
beforeAll(async () => {
  zone = (await createZone(flatZone({ capacity: 10, maxStayMinutes: 600 }))).code;
});

describe("POST /api/parkeon/meter-status: happy", () => {
  it("accepts the guide's body verbatim and keeps it as the meter's state (demo meter METER-A1-001 in A1)", async () => {
    const before = Date.now();
    const res = await report(statusFixture);
    expect(res.status).toBe(200);
    const answer = await json<Received>(res);
    expect(answer).toEqual({
      meterId: "METER-A1-001",
      zoneNumber: "A1",
      received: true,
      reportedAt: expect.any(String),
      alerts: [],
      raised: [],
    });
    expect(Date.parse(answer.reportedAt)).toBeGreaterThanOrEqual(before);

    const meter = await getMeter("METER-A1-001");
    expect(meter).toMatchObject({ id: "METER-A1-001", zone: "A1", vendor: "parkeon", alerts: [] });
    expect(meter.status).toEqual({
      reportedAt: answer.reportedAt,
      operational: true,
      spaceOccupied: true,
      timeRemaining: 3600,
      paidUntil: new Date(Date.parse(answer.reportedAt) + 3600_000).toISOString(),
      lastPayment: { amountCents: 200, durationMinutes: 60, at: "2024-01-01T11:00:00.000Z", method: "CREDIT_CARD" },
      batteryPercent: 85,
      signalDbm: -65,
      temperatureC: 22,
      lastMaintenanceAt: "2024-01-01T08:00:00.000Z",
    });
  });

  it("keeps the latest report, and takes a body without diagnostics or payment", async () => {
    const id = await registered(zone);
    await sent(statusBody(id, zone, { spaceOccupied: true }));
    const { diagnostics: _, ...bare } = statusBody(id, zone.toLowerCase(), { spaceOccupied: false, lastPayment: null });
    await sent(bare);
    const meter = await getMeter(id);
    expect(meter.status).toMatchObject({
      spaceOccupied: false,
      lastPayment: null,
      batteryPercent: null,
      lastMaintenanceAt: null,
    });
  });

  it("ignores a report older than the one it keeps (a late webhook delivery), last arrival winning otherwise", async () => {
    const id = await registered(zone);
    const stub = zoneObject(env, zone);
    const now = Date.now();
    const newer = await stub.reportMeter(
      { meterId: id, zone, status: quietStatus({ batteryPercent: 70 }), reportedAtMs: now },
      now,
    );
    const older = await stub.reportMeter(
      { meterId: id, zone, status: quietStatus({ batteryPercent: 5 }), reportedAtMs: now - MIN },
      now,
    );
    expect(newer).toMatchObject({ ok: true, value: { stale: false } });
    expect(older).toMatchObject({ ok: true, value: { stale: true, raised: [] } });
    expect((await getMeter(id)).status!.batteryPercent).toBe(70);
  });
});

describe("POST /api/parkeon/meter-status: errors", () => {
  it("refuses a meter that is not registered (404, saying how to register it)", async () => {
    const problem = await expectProblem(await report(statusBody(newMeterId(), zone)), 404);
    expect(problem.detail).toMatch(/not registered; register it with POST \/v1\/meters/);
  });

  it("refuses a report from another zone than the meter's (422 naming zoneNumber), and keeps nothing", async () => {
    const id = await registered(zone);
    const problem = await expectProblem(await report(statusBody(id, "A1")), 422);
    expect(problem.errors).toEqual([expect.objectContaining({ location: "body", path: "zoneNumber" })]);
    expect((await getMeter(id)).status).toBeNull();
  });

  it("refuses bodies that are not a meter status (422 with the field)", async () => {
    const id = await registered(zone);
    const cases: [unknown, string][] = [
      [{ ...statusBody(id, zone), status: { ...statusFixture.status, operational: "yes" } }, "status.operational"],
      [statusBody(id, zone, { timeRemaining: -1 }), "status.timeRemaining"],
      [statusBody(id, zone, {}, { batteryLevel: 101 }), "diagnostics.batteryLevel"],
      [
        statusBody(id, zone, { lastPayment: { ...statusFixture.status.lastPayment, timestamp: "yesterday" } }),
        "status.lastPayment.timestamp",
      ],
      [{ ...statusBody(id, zone), meterId: "" }, "meterId"],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(await report(body), 422);
      expect(problem.errors!.map((e) => e.path)).toContain(path);
    }
    expect((await getMeter(id)).status).toBeNull();
  });
});

describe("POST /api/parkeon/meter-status: security", () => {
  it("needs a credential with meters:write (an officer's key only reads meters)", async () => {
    await expectProblem(await report(statusFixture, null), 401);
    await expectProblem(await report(statusFixture, NO_SCOPES), 403);
    await expectProblem(await report(statusFixture, OFFICER), 403);
  });

  it("never reaches another tenant's meter: the same id is unknown in the caller's registry", async () => {
    await expectProblem(await report(statusFixture, OTHER_TENANT_ADMIN), 404);
  });
});

describe("/v1/meters: the registry", () => {
  it("registers a meter (201) that shows no status and no alert until it reports", async () => {
    const id = newMeterId();
    const res = await register({ id, zone: zone.toLowerCase(), address: "1 Test Street", latitude: 41.05, longitude: -73.54 });
    expect(res.status).toBe(201);
    const created = await json<Meter>(res);
    expect(created).toEqual({
      id,
      zone,
      vendor: "parkeon",
      address: "1 Test Street",
      latitude: 41.05,
      longitude: -73.54,
      registeredAt: expect.any(String),
      status: null,
      alerts: [],
    });
    expect(await getMeter(id, OFFICER)).toEqual(created);
  });

  it("lists the tenant's meters by id, filtered by zone and paged with `after`", async () => {
    const other = (await createZone(flatZone())).code;
    const ids = [await registered(other, `METER-P-${uniq(4)}-1`), await registered(other)];
    await sent(statusBody(ids[0]!, other));
    const all = await json<{ data: Meter[]; nextAfter: string | null }>(await call(`/v1/meters?zone=${other}`, { key: METERS }));
    expect(all.data.map((m) => m.id)).toEqual([...ids].sort());
    expect(all.nextAfter).toBeNull();
    expect(all.data.find((m) => m.id === ids[0])!.status).toMatchObject({ spaceOccupied: true });

    const first = await json<{ data: Meter[]; nextAfter: string }>(
      await call(`/v1/meters?zone=${other}&limit=1`, { key: METERS }),
    );
    expect(first.data).toHaveLength(1);
    const second = await json<{ data: Meter[]; nextAfter: string | null }>(
      await call(`/v1/meters?zone=${other}&limit=1&after=${first.nextAfter}`, { key: METERS }),
    );
    expect([first.data[0]!.id, second.data[0]!.id]).toEqual([...ids].sort());
    expect(second.nextAfter).toBeNull();

    const everything = await json<{ data: Meter[] }>(await call("/v1/meters?limit=200", { key: OFFICER }));
    expect(everything.data.map((m) => m.id)).toEqual(expect.arrayContaining(["METER-A1-001", "METER-B1-002", ...ids]));
  });

  it("errors: an unknown zone (422 naming zone), a taken id (409), a malformed id (422), an unknown meter (404)", async () => {
    const unknownZone = await expectProblem(await register({ id: newMeterId(), zone: "NOPE-ZONE" }), 422);
    expect(unknownZone.errors).toEqual([expect.objectContaining({ path: "zone" })]);
    const id = await registered(zone);
    await expectProblem(await register({ id, zone }), 409);
    const bad = await expectProblem(await register({ id: "no spaces allowed", zone }), 422);
    expect(bad.errors!.map((e) => e.path)).toContain("id");
    await expectProblem(await call(`/v1/meters/${newMeterId()}`, { key: METERS }), 404);
  });

  it("security: a credential, meters:read to read, meters:write to register; another tenant sees none of ours", async () => {
    await expectProblem(await call("/v1/meters", { key: null }), 401);
    await expectProblem(await call("/v1/meters/METER-A1-001", { key: null }), 401);
    await expectProblem(await call("/v1/meters", { key: NO_SCOPES }), 403);
    await expectProblem(await call("/v1/meters/METER-A1-001", { key: NO_SCOPES }), 403);
    await expectProblem(await register({ id: newMeterId(), zone }, OFFICER), 403);
    await expectProblem(await register({ id: newMeterId(), zone }, null), 401);

    await expectProblem(await call("/v1/meters/METER-A1-001", { key: OTHER_TENANT_ADMIN }), 404);
    const theirs = await json<{ data: Meter[] }>(await call("/v1/meters", { key: OTHER_TENANT_ADMIN }));
    expect(theirs.data).toEqual([]);
    // Their zone A1 is theirs: registering there makes their own meter, which ours never sees.
    const id = newMeterId();
    expect((await register({ id, zone: "A1" }, OTHER_TENANT_ADMIN)).status).toBe(201);
    await expectProblem(await call(`/v1/meters/${id}`, { key: METERS }), 404);
  });
});

describe("alerts", () => {
  it("low battery at or below the tenant's threshold: raised once, as one meter.alert event", async () => {
    const id = await registered(zone);
    expect((await sent(statusBody(id, zone, {}, { batteryLevel: 21 }))).alerts).toEqual([]);
    const low = await sent(statusBody(id, zone, {}, { batteryLevel: 20 }));
    expect(low).toMatchObject({ alerts: ["low_battery"], raised: ["low_battery"] });
    expect((await sent(statusBody(id, zone, {}, { batteryLevel: 18 }))).raised).toEqual([]);
    expect((await getMeter(id)).alerts).toEqual(["low_battery"]);
    const events = await alertEvents(zone, id, 1);
    expect(events).toEqual([
      {
        type: "meter.alert",
        meterId: id,
        zone,
        alert: "low_battery",
        operational: true,
        batteryLevel: 20,
        reportedAt: low.reportedAt,
      },
    ]);
  });

  it("fault when the meter is not operational; cleared and raised again, it is a new event", async () => {
    const id = await registered(zone);
    expect((await sent(statusBody(id, zone, { operational: false }))).raised).toEqual(["fault"]);
    expect((await sent(statusBody(id, zone, { operational: true }))).alerts).toEqual([]);
    expect((await sent(statusBody(id, zone, { operational: false }))).raised).toEqual(["fault"]);
    const events = await alertEvents(zone, id, 2);
    expect(events.map((e) => e.alert)).toEqual(["fault", "fault"]);
  });

  it("offline: no report for the tenant's offline time, or never a report since registration", async () => {
    const silent = newMeterId();
    await insertMeter(
      db(env.DB),
      "demo",
      { id: silent, zone, address: null, latitude: null, longitude: null },
      Date.now() - 61 * MIN,
    );
    expect((await getMeter(silent)).alerts).toEqual(["offline"]);

    const stale = await registered(zone);
    const old = Date.now() - 2 * 60 * MIN;
    await zoneObject(env, zone).reportMeter(
      { meterId: stale, zone, status: quietStatus({ batteryPercent: 4 }), reportedAtMs: old },
      old,
    );
    expect((await getMeter(stale)).alerts).toEqual(["offline", "low_battery"]);
  });

  it("the tenant's thresholds reach the zone's object (PUT /v1/enforcement/settings)", async () => {
    const settings = await json(await call("/v1/enforcement/settings", { key: DEMO_ADMIN }));
    const put = (body: unknown) => call("/v1/enforcement/settings", { key: DEMO_ADMIN, method: "PUT", body });
    const low = await registered(zone);
    await sent(statusBody(low, zone, {}, { batteryLevel: 45 }));
    const quiet = await registered(zone);
    const tenMinutesAgo = Date.now() - 10 * MIN;
    await zoneObject(env, zone).reportMeter(
      { meterId: quiet, zone, status: quietStatus(), reportedAtMs: tenMinutesAgo },
      Date.now(),
    );
    try {
      expect((await put({ ...settings, meterLowBatteryPercent: 50, meterOfflineMinutes: 5 })).status).toBe(200);
      expect((await getMeter(low)).alerts).toEqual(["low_battery"]);
      expect((await getMeter(quiet)).alerts).toEqual(["offline"]);
      expect((await sent(statusBody(low, zone, {}, { batteryLevel: 45 }))).raised).toEqual(["low_battery"]);
    } finally {
      await put(settings);
    }
    expect((await getMeter(low)).alerts).toEqual([]);
    expect((await getMeter(quiet)).alerts).toEqual([]);
  });
});

describe("GET /v1/monitoring/meters", () => {
  it("lists the meters with alerts now, by zone, with the thresholds: the demo's low battery and silent meter", async () => {
    const body = await json<{
      thresholds: { offlineMinutes: number; lowBatteryPercent: number };
      counts: Record<Alert, number>;
      zones: { zone: string; meters: Meter[] }[];
    }>(await call("/v1/monitoring/meters", { key: METERS }));
    expect(body.thresholds).toEqual({ offlineMinutes: 60, lowBatteryPercent: 20 });
    const a1 = body.zones.find((z) => z.zone === "A1")!;
    const b1 = body.zones.find((z) => z.zone === "B1")!;
    expect(a1.meters.find((m) => m.id === "METER-A1-002")).toMatchObject({ alerts: ["low_battery"] });
    expect(a1.meters.some((m) => m.id === "METER-A1-001")).toBe(false);
    expect(b1.meters.map((m) => [m.id, m.alerts])).toEqual([["METER-B1-002", ["offline"]]]);
    expect(body.counts.low_battery).toBeGreaterThanOrEqual(1);
    expect(body.counts.offline).toBeGreaterThanOrEqual(1);
    for (const z of body.zones) for (const m of z.meters) expect(m.alerts.length).toBeGreaterThan(0);
  });

  it("security: a credential with meters:read; another tenant sees only its own", async () => {
    await expectProblem(await call("/v1/monitoring/meters", { key: null }), 401);
    await expectProblem(await call("/v1/monitoring/meters", { key: NO_SCOPES }), 403);
    const theirs = await json<{ zones: { meters: Meter[] }[] }>(await call("/v1/monitoring/meters", { key: OTHER_TENANT_ADMIN }));
    expect(theirs.zones.flatMap((z) => z.meters.map((m) => m.id)).some((id) => id.startsWith("METER-A1-"))).toBe(false);
  });
});

describe("metered spaces in the zone's live occupancy", () => {
  type Live = { zone: string; activeSessions: number; meteredSpacesOccupied: number; occupied: number; occupancyRate: number };
  const occupancyOf = async (code: string) =>
    (await json<{ data: Live[] }>(await call("/v1/occupancy", { key: OFFICER }))).data.find((z) => z.zone === code)!;
  const liveOf = async (code: string) => (await json<{ live: Live }>(await call(`/v1/zones/${code}`, { key: OFFICER }))).live;

  it("counts the larger of running sessions and spaces meters report taken (not offline meters)", async () => {
    const code = (await createZone(flatZone({ capacity: 10, maxStayMinutes: 600 }))).code;
    await openSession({ plate: newPlate(), zone: code, minutes: 60 });
    expect(await occupancyOf(code)).toMatchObject({
      activeSessions: 1,
      meteredSpacesOccupied: 0,
      occupied: 1,
      occupancyRate: 0.1,
    });

    const [m1, m2, m3] = [await registered(code), await registered(code), await registered(code)];
    await sent(statusBody(m1, code, { spaceOccupied: true }));
    await sent(statusBody(m2, code, { spaceOccupied: true }));
    const old = Date.now() - 2 * 60 * MIN; // an offline meter's last word does not count
    await zoneObject(env, code).reportMeter(
      { meterId: m3, zone: code, status: quietStatus({ spaceOccupied: true }), reportedAtMs: old },
      old,
    );
    expect(await occupancyOf(code)).toMatchObject({
      activeSessions: 1,
      meteredSpacesOccupied: 2,
      occupied: 2,
      occupancyRate: 0.2,
    });
    expect(await liveOf(code)).toEqual({ activeSessions: 1, permits: 0, meteredSpacesOccupied: 2, occupied: 2 });

    await sent(statusBody(m2, code, { spaceOccupied: false }));
    expect(await liveOf(code)).toMatchObject({ meteredSpacesOccupied: 1, occupied: 1 });
  });
});
