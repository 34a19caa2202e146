// Zones through the worker: create and replace rules, validation with field paths, live counts,
// plate checks that follow a rule change at once, and tenant isolation.
import { describe, expect, it } from "vitest";
import {
  ALL_DAYS,
  APP,
  DEMO_ADMIN,
  NO_SCOPES,
  OFFICER,
  OTHER_TENANT_ADMIN,
  WEEKDAYS,
  addKey,
  call,
  createZone,
  flatZone,
  json,
  newPlate,
  newZoneCode,
  problem,
  uniq,
  type ZoneBody,
} from "../../fixtures";
import { env } from "cloudflare:workers";

const MIN = 60_000;
type Zone = ZoneBody & {
  code: string;
  timezone: string;
  incrementMinutes: number;
  capacity: number | null;
  version: number;
  updatedAt: string;
  live?: { activeSessions: number; permits: number; meteredSpacesOccupied: number; occupied: number };
};

const post = (body: unknown, key: string | null = DEMO_ADMIN) => call("/v1/zones", { key, body });
const put = (code: string, body: unknown, key: string | null = DEMO_ADMIN) =>
  call(`/v1/zones/${code}`, { key, body, method: "PUT" });
const get = (code: string, key: string | null = OFFICER) => call(`/v1/zones/${code}`, { key });
const verify = (plate: string, zone: string, at?: string) =>
  call("/v1/verify", { key: OFFICER, body: { plate, zone, ...(at ? { at } : {}) } });
/** The body PUT takes: the rules without the code. */
const rulesOf = ({ code: _, ...rest }: ZoneBody) => rest;

describe("POST /v1/zones", () => {
  it("creates a zone with rate slots, hours, grace and maximum stay", async () => {
    const body = flatZone({
      code: newZoneCode().toLowerCase(),
      name: "Harbor Evening",
      timezone: "America/Los_Angeles",
      rateSlots: [
        { days: WEEKDAYS, start: "08:00", end: "18:00", rateCentsPerHour: 250 },
        { days: ALL_DAYS, start: "18:00", end: "02:00", rateCentsPerHour: 75 },
      ],
      enforcement: [{ days: ["MON", "TUE", "WED", "THU", "FRI", "SAT"], start: "08:00", end: "20:00" }],
      graceMinutes: 7,
      maxStayMinutes: 180,
      incrementMinutes: 30,
      capacity: 42,
    });
    const before = Date.now();
    const res = await post(body);
    expect(res.status).toBe(201);
    const zone = await json<Zone>(res);
    expect(zone).toEqual({ ...body, code: body.code.toUpperCase(), version: 1, updatedAt: expect.any(String) });
    expect(Date.parse(zone.updatedAt)).toBeGreaterThanOrEqual(before - 1000);

    const fetched = await json<Zone>(await get(body.code));
    expect(fetched).toEqual({ ...zone, live: { activeSessions: 0, permits: 0, meteredSpacesOccupied: 0, occupied: 0 } });
  });

  it("defaults the time zone to the tenant's and the increment to 15 minutes", async () => {
    const { timezone: _tz, incrementMinutes: _inc, capacity: _cap, ...body } = flatZone();
    const zone = await json<Zone>(await post(body));
    expect(zone).toMatchObject({ code: body.code, timezone: "America/New_York", incrementMinutes: 15, capacity: null });
  });

  it("refuses a duplicate code with 409, whatever its case", async () => {
    const body = await createZone(flatZone());
    expect((await problem(await post(body), 409)).detail).toBe(`Zone ${body.code} already exists`);
    await problem(await post({ ...body, code: body.code.toLowerCase(), name: "Another" }), 409);
    expect((await json<Zone>(await get(body.code))).name).toBe(body.name);
    // demo's own zones are taken as well
    await problem(await post(flatZone({ code: "A1" })), 409);
  });

  const invalid: [string, Partial<ZoneBody> & Record<string, unknown>, string][] = [
    ["an unknown time zone", { timezone: "Mars/Olympus_Mons" }, "timezone"],
    [
      "an hour past 24",
      { rateSlots: [{ days: ["MON"], start: "25:00", end: "26:00", rateCentsPerHour: 100 }] },
      "rateSlots.0.start",
    ],
    ["a clock without two-digit hours", { enforcement: [{ days: ["MON"], start: "8:00", end: "18:00" }] }, "enforcement.0.start"],
    ["a maximum stay that is not a multiple of the increment", { maxStayMinutes: 100, incrementMinutes: 15 }, "maxStayMinutes"],
    ["a window with no days", { enforcement: [{ days: [], start: "08:00", end: "18:00" }] }, "enforcement.0.days"],
    [
      "a day that is not a day",
      { rateSlots: [{ days: ["FUNDAY" as never], start: "08:00", end: "18:00", rateCentsPerHour: 1 }] },
      "rateSlots.0.days.0",
    ],
    [
      "a window that starts where it ends",
      { enforcement: [{ days: ["MON"], start: "10:00", end: "10:00" }] },
      "enforcement.0.end",
    ],
    [
      "a negative rate",
      { rateSlots: [{ days: ["MON"], start: "08:00", end: "18:00", rateCentsPerHour: -1 }] },
      "rateSlots.0.rateCentsPerHour",
    ],
    ["a fractional grace period", { graceMinutes: 2.5 }, "graceMinutes"],
    ["a code with spaces", { code: "A 1" }, "code"],
    ["an empty name", { name: "" }, "name"],
  ];
  for (const [what, override, path] of invalid) {
    it(`refuses ${what} with a field error at ${path}`, async () => {
      const body = flatZone(override);
      const problemBody = await problem(await post(body), 422);
      expect(problemBody.errors).toEqual(expect.arrayContaining([expect.objectContaining({ location: "body", path })]));
      if (path !== "code") await problem(await get(body.code), 404);
    });
  }

  it("lists every zone of the tenant, by code", async () => {
    const body = await createZone(flatZone());
    const list = await json<{ data: Zone[] }>(await call("/v1/zones", { key: APP }));
    const codes = list.data.map((z) => z.code);
    expect(codes).toEqual(expect.arrayContaining(["A1", "A2", "B1", "B2", body.code]));
    expect(codes).toEqual([...codes].sort());
    expect(list.data.find((z) => z.code === "A1")).toMatchObject({
      name: "Downtown Main Street",
      timezone: "America/New_York",
      maxStayMinutes: 240,
    });
  });
});

