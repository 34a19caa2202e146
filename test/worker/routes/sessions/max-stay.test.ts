// No time sold that earns a ticket: a session or an extension that would take the vehicle's continuous
// stay past the zone's maximum is refused (409, with when a new stay may begin), by the rule the verdict
// uses for OVERSTAY; the tenant's stay gap (GET/PUT /v1/enforcement/settings) decides what is one stay.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import {
  ALL_DAYS,
  APP,
  call,
  createZone,
  DEMO_ADMIN,
  expectProblem,
  flatZone,
  hourAhead,
  json,
  newPlate,
  NO_SCOPES,
  OFFICER,
  openSession,
  signStaffJwt,
  zoneObject,
} from "../../fixtures";

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const DEFAULTS = { stayGapMinutes: 30, collectionsAfterDays: 30, meterOfflineMinutes: 60, meterLowBatteryPercent: 20 };

/** Sold by the minute, so the boundary is exact: 2 h maximum, always enforced, UTC. */
async function perMinuteZone() {
  const zone = flatZone({
    timezone: "UTC",
    incrementMinutes: 1,
    maxStayMinutes: 120,
    rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 120 }],
  });
  await createZone(zone);
  return zone.code;
}

const start = (plate: string, zone: string, minutes: number, startMs: number) =>
  call("/v1/sessions", { key: APP, body: { plate, zone, minutes, startTime: iso(startMs) } });

const putSettings = (body: unknown, key = DEMO_ADMIN) => call("/v1/enforcement/settings", { key, method: "PUT", body });

afterEach(async () => {
  expect((await putSettings(DEFAULTS)).status).toBe(200);
});

describe("a new session within the vehicle's stay", () => {
  it("is sold up to exactly the maximum stay, and refused one minute past it, saying when a new stay may begin", async () => {
    const zone = await perMinuteZone();
    const plate = newPlate();
    const t0 = hourAhead();
    await openSession({ plate, zone, minutes: 60, startMs: t0 });
    expect((await start(plate, zone, 60, t0 + 60 * MIN)).status).toBe(201); // 2 h exactly

    const refused = await expectProblem(await start(plate, zone, 1, t0 + 120 * MIN), 409);
    expect(refused.detail).toContain("120-minute maximum stay");
    expect(refused).toMatchObject({
      maxStayMinutes: 120,
      stayStartedAt: iso(t0),
      newStayAfter: iso(t0 + (120 + 30) * MIN),
    });
    // Nothing was sold: the vehicle still has exactly its two sessions.
    const held = await zoneObject(env, zone).listActive(10, plate);
    expect(held.ok && held.value.length).toBe(2);

    expect((await start(plate, zone, 1, t0 + 150 * MIN)).status).toBe(409); // at the gap's end: still the same stay
    expect((await start(plate, zone, 120, t0 + 151 * MIN)).status).toBe(201); // after it: a new stay
  });

  it("refuses an extension past the stay with the same answer, and allows one to exactly the maximum", async () => {
    const zone = await perMinuteZone();
    const plate = newPlate();
    const first = await openSession({ plate, zone, minutes: 30 });
    const firstStart = Date.parse(first.startTime);
    const exact = await call(`/v1/sessions/${first.id}/extend`, { key: APP, body: { minutes: 90 } });
    expect(exact.status).toBe(200);
    const over = await expectProblem(await call(`/v1/sessions/${first.id}/extend`, { key: APP, body: { minutes: 1 } }), 409);
    expect(over.detail).toMatch(/maximum stay/);
    expect(Date.parse(String((over as Record<string, unknown>).newStayAfter))).toBe(firstStart + (120 + 30) * MIN);
    const session = await json(await call(`/v1/sessions/${first.id}`, { key: APP }));
    expect(session.paidMinutes).toBe(120);
  });

  it("takes the tenant's gap: a shorter gap lets the vehicle come back sooner, and the verdict agrees", async () => {
    const zone = await perMinuteZone();
    const plate = newPlate();
    const t0 = hourAhead();
    await openSession({ plate, zone, minutes: 120, startMs: t0 });
    expect((await start(plate, zone, 60, t0 + 130 * MIN)).status).toBe(409); // 10 min away, 30 min gap

    expect((await putSettings({ ...DEFAULTS, stayGapMinutes: 5 })).status).toBe(200);
    expect((await start(plate, zone, 60, t0 + 130 * MIN)).status).toBe(201); // 10 min away, 5 min gap: a new stay
    const verdict = await json(await call("/v1/verify", { key: OFFICER, body: { plate, zone, at: iso(t0 + 150 * MIN) } }));
    expect(verdict).toMatchObject({ status: "ACTIVE", valid: true });
  });
});

describe("GET/PUT /v1/enforcement/settings", () => {
  it("answers the defaults, then what was saved; staff who may only read can read", async () => {
    const res = await call("/v1/enforcement/settings", { key: OFFICER });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual(DEFAULTS);
    const saved = { ...DEFAULTS, meterOfflineMinutes: 90 };
    expect((await putSettings(saved)).status).toBe(200);
    const viewer = await signStaffJwt(env, { role: "viewer" });
    expect(await json(await call("/v1/enforcement/settings", { key: viewer }))).toEqual(saved);
  });

  it("refuses bad values with 422 naming the field, and changes nothing", async () => {
    const bad = await expectProblem(await putSettings({ ...DEFAULTS, stayGapMinutes: -1 }), 422);
    expect(JSON.stringify(bad.errors)).toContain("stayGapMinutes");
    expect(await json(await call("/v1/enforcement/settings", { key: DEMO_ADMIN }))).toEqual(DEFAULTS);
  });

  it("needs a credential, and enforcement:admin to change", async () => {
    await expectProblem(await call("/v1/enforcement/settings", { key: null }), 401);
    await expectProblem(await call("/v1/enforcement/settings", { key: NO_SCOPES }), 403);
    await expectProblem(await putSettings(DEFAULTS, OFFICER), 403);
  });
});
