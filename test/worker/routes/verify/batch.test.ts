// POST /v1/verify/batch: camera sweeps of up to 100 plates, answered in request order, zone by zone.
import { describe, expect, it } from "vitest";
import {
  ALL_DAYS,
  APP,
  call,
  createZone,
  expectProblem,
  flatZone,
  hourAhead,
  issuePermit,
  json,
  newPlate,
  NO_SCOPES,
  OFFICER,
  openSession,
  OTHER_TENANT_ADMIN,
  uniq,
} from "../../fixtures";

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const batch = (body: unknown, key: string | null = OFFICER) => call("/v1/verify/batch", { body, key });

async function answered(body: Record<string, unknown>, key = OFFICER) {
  const res = await batch(body, key);
  if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
  return json<{ checkedAt: string; results: any[] }>(res);
}

async function utcZone(name = "Batch Street") {
  const body = flatZone({
    timezone: "UTC",
    name,
    graceMinutes: 10,
    maxStayMinutes: 120,
    rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 300 }],
  });
  await createZone(body);
  return body.code;
}

describe("POST /v1/verify/batch: happy", () => {
  it("answers every check in request order across zones, with per-check zones overriding the default", async () => {
    const [north, south] = [await utcZone("North"), await utcZone("South")];
    const [a, b, c, d] = [newPlate(), newPlate(), newPlate(), newPlate()];
    const start = hourAhead();
    await openSession({ plate: a, zone: north, minutes: 60, startMs: start });
    await openSession({ plate: b, zone: south, minutes: 60, startMs: start });
    await openSession({ plate: c, zone: north, minutes: 15, startMs: start });
    await issuePermit({ plate: d, zones: [south], validFromMs: start, validUntilMs: start + 86_400_000 });
    const at = iso(start + 30 * MIN);

    const out = await answered({
      zone: north.toLowerCase(),
      at,
      checks: [
        { plate: d, zone: south },
        { plate: a },
        { plate: b, zone: south.toLowerCase() },
        { plate: c },
        { plate: b }, // b paid in south, not north
        { plate: a, zone: south },
      ],
    });
    expect(out.checkedAt).toBe(at);
    expect(out.results.map((r) => [r.plate, r.zone, r.status])).toEqual([
      [d, south, "PERMITTED"],
      [a, north, "ACTIVE"],
      [b, south, "ACTIVE"],
      [c, north, "EXPIRED"],
      [b, north, "NO_RECORD"],
      [a, south, "NO_RECORD"],
    ]);
    for (const r of out.results) expect(r.checkedAt).toBe(at);
    expect(out.results[1]).toMatchObject({
      valid: true,
      matchType: "exact",
      enforcementRecommendation: "NO_ACTION",
      session: { secondsRemaining: 1800, zone: { name: "North", rateCentsPerHour: 300 } },
    });
    expect(out.results[3]).toMatchObject({ valid: false, enforcementRecommendation: "CITE" });
  });

  it("gives each check the same verdict /v1/verify gives", async () => {
    const zone = await utcZone();
    const tail = uniq(4);
    const plate = `S8O${tail}`;
    const start = hourAhead();
    await openSession({ plate, state: "CT", zone, minutes: 60, startMs: start });
    const at = iso(start + 65 * MIN); // in the 10-minute grace period
    const checks = [
      { plate },
      { plate: `58O${tail}`, state: "ct" },
      { plate: ` s8o-${tail.toLowerCase()} `, state: "NY" },
      { plate: newPlate() },
    ];

    const out = await answered({ zone, at, checks });
    for (const [i, check] of checks.entries()) {
      const single = await json(await call("/v1/verify", { body: { ...check, zone, at } }));
      expect(out.results[i], JSON.stringify(check)).toEqual(single);
    }
    expect(out.results.map((r) => [r.status, r.matchType, r.enforcementRecommendation])).toEqual([
      ["GRACE", "exact", "WARN"],
      ["GRACE", "fuzzy", "WARN"],
      ["NO_RECORD", null, "CITE"],
      ["NO_RECORD", null, "CITE"],
    ]);
  });

  it("an unknown zone gives error entries for its checks while the rest answer", async () => {
    const zone = await utcZone();
    const plate = newPlate();
    const start = hourAhead();
    await openSession({ plate, zone, minutes: 60, startMs: start });
    const missing = `NO${uniq(6)}`;

    const out = await answered({
      zone,
      at: iso(start + MIN),
      checks: [{ plate: "abc-123", zone: missing.toLowerCase() }, { plate }, { plate: "XYZ789", zone: missing }],
    });
    expect(out.results).toEqual([
      { plate: "abc-123", zone: missing, error: { status: 404, detail: `Zone ${missing} not found` } },
      expect.objectContaining({ plate, zone, status: "ACTIVE" }),
      { plate: "XYZ789", zone: missing, error: { status: 404, detail: `Zone ${missing} not found` } },
    ]);
  });

  it("a check with no zone of its own and no batch default gets a 422 error entry", async () => {
    const zone = await utcZone();
    const out = await answered({ checks: [{ plate: "ABC123" }, { plate: "ABC123", zone }] });
    expect(out.results[0]).toEqual({
      plate: "ABC123",
      zone: null,
      error: { status: 422, detail: "No zone given for this check or the batch" },
    });
    expect(out.results[1]).toMatchObject({ plate: "ABC123", zone, status: "NO_RECORD" });
  });

  it("takes exactly 100 checks, repeated plates included, and defaults `at` to now", async () => {
    const zone = await utcZone();
    const plate = newPlate();
    await openSession({ plate, zone, minutes: 60 });
    const checks = Array.from({ length: 100 }, (_, i) => ({ plate: i % 10 === 0 ? plate : `P${i}${uniq(4)}` }));
    const before = Date.now();
    const out = await answered({ zone, checks });
    expect(Date.parse(out.checkedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(out.checkedAt)).toBeLessThanOrEqual(Date.now());
    expect(out.results).toHaveLength(100);
    out.results.forEach((r, i) => {
      expect(r.plate).toBe(checks[i]!.plate);
      expect(r.status).toBe(i % 10 === 0 ? "ACTIVE" : "NO_RECORD");
    });
  });
});

describe("POST /v1/verify/batch: errors", () => {
  const check = { plate: "ABC123" };
  it.each([
    ["more than 100 checks", { zone: "A1", checks: Array.from({ length: 101 }, () => check) }, "checks"],
    ["no checks", { zone: "A1", checks: [] }, "checks"],
    ["checks missing", { zone: "A1" }, "checks"],
    ["checks not a list", { zone: "A1", checks: check }, "checks"],
    ["an invalid plate in one check", { zone: "A1", checks: [check, check, check, { plate: "--" }] }, "checks.3.plate"],
    ["an invalid state in one check", { zone: "A1", checks: [{ ...check, state: "Connecticut" }] }, "checks.0.state"],
    ["an invalid zone in one check", { checks: [{ ...check, zone: "A_1" }] }, "checks.0.zone"],
    ["an invalid default zone", { zone: "A 1", checks: [check] }, "zone"],
    ["an invalid at", { zone: "A1", at: "noon", checks: [check] }, "at"],
  ])("%s -> 422 with a field error", async (_, body, path) => {
    const p = await expectProblem(await batch(body), 422);
    expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ location: "body", path })]));
  });

  it("malformed JSON -> 400 problem", async () => {
    expect((await expectProblem(await batch('{"checks": ['), 400)).detail).toBe("The request body is not valid JSON");
  });

  it("a body over 64 KiB -> 413 problem", async () => {
    const checks = Array.from({ length: 100 }, () => ({ plate: "ABC123", zone: "A1", note: "x".repeat(700) }));
    await expectProblem(await batch(JSON.stringify({ checks })), 413);
  });

  it("GET /v1/verify/batch -> 404 problem", async () => {
    await expectProblem(await call("/v1/verify/batch"), 404);
  });
});