describe("GET /v1/zones/{code}", () => {
  it("returns the demo zones' seeded rules", async () => {
    const b2 = await json<Zone>(await get("b2"));
    expect(b2).toMatchObject({
      code: "B2",
      name: "Stamford Station Garage",
      capacity: 400,
      graceMinutes: 10,
      maxStayMinutes: 600,
      incrementMinutes: 30,
    });
    expect(b2.rateSlots).toHaveLength(2);
  });

  it("reports live counts of running sessions and permits", async () => {
    const zone = await createZone(flatZone());
    const start = async (minutes: number, startTime?: string) => {
      const res = await call("/v1/sessions", {
        key: APP,
        body: { plate: newPlate(), zone: zone.code, minutes, ...(startTime ? { startTime } : {}) },
      });
      expect(res.status).toBe(201);
      return json<{ id: string }>(res);
    };
    const a = await start(30);
    await start(60);
    await start(30, new Date(Date.now() + 120 * MIN).toISOString()); // booked, not running yet
    const permit = await call("/v1/permits", {
      key: DEMO_ADMIN,
      body: {
        plate: newPlate(),
        type: "VISITOR",
        zones: [zone.code],
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(permit.status).toBe(201);
    expect((await json<Zone>(await get(zone.code))).live).toEqual({
      activeSessions: 2,
      permits: 1,
      meteredSpacesOccupied: 0,
      occupied: 2,
    });

    expect((await call(`/v1/sessions/${a.id}/end`, { key: APP, method: "POST" })).status).toBe(200);
    expect((await json<Zone>(await get(zone.code))).live).toEqual({
      activeSessions: 1,
      permits: 1,
      meteredSpacesOccupied: 0,
      occupied: 1,
    });
  });

  it("configures a zone object that has never seen its rules before reporting counts", async () => {
    const code = newZoneCode();
    await env.DB.prepare(
      "INSERT INTO zones (tenant_id, code, name, timezone, rules, capacity, version, updated_at) VALUES ('demo', ?, 'Raw Row', 'UTC', ?, NULL, 1, ?)",
    )
      .bind(
        code,
        JSON.stringify({ rateSlots: [], enforcement: [], graceMinutes: 0, maxStayMinutes: 60, incrementMinutes: 15 }),
        Date.now(),
      )
      .run();
    const zone = await json<Zone>(await get(code));
    expect(zone).toMatchObject({ code, name: "Raw Row", live: { activeSessions: 0, permits: 0 } });
  });

  it("answers 404 for an unknown code and for a malformed one", async () => {
    expect((await problem(await get("NOPE-NOPE"), 404)).detail).toBe("Zone NOPE-NOPE not found");
    const malformed = await problem(await get("bad_code"), 404);
    expect(malformed.errors?.[0]).toMatchObject({ location: "path", path: "code" });
  });
});

describe("PUT /v1/zones/{code}", () => {
  it("replaces the rules and bumps the version", async () => {
    const zone = await createZone(flatZone());
    const next = {
      ...rulesOf(zone),
      name: "Renamed Street",
      graceMinutes: 12,
      maxStayMinutes: 90,
      incrementMinutes: 30,
      capacity: 9,
    };
    const res = await put(zone.code.toLowerCase(), next);
    expect(res.status).toBe(200);
    const updated = await json<Zone>(res);
    expect(updated).toEqual({ ...next, code: zone.code, version: 2, updatedAt: expect.any(String) });
    expect(await json<Zone>(await get(zone.code))).toMatchObject({
      name: "Renamed Street",
      version: 2,
      graceMinutes: 12,
      capacity: 9,
    });
    expect((await json<Zone>(await put(zone.code, next))).version).toBe(3);
  });

  it("the very next plate check uses the new enforcement hours", async () => {
    const zone = await createZone(flatZone({ timezone: "UTC", enforcement: [{ days: ALL_DAYS, start: "08:00", end: "09:00" }] }));
    const plate = newPlate();
    const at = "2026-03-04T12:00:00Z"; // a Wednesday, noon UTC
    const before = await json(await verify(plate, zone.code, at));
    expect(before).toMatchObject({ status: "NOT_ENFORCED", valid: true, enforcementRecommendation: "NO_ACTION" });

    expect(
      (await put(zone.code, { ...rulesOf(zone), enforcement: [{ days: ALL_DAYS, start: "00:00", end: "24:00" }] })).status,
    ).toBe(200);
    const after = await json(await verify(plate, zone.code, at));
    expect(after).toMatchObject({ status: "NO_RECORD", valid: false, enforcementRecommendation: "CITE" });

    expect(
      (await put(zone.code, { ...rulesOf(zone), enforcement: [{ days: ["SAT", "SUN"], start: "00:00", end: "24:00" }] })).status,
    ).toBe(200);
    expect(await json(await verify(plate, zone.code, at))).toMatchObject({ status: "NOT_ENFORCED" });
  });

  it("the very next plate check uses the new rate and maximum stay", async () => {
    const zone = await createZone(flatZone({ graceMinutes: 0 }));
    const plate = newPlate();
    const s = await json<{ startTime: string }>(
      await call("/v1/sessions", { key: APP, body: { plate, zone: zone.code, minutes: 60 } }),
    );
    const at = new Date(Date.parse(s.startTime) + 20 * MIN).toISOString();
    const before = await json(await verify(plate, zone.code, at));
    expect(before).toMatchObject({ status: "ACTIVE", session: { zone: { code: zone.code, rateCentsPerHour: 240 } } });

    const next = {
      ...rulesOf(zone),
      maxStayMinutes: 15,
      rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 400 }],
    };
    expect((await put(zone.code, next)).status).toBe(200);
    const after = await json(await verify(plate, zone.code, at));
    expect(after).toMatchObject({
      status: "OVERSTAY",
      enforcementRecommendation: "CITE",
      session: { zone: { rateCentsPerHour: 400 } },
    });
  });

  it("refuses invalid rules with field paths and leaves the zone unchanged", async () => {
    const zone = await createZone(flatZone());
    const bad = await problem(await put(zone.code, { ...rulesOf(zone), timezone: "Not/AZone", maxStayMinutes: 50 }), 422);
    expect(bad.errors!.map((e) => e.path).sort()).toEqual(["maxStayMinutes", "timezone"]);
    const zodBad = await problem(
      await put(zone.code, { ...rulesOf(zone), rateSlots: [{ days: [], start: "24:30", end: "10:00", rateCentsPerHour: 1 }] }),
      422,
    );
    expect(zodBad.errors!.map((e) => e.path).sort()).toEqual(["rateSlots.0.days", "rateSlots.0.start"]);
    expect(await json<Zone>(await get(zone.code))).toMatchObject({
      version: 1,
      timezone: zone.timezone,
      maxStayMinutes: zone.maxStayMinutes,
    });
  });

  it("answers 404 for a zone that does not exist", async () => {
    const code = newZoneCode();
    await problem(await put(code, rulesOf(flatZone())), 404);
    await problem(await get(code), 404);
  });
});

describe("zones: security", () => {
  it("needs a credential", async () => {
    await problem(await call("/v1/zones", { key: null }), 401);
    await problem(await post(flatZone(), null), 401);
    await problem(await put("A1", rulesOf(flatZone()), null), 401);
  });

  it("an officer key (zones:read only) can read but not create or change zones", async () => {
    expect((await get("A1", OFFICER)).status).toBe(200);
    const body = flatZone();
    expect((await problem(await post(body, OFFICER), 403)).detail).toContain("zones:write");
    await problem(await get(body.code), 404);
    await problem(await put("A1", rulesOf(flatZone()), OFFICER), 403);
    expect((await json<Zone>(await get("A1"))).name).toBe("Downtown Main Street");
  });

  it("a key without scopes cannot even read", async () => {
    await problem(await call("/v1/zones", { key: NO_SCOPES }), 403);
    await problem(await get("A1", NO_SCOPES), 403);
  });

  it("a viewer-style read-only key and a signed-in viewer can read but not write", async () => {
    const viewerKey = `cg_test_viewer_${uniq(10)}`;
    await addKey(env, viewerKey, "demo", ["verify:read", "sessions:read", "zones:read", "permits:read"]);
    const login = await call("/v1/auth/login", {
      key: null,
      body: { email: "viewer@demo.test", password: "demo-viewer-password" },
    });
    expect(login.status).toBe(200);
    const { token } = await json<{ token: string }>(login);
    for (const key of [viewerKey, token]) {
      expect((await call("/v1/zones", { key })).status).toBe(200);
      expect((await get("B1", key)).status).toBe(200);
      await problem(await post(flatZone(), key), 403);
      await problem(await put("B1", rulesOf(flatZone()), key), 403);
    }
    expect((await json<Zone>(await get("B1"))).version).toBe(1);
  });

  it("the other tenant sees its own A1 and none of demo's zones", async () => {
    const demoOnly = await createZone(flatZone());
    const list = await json<{ data: Zone[] }>(await call("/v1/zones", { key: OTHER_TENANT_ADMIN }));
    const codes = list.data.map((z) => z.code);
    expect(codes).toContain("A1");
    for (const c of ["A2", "B1", "B2", demoOnly.code]) expect(codes).not.toContain(c);
    expect(list.data.find((z) => z.code === "A1")).toMatchObject({ name: "Other Main", timezone: "America/Chicago" });

    expect(await json<Zone>(await get("A1", OTHER_TENANT_ADMIN))).toMatchObject({ name: "Other Main", maxStayMinutes: 60 });
    await problem(await get("B2", OTHER_TENANT_ADMIN), 404);
    await problem(await get(demoOnly.code, OTHER_TENANT_ADMIN), 404);
  });

  it("the other tenant cannot change demo's zones, and its own zone of the same code stays separate", async () => {
    const demoZone = await createZone(flatZone({ name: "Demo Side" }));
    await problem(await put("B2", rulesOf(flatZone()), OTHER_TENANT_ADMIN), 404);
    await problem(await put(demoZone.code, rulesOf(flatZone({ name: "Hijacked" })), OTHER_TENANT_ADMIN), 404);
    expect(await json<Zone>(await get("B2"))).toMatchObject({ name: "Stamford Station Garage", version: 1 });

    // the same code is free in the other tenant, and creating it there does not touch demo's
    const theirs = await post({ ...demoZone, name: "Other Side", enforcement: [] }, OTHER_TENANT_ADMIN);
    expect(theirs.status).toBe(201);
    expect(await json<Zone>(await get(demoZone.code))).toMatchObject({ name: "Demo Side", version: 1 });
    expect(await json<Zone>(await get(demoZone.code, OTHER_TENANT_ADMIN))).toMatchObject({ name: "Other Side", enforcement: [] });
    // and their plate checks use their rules: never enforced there, always enforced in demo's
    const plate = newPlate();
    expect(await json(await call("/v1/verify", { key: OTHER_TENANT_ADMIN, body: { plate, zone: demoZone.code } }))).toMatchObject(
      { status: "NOT_ENFORCED" },
    );
    expect(await json(await verify(plate, demoZone.code))).toMatchObject({ status: "NO_RECORD" });
  });
});
