// PUT /api/parkeon/meter-config/{meterId}: the guide's remote configuration (the fixture, verbatim) becomes
// the rules of the meter's zone, versioned (GET /v1/zones/{code}/versions) and audited, and the very next
// plate check and sale use it. A configuration that does not make valid rules changes nothing.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import configFixture from "../../../fixtures/enforcement/parkeon-meter-config.json";
import { db } from "../../../../src/storage/db";
import { tenants } from "../../../../src/storage/schema";
import {
  addKey,
  APP,
  call,
  createZone,
  DEMO_ADMIN,
  expectProblem,
  flatZone,
  importedSessions,
  json,
  newPlate,
  nextLocalHour,
  NO_SCOPES,
  OFFICER,
  OTHER_TENANT_ADMIN,
  uniq,
} from "../../fixtures";

const METERS = "cg_demo_meters";
const NY = "America/New_York";
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Version = { version: number; rules: Record<string, any>; source: string; actor: string; at: string };
type Applied = { meterId: string; zoneNumber: string; status: string; configVersion: number; appliedAt: string; zone: any };

const putConfig = (meterId: string, body: unknown, key: string | null = METERS) =>
  call(`/api/parkeon/meter-config/${meterId}`, { key, method: "PUT", body });
const versionsOf = async (code: string, key = DEMO_ADMIN) =>
  json<{ zone: string; data: Version[]; nextBeforeVersion: number | null }>(await call(`/v1/zones/${code}/versions`, { key }));
const zoneOf = async (code: string) =>
  json<{ version: number; rateSlots: unknown[] }>(await call(`/v1/zones/${code}`, { key: DEMO_ADMIN }));
const verdictAt = async (plate: string, zone: string, atMs: number) =>
  (await json<{ status: string }>(await call("/v1/verify", { key: OFFICER, body: { plate, zone, at: iso(atMs) } }))).status;