describe("POST /v1/verify/batch: security", () => {
  const body = { zone: "A1", checks: [{ plate: "ABC123" }] };

  it("no credential -> 401 with a Bearer challenge", async () => {
    const res = await batch(body, null);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="curbgate"');
    await expectProblem(res, 401);
  });

  it("an unknown key -> 401", async () => {
    await expectProblem(await batch(body, `cg_live_${uniq(30)}`), 401);
  });

  it.each([
    ["a key with no scopes", NO_SCOPES],
    ["the driver-app key", APP],
  ])("%s -> 403", async (_, key) => {
    expect((await expectProblem(await batch(body, key), 403)).detail).toBe("This credential lacks the `verify:read` scope");
  });

  it("another tenant's key sees only its own zones and records", async () => {
    const zone = await utcZone();
    const plate = newPlate();
    await openSession({ plate, zone: "A1", minutes: 30 });
    await openSession({ plate, zone, minutes: 30 });

    const mine = await answered({ zone: "A1", checks: [{ plate }, { plate, zone }] });
    expect(mine.results.map((r) => r.session?.plate)).toEqual([plate, plate]);

    const theirs = await answered(
      { zone: "A1", checks: [{ plate }, { plate, zone: "B2" }, { plate, zone }] },
      OTHER_TENANT_ADMIN,
    );
    expect(theirs.results[0]).toMatchObject({ plate, zone: "A1", status: "NO_RECORD", session: null });
    expect(theirs.results[1]).toEqual({ plate, zone: "B2", error: { status: 404, detail: "Zone B2 not found" } });
    expect(theirs.results[2]).toEqual({ plate, zone, error: { status: 404, detail: `Zone ${zone} not found` } });
  });
});