async function meterIn(zone: string, key = METERS) {
  const id = `METER-C-${uniq(6)}`;
  const res = await call("/v1/meters", { key, body: { id, zone } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return id;
}

async function auditFor(res: Response) {
  const requestId = res.headers.get("x-request-id")!;
  for (let i = 0; i < 50; i++) {
    const row = await env.DB.prepare("SELECT action, target, actor, detail FROM audit_log WHERE request_id = ?")
      .bind(requestId)
      .first<{ action: string; target: string; actor: string; detail: string }>();
    if (row) return row;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no audit entry for request ${requestId}`);
}

describe("PUT /api/parkeon/meter-config/{meterId}: happy", () => {
  // A flat zone (2.40/h all day, 2 h maximum stay, 5 min grace, always enforced) that a meter reconfigures.
  let zone = "";
  let meter = "";
  beforeAll(async () => {
    zone = (await createZone(flatZone({ maxStayMinutes: 120, graceMinutes: 5 }))).code;
    meter = await meterIn(zone);
  });

  it("takes the guide's configuration verbatim; the very next plate check and sale use the new rules", async () => {
    // 22:00 in New York: the guide's evening slot (18:00-08:00, $1.00/h, 12 h maximum stay, 10 min grace).
    const evening = nextLocalHour(Date.now() + 2 * 60 * MIN, NY, (_day, hour) => hour === 22);
    const [parked, lapsed] = [newPlate(), newPlate()];
    await importedSessions(env, zone, [
      { plate: parked, startMs: evening - 180 * MIN, minutes: 240 }, // parked 3 h by 22:00, paid until 23:00
      { plate: lapsed, startMs: evening - 67 * MIN, minutes: 60 }, // paid time ended 7 min before 22:00
    ]);
    const sale = async () => {
      const res = await call("/v1/sessions", {
        key: APP,
        body: { plate: newPlate(), zone, minutes: 60, startTime: iso(evening + 60 * MIN) },
      });
      expect(res.status).toBe(201);
      return (await json<{ amountCents: number }>(res)).amountCents;
    };
    expect(await verdictAt(parked, zone, evening)).toBe("OVERSTAY");
    expect(await verdictAt(lapsed, zone, evening)).toBe("EXPIRED");
    expect(await sale()).toBe(240);

    const res = await putConfig(meter, configFixture);
    expect(res.status).toBe(200);
    const applied = await json<Applied>(res);
    expect(applied).toMatchObject({ meterId: meter, zoneNumber: zone, status: "APPLIED", configVersion: 2 });
    expect(applied.zone).toMatchObject({
      code: zone,
      version: 2,
      maxStayMinutes: 720,
      graceMinutes: 5,
      meterAlertSeconds: 300,
      defaultViolationCode: "PKG-001",
      rateSlots: [
        { start: "08:00", end: "18:00", rateCentsPerHour: 200, maxStayMinutes: 240, graceMinutes: 5 },
        { start: "18:00", end: "08:00", rateCentsPerHour: 100, maxStayMinutes: 720, graceMinutes: 10 },
      ],
    });

    expect(await verdictAt(parked, zone, evening)).toBe("ACTIVE"); // a stay begun at 19:00 may last 12 h
    expect(await verdictAt(lapsed, zone, evening)).toBe("GRACE"); // paid time that ended at 21:53 has 10 min grace
    expect(await sale()).toBe(100); // an hour from 23:00 at $1.00
  });

  it("records the version with its source and actor beside the staff's, and audits it", async () => {
    const versions = await versionsOf(zone);
    expect(versions.zone).toBe(zone);
    expect(versions.data.map((v) => [v.version, v.source, v.actor])).toEqual([
      [2, `parkeon:${meter}`, "key:key_demo_meters"],
      [1, "staff", `key:key_${DEMO_ADMIN}`],
    ]);
    expect(versions.data[0]!.rules).toMatchObject({ code: zone, maxStayMinutes: 720, defaultViolationCode: "PKG-001" });
    expect(versions.data[1]!.rules).toMatchObject({ code: zone, maxStayMinutes: 120 });

    const res = await putConfig(meter, { ...configFixture, enforcement: { ...configFixture.enforcement, alertThreshold: 600 } });
    expect(res.status).toBe(200);
    const entry = await auditFor(res);
    expect(entry).toMatchObject({ action: "zone.rules.meter_config", target: zone, actor: "key:key_demo_meters" });
    expect(JSON.parse(entry.detail)).toEqual({ version: 3, source: `parkeon:${meter}` });
  });

  it("makes no new version for a configuration that changes nothing (a meter sending its own again)", async () => {
    const before = (await zoneOf(zone)).version;
    const again = await json<Applied>(
      await putConfig(meter, { ...configFixture, enforcement: { ...configFixture.enforcement, alertThreshold: 600 } }),
    );
    expect(again).toMatchObject({ status: "UNCHANGED", configVersion: before });
    expect((await versionsOf(zone)).data[0]!.version).toBe(before);
  });

  it("leaves the zone unenforced when the meter disables enforcement; staff changes are versioned too", async () => {
    const off = await json<Applied>(
      await putConfig(meter, { ...configFixture, enforcement: { ...configFixture.enforcement, enabled: false } }),
    );
    expect(off.zone.enforcement).toEqual([]);
    expect(await verdictAt(newPlate(), zone, Date.now())).toBe("NOT_ENFORCED");

    const {
      version: _v,
      updatedAt: _u,
      live: _l,
      code: _c,
      ...rules
    } = await json(await call(`/v1/zones/${zone}`, { key: DEMO_ADMIN }));
    const staff = await call(`/v1/zones/${zone}`, {
      key: DEMO_ADMIN,
      method: "PUT",
      body: { ...rules, name: "Renamed by staff" },
    });
    expect(staff.status).toBe(200);
    const [latest] = (await versionsOf(zone, OFFICER)).data;
    expect(latest).toMatchObject({ version: off.configVersion + 1, source: "staff", rules: { name: "Renamed by staff" } });
  });

  it("pages the versions newest first", async () => {
    const first = await versionsOf(zone);
    const page = await json<{ data: Version[]; nextBeforeVersion: number | null }>(
      await call(`/v1/zones/${zone}/versions?limit=2`, { key: DEMO_ADMIN }),
    );
    expect(page.data.map((v) => v.version)).toEqual(first.data.slice(0, 2).map((v) => v.version));
    const rest = await json<{ data: Version[] }>(
      await call(`/v1/zones/${zone}/versions?beforeVersion=${page.nextBeforeVersion}`, { key: DEMO_ADMIN }),
    );
    expect(rest.data.map((v) => v.version)).toEqual(first.data.slice(2).map((v) => v.version));
  });
});

describe("PUT /api/parkeon/meter-config/{meterId}: errors (nothing changes)", () => {
  let zone = "";
  let meter = "";
  beforeAll(async () => {
    zone = (await createZone(flatZone())).code;
    meter = await meterIn(zone);
  });

  async function unchanged(res: Response, paths: string[]) {
    const problem = await expectProblem(res, 422);
    expect(problem.errors!.map((e) => e.path)).toEqual(paths);
    expect((await zoneOf(zone)).version).toBe(1);
    expect((await versionsOf(zone)).data.map((v) => v.version)).toEqual([1]);
    return problem;
  }

  it("refuses a maximum stay that is not a whole number of the zone's increments (422 naming rates.N.maxDuration)", async () => {
    const rates = [configFixture.rates[0], { ...configFixture.rates[1], maxDuration: 725 }];
    const problem = await unchanged(await putConfig(meter, { ...configFixture, rates }), ["rates.1.maxDuration"]);
    expect(problem.errors![0]!.message).toMatch(/multiple of incrementMinutes \(15\)/);
  });

  it("refuses malformed configurations in their own field names", async () => {
    await unchanged(await putConfig(meter, { ...configFixture, rates: [] }), ["rates"]);
    await unchanged(await putConfig(meter, { ...configFixture, rates: [{ ...configFixture.rates[0], timeSlot: "8-18" }] }), [
      "rates.0.timeSlot",
    ]);
    await unchanged(await putConfig(meter, { ...configFixture, rates: [{ ...configFixture.rates[0], rate: 2.005 }] }), [
      "rates.0.rate",
    ]);
    await unchanged(
      await putConfig(meter, { ...configFixture, rates: [{ ...configFixture.rates[0], timeSlot: "08:00-08:00" }] }),
      ["rates.0.timeSlot"],
    );
    const { enforcement: _e, ...noEnforcement } = configFixture;
    await unchanged(await putConfig(meter, noEnforcement), ["enforcement"]);
  });

  it("refuses an unregistered meter (404) and a meter id that cannot be one (404)", async () => {
    const problem = await expectProblem(await putConfig(`METER-C-${uniq(6)}`, configFixture), 404);
    expect(problem.detail).toMatch(/register it with POST \/v1\/meters/);
    await expectProblem(await putConfig("not a meter", configFixture), 404);
  });

  it("takes a violation code only from the tenant's active codes, once it keeps a table of them", async () => {
    // A city of its own, so its violation-code table is nobody else's.
    const tenant = `mtr${uniq(6).toLowerCase()}`;
    const key = `cg_test_${tenant}`;
    await db(env.DB).insert(tenants).values({ id: tenant, name: "Meter City", timezone: NY });
    await addKey(env, key, tenant, ["zones:read", "zones:write", "meters:read", "meters:write"]);
    const code = (await createZone(flatZone(), key)).code;
    const id = await meterIn(code, key);
    const withCode = (violationCode: string) => ({
      ...configFixture,
      enforcement: { ...configFixture.enforcement, violationCode },
    });

    expect((await putConfig(id, withCode("ANY-CODE"), key)).status).toBe(200); // no table yet: any code
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO violation_codes (tenant_id, code, name, fine_cents, active, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).bind(tenant, "PKG-001", "Expired meter", 2500, 1, now),
      env.DB.prepare(
        "INSERT INTO violation_codes (tenant_id, code, name, fine_cents, active, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).bind(tenant, "PKG-OLD", "Retired", 1000, 0, now),
    ]);
    const version = async () => (await json<{ version: number }>(await call(`/v1/zones/${code}`, { key }))).version;
    const before = await version();
    for (const bad of ["PKG-999", "PKG-OLD"]) {
      const problem = await expectProblem(await putConfig(id, withCode(bad), key), 422);
      expect(problem.errors).toEqual([expect.objectContaining({ path: "enforcement.violationCode" })]);
    }
    expect(await version()).toBe(before);
    expect((await putConfig(id, withCode("PKG-001"), key)).status).toBe(200);
  });
});

describe("PUT /api/parkeon/meter-config/{meterId} and GET /v1/zones/{code}/versions: security", () => {
  let zone = "";
  let meter = "";
  beforeAll(async () => {
    zone = (await createZone(flatZone())).code;
    meter = await meterIn(zone);
  });

  it("needs a credential with meters:write; an officer's key and a key without scopes are refused", async () => {
    await expectProblem(await putConfig(meter, configFixture, null), 401);
    await expectProblem(await putConfig(meter, configFixture, NO_SCOPES), 403);
    await expectProblem(await putConfig(meter, configFixture, OFFICER), 403);
    expect((await zoneOf(zone)).version).toBe(1);
  });

  it("never reaches another tenant's meter or zone (404)", async () => {
    await expectProblem(await putConfig(meter, configFixture, OTHER_TENANT_ADMIN), 404);
    await expectProblem(await call(`/v1/zones/${zone}/versions`, { key: OTHER_TENANT_ADMIN }), 404);
    expect((await zoneOf(zone)).version).toBe(1);
  });

  it("lists versions to zones:read only, and answers 404 for an unknown zone", async () => {
    await expectProblem(await call(`/v1/zones/${zone}/versions`, { key: null }), 401);
    await expectProblem(await call(`/v1/zones/${zone}/versions`, { key: NO_SCOPES }), 403);
    await expectProblem(await call(`/v1/zones/${zone}/versions`, { key: METERS }), 403);
    await expectProblem(await call("/v1/zones/NOPE-ZONE/versions", { key: DEMO_ADMIN }), 404);
  });
});
