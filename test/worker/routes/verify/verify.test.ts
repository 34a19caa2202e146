// POST /v1/verify: every verdict the API can give, fuzzy matching, normalisation, validation and tenancy.
// Each test builds its own zone (always enforced, UTC) and plates, and judges at explicit instants.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  ALL_DAYS,
  APP,
  call,
  createZone,
  DEMO_ADMIN,
  expectProblem,
  flatZone,
  hourAhead,
  importedSessions,
  issuePermit,
  json,
  newPlate,
  nextLocalHour,
  NO_SCOPES,
  OFFICER,
  openSession,
  OTHER_TENANT_ADMIN,
  signStaffJwt,
  uniq,
  type ZoneBody,
} from "../../fixtures";

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

const verify = (body: unknown, key: string | null = OFFICER, headers?: Record<string, string>) =>
  call("/v1/verify", { body, key, headers });

async function verdict(body: Record<string, unknown>, key: string = OFFICER) {
  const res = await verify(body, key);
  if (res.status !== 200) throw new Error(`verify answered ${res.status}: ${await res.text()}`);
  return json(res);
}

/** A demo-tenant zone in UTC, enforced all day every day, $3.00/h, 10 min grace, 2 h maximum stay. */
async function zone(overrides: Partial<ZoneBody> = {}): Promise<string> {
  const body = flatZone({
    timezone: "UTC",
    name: "Verify Test Street",
    rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 300 }],
    graceMinutes: 10,
    maxStayMinutes: 120,
    ...overrides,
  });
  await createZone(body);
  return body.code;
}

/** "Paid until 14:00" names the day too when it differs from the day checked (UTC zones here). */
const clockOf = (ms: number, atMs: number) =>
  iso(ms).slice(0, 10) === iso(atMs).slice(0, 10) ? iso(ms).slice(11, 16) : `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 16)}`;

describe("POST /v1/verify: verdicts", () => {
  it("ACTIVE: an exact plate inside its paid time, with the session, its zone rate and time remaining", async () => {
    const code = await zone();
    const plate = newPlate();
    const start = hourAhead();
    const s = await openSession({ plate, state: "CT", zone: code, minutes: 120, startMs: start });
    const at = start + 30 * MIN;

    const v = await verdict({ plate, state: "CT", zone: code, at: iso(at) });
    expect(v).toEqual({
      plate,
      state: "CT",
      zone: code,
      checkedAt: iso(at),
      valid: true,
      status: "ACTIVE",
      matchType: "exact",
      matchedPlate: plate,
      session: {
        id: s.id,
        plate,
        state: "CT",
        startTime: iso(start),
        endTime: iso(start + 120 * MIN),
        secondsRemaining: 5400,
        matchType: "exact",
        zone: { code, name: "Verify Test Street", rateCentsPerHour: 300 },
      },
      permits: [],
      enforcementRecommendation: "NO_ACTION",
      reason: `Paid until ${clockOf(start + 120 * MIN, at)}; 1h30m remaining.`,
    });
  });

  it("moves from ACTIVE to GRACE to EXPIRED exactly at the end of paid time and of the grace period", async () => {
    const code = await zone({ graceMinutes: 10 });
    const plate = newPlate();
    const start = hourAhead();
    const end = start + 60 * MIN;
    await openSession({ plate, zone: code, minutes: 60, startMs: start });
    const at = async (ms: number) => verdict({ plate, zone: code, at: iso(ms) });

    const before = await at(start - 1);
    expect(before).toMatchObject({ status: "NO_RECORD", valid: false, session: null, enforcementRecommendation: "CITE" });

    expect(await at(start)).toMatchObject({
      status: "ACTIVE",
      valid: true,
      enforcementRecommendation: "NO_ACTION",
      session: { secondsRemaining: 3600 },
    });
    expect(await at(end - 1000)).toMatchObject({ status: "ACTIVE", valid: true, session: { secondsRemaining: 1 } });

    const grace = await at(end);
    expect(grace).toMatchObject({
      status: "GRACE",
      valid: true,
      enforcementRecommendation: "WARN",
      matchType: "exact",
      session: { secondsRemaining: 0 },
    });
    expect(grace.reason).toBe(`Paid time ended at ${clockOf(end, end)}; within the 10-minute grace period.`);
    expect(await at(end + 10 * MIN - 1)).toMatchObject({ status: "GRACE", valid: true });

    const expired = await at(end + 10 * MIN);
    expect(expired).toMatchObject({
      status: "EXPIRED",
      valid: false,
      enforcementRecommendation: "CITE",
      matchType: "exact",
      matchedPlate: plate,
    });
    expect(expired.session.endTime).toBe(iso(end));
    expect(expired.reason).toBe(`Paid time expired at ${clockOf(end, end + 10 * MIN)}.`);
  });

  it("OVERSTAY: back-to-back sessions past the maximum stay are cited, though the current one is paid", async () => {
    const code = await zone({ maxStayMinutes: 120, graceMinutes: 10 });
    const plate = newPlate();
    const start = hourAhead();
    // Curbgate refuses to sell the second session (test/worker/routes/sessions/max-stay.test.ts); a meter may not.
    const [first, second] = await importedSessions(env, code, [
      { plate, minutes: 120, startMs: start },
      { plate, minutes: 60, startMs: start + 120 * MIN },
    ]);

    const within = await verdict({ plate, zone: code, at: iso(start + 110 * MIN) });
    expect(within).toMatchObject({ status: "ACTIVE", valid: true, session: { id: first } });

    const over = await verdict({ plate, zone: code, at: iso(start + 150 * MIN) });
    expect(over).toMatchObject({
      status: "OVERSTAY",
      valid: false,
      enforcementRecommendation: "CITE",
      matchType: "exact",
      session: { id: second, secondsRemaining: 30 * 60 },
    });
    expect(over.reason).toBe(`Parked since ${clockOf(start, start + 150 * MIN)}, over the 2h00m maximum stay.`);
  });

  it("a re-park within the tenant's stay gap (30 minutes by default) continues the stay; one after it starts a new one", async () => {
    const code = await zone({ maxStayMinutes: 120, graceMinutes: 10 });
    const [joined, separate] = [newPlate(), newPlate()];
    const start = hourAhead();
    await importedSessions(env, code, [
      { plate: joined, minutes: 120, startMs: start },
      { plate: joined, minutes: 60, startMs: start + 150 * MIN },
      { plate: separate, minutes: 120, startMs: start },
      { plate: separate, minutes: 60, startMs: start + 155 * MIN },
    ]);

    const at = iso(start + 170 * MIN);
    expect(await verdict({ plate: joined, zone: code, at })).toMatchObject({
      status: "OVERSTAY",
      enforcementRecommendation: "CITE",
    });
    expect(await verdict({ plate: separate, zone: code, at })).toMatchObject({
      status: "ACTIVE",
      enforcementRecommendation: "NO_ACTION",
    });
  });

  it("NO_RECORD: a plate with neither session nor permit", async () => {
    const code = await zone();
    const at = iso(Date.UTC(2026, 0, 5, 12));
    expect(await verdict({ plate: newPlate(), zone: code, at })).toMatchObject({
      valid: false,
      status: "NO_RECORD",
      matchType: null,
      matchedPlate: null,
      session: null,
      permits: [],
      enforcementRecommendation: "CITE",
      reason: "No paid session or permit for this plate.",
      checkedAt: at,
    });
  });

  it("NOT_ENFORCED outside the zone's hours and days; enforced from the window's start up to its end", async () => {
    const code = await zone({ enforcement: [{ days: ["MON", "TUE", "WED", "THU", "FRI"], start: "09:00", end: "17:00" }] });
    const plate = newPlate();
    const check = async (at: string) => verdict({ plate, zone: code, at });
    // 2026-01-05 is a Monday, 2026-01-03 a Saturday.
    expect(await check("2026-01-05T08:59:00Z")).toMatchObject({
      status: "NOT_ENFORCED",
      valid: true,
      enforcementRecommendation: "NO_ACTION",
      reason: "Not enforced at this time.",
    });
    expect(await check("2026-01-05T09:00:00Z")).toMatchObject({ status: "NO_RECORD", valid: false });
    expect(await check("2026-01-05T16:59:00Z")).toMatchObject({ status: "NO_RECORD", valid: false });
    expect(await check("2026-01-05T17:00:00Z")).toMatchObject({ status: "NOT_ENFORCED", valid: true });
    expect(await check("2026-01-03T12:00:00Z")).toMatchObject({ status: "NOT_ENFORCED", valid: true });
  });

  it("NOT_ENFORCED still reports the plate's session", async () => {
    const code = await zone({ enforcement: [{ days: ALL_DAYS, start: "09:00", end: "17:00" }] });
    const plate = newPlate();
    const start = nextLocalHour(Date.now() + 60 * MIN, "UTC", (_, hour) => hour === 19);
    const s = await openSession({ plate, zone: code, minutes: 60, startMs: start });
    const v = await verdict({ plate, zone: code, at: iso(start + 15 * MIN) });
    expect(v).toMatchObject({
      status: "NOT_ENFORCED",
      valid: true,
      matchType: "exact",
      matchedPlate: plate,
      session: { id: s.id, secondsRemaining: 45 * 60 },
    });
  });

  it("PERMITTED from the very next check after issue, and gone from the very next check after revocation", async () => {
    const code = await zone();
    const plate = newPlate();
    expect(await verdict({ plate, state: "CT", zone: code })).toMatchObject({ status: "NO_RECORD" });

    const validUntil = Date.now() + 3 * 86_400_000;
    const permit = await issuePermit({ plate, state: "CT", zones: [code.toLowerCase()], validUntilMs: validUntil });
    const v = await verdict({ plate, state: "CT", zone: code });
    expect(v).toMatchObject({
      valid: true,
      status: "PERMITTED",
      matchType: "exact",
      matchedPlate: plate,
      enforcementRecommendation: "NO_ACTION",
      session: null,
    });
    expect(v.permits).toEqual([
      {
        id: permit.id,
        type: "RESIDENTIAL",
        number: permit.number,
        plate,
        validFrom: permit.validFrom,
        validUntil: iso(validUntil),
        matchType: "exact",
      },
    ]);
    expect(v.reason).toMatch(new RegExp(`^Residential permit ${permit.number} valid until `));

    const revoked = await call(`/v1/permits/${permit.id}`, { method: "DELETE", key: DEMO_ADMIN });
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).status).toBe("revoked");
    expect(await verdict({ plate, state: "CT", zone: code })).toMatchObject({ status: "NO_RECORD", valid: false, permits: [] });
  });

  it("a permit outranks an expired session and enforcement hours, but only inside its own window and zones", async () => {
    const code = await zone({ enforcement: [{ days: ALL_DAYS, start: "00:00", end: "24:00" }] });
    const elsewhere = await zone();
    const plate = newPlate();
    const start = hourAhead();
    await openSession({ plate, zone: code, minutes: 30, startMs: start });
    const from = start + 2 * 60 * MIN;
    const until = start + 4 * 60 * MIN;
    const permit = await issuePermit({ plate, zones: [code], type: "VISITOR", validFromMs: from, validUntilMs: until });

    expect(await verdict({ plate, zone: code, at: iso(from - 1) })).toMatchObject({
      status: "EXPIRED",
      enforcementRecommendation: "CITE",
      permits: [],
    });
    const inside = await verdict({ plate, zone: code, at: iso(from) });
    expect(inside).toMatchObject({
      status: "PERMITTED",
      valid: true,
      enforcementRecommendation: "NO_ACTION",
      permits: [{ id: permit.id, type: "VISITOR" }],
    });
    expect(await verdict({ plate, zone: code, at: iso(until) })).toMatchObject({ status: "EXPIRED", permits: [] });
    expect(await verdict({ plate, zone: elsewhere, at: iso(from + MIN) })).toMatchObject({ status: "NO_RECORD", permits: [] });
  });
});

describe("POST /v1/verify: fuzzy matching and normalisation", () => {
  it("a misread plate matches fuzzy, never exact, and the officer is told to confirm it", async () => {
    const code = await zone();
    const tail = uniq(4);
    const plate = `S8O${tail}`;
    const start = hourAhead();
    const s = await openSession({ plate, state: "CT", zone: code, minutes: 60, startMs: start });
    const at = iso(start + 10 * MIN);

    for (const misread of [`58O${tail}`, `SBO${tail}`, `S80${tail}`, `5BQ${tail}`, `S8D${tail}`, `s-b-0 ${tail.toLowerCase()}`]) {
      const v = await verdict({ plate: misread, zone: code, at });
      expect(v, misread).toMatchObject({
        status: "ACTIVE",
        valid: true,
        matchType: "fuzzy",
        matchedPlate: plate,
        enforcementRecommendation: "WARN",
        session: { id: s.id, matchType: "fuzzy", plate },
      });
      expect(v.matchType, misread).not.toBe("exact");
      expect(v.reason, misread).toMatch(new RegExp(`^Confirm plate ${plate}: paid until `));
    }
    expect(await verdict({ plate: `S8O${tail}`, zone: code, at })).toMatchObject({
      matchType: "exact",
      enforcementRecommendation: "NO_ACTION",
    });
    expect(await verdict({ plate: `S8A${tail}`, zone: code, at })).toMatchObject({ status: "NO_RECORD", matchType: null });
  });

  it("a fuzzy match is never cited: an expired or overstayed misread gets WARN", async () => {
    const code = await zone({ graceMinutes: 10, maxStayMinutes: 60 });
    const tail = uniq(4);
    const [expiredPlate, overPlate] = [`Z2${tail}`, `IO${tail}`];
    const start = hourAhead();
    await openSession({ plate: expiredPlate, zone: code, minutes: 30, startMs: start });
    await importedSessions(env, code, [
      { plate: overPlate, minutes: 60, startMs: start },
      { plate: overPlate, minutes: 60, startMs: start + 60 * MIN },
    ]);

    expect(await verdict({ plate: expiredPlate, zone: code, at: iso(start + 50 * MIN) })).toMatchObject({
      status: "EXPIRED",
      enforcementRecommendation: "CITE",
    });
    expect(await verdict({ plate: `22${tail}`, zone: code, at: iso(start + 50 * MIN) })).toMatchObject({
      status: "EXPIRED",
      valid: false,
      matchType: "fuzzy",
      matchedPlate: expiredPlate,
      enforcementRecommendation: "WARN",
    });
    expect(await verdict({ plate: `1D${tail}`, zone: code, at: iso(start + 90 * MIN) })).toMatchObject({
      status: "OVERSTAY",
      valid: false,
      matchType: "fuzzy",
      matchedPlate: overPlate,
      enforcementRecommendation: "WARN",
    });
  });

  it("an exact record decides over a confusable neighbour's, yet a misread never earns a ticket", async () => {
    const code = await zone();
    const tail = uniq(4);
    const [paid, lapsed] = [`S8O${tail}`, `58O${tail}`];
    const start = hourAhead();
    await openSession({ plate: paid, zone: code, minutes: 120, startMs: start });
    await openSession({ plate: lapsed, zone: code, minutes: 15, startMs: start });
    await issuePermit({ plate: `SBO${tail}`, zones: [code], validUntilMs: start + 86_400_000 });
    const at = iso(start + 60 * MIN);

    // Its own session decides, though a look-alike plate holds a permit (which is still listed, as fuzzy).
    const own = await verdict({ plate: paid, zone: code, at });
    expect(own).toMatchObject({
      status: "ACTIVE",
      matchType: "exact",
      matchedPlate: paid,
      enforcementRecommendation: "NO_ACTION",
    });
    expect(own.permits.map((p: { plate: string; matchType: string }) => [p.plate, p.matchType])).toEqual([
      [`SBO${tail}`, "fuzzy"],
    ]);

    // The lapsed plate could be a misread of a legal one: WARN to confirm, not CITE.
    expect(await verdict({ plate: lapsed, zone: code, at })).toMatchObject({
      status: "PERMITTED",
      matchType: "fuzzy",
      enforcementRecommendation: "WARN",
    });
  });

  it("a look-alike plate's permit matches fuzzy with WARN", async () => {
    const code = await zone();
    const tail = uniq(4);
    const permit = await issuePermit({ plate: `B0${tail}`, zones: [code] });
    const v = await verdict({ plate: `8O${tail}`, zone: code });
    expect(v).toMatchObject({
      status: "PERMITTED",
      valid: true,
      matchType: "fuzzy",
      matchedPlate: `B0${tail}`,
      enforcementRecommendation: "WARN",
    });
    expect(v.permits).toEqual([expect.objectContaining({ id: permit.id, matchType: "fuzzy" })]);
    expect(v.reason).toMatch(new RegExp(`^Confirm plate B0${tail}: residential permit `));
  });

  it("plates are normalised: case, spaces and dashes are ignored on both the session and the check", async () => {
    const code = await zone();
    const tail = uniq(3);
    const plate = `ABC${tail}`;
    const start = hourAhead();
    const s = await openSession({ plate: `abc-${tail.toLowerCase()} `, zone: code, minutes: 60, startMs: start });
    expect(s.plate).toBe(plate);
    for (const written of [`abc-${tail} `, ` A b C ${tail.toLowerCase()}`, `ABC-${tail}`, `abc.${tail}`]) {
      const v = await verdict({ plate: written, zone: code, at: iso(start + MIN) });
      expect(v, written).toMatchObject({ plate, status: "ACTIVE", matchType: "exact", matchedPlate: plate });
    }
  });

  it("full-width characters from phone keyboards are read as the plate they spell", async () => {
    const code = await zone();
    const plate = `K${uniq(5)}`;
    const start = hourAhead();
    await openSession({ plate, zone: code, minutes: 60, startMs: start });
    const wide = [...plate].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join("");
    const v = await verdict({ plate: wide, zone: code, at: iso(start + MIN) });
    expect(v).toMatchObject({ plate, status: "ACTIVE", matchType: "exact" });
  });

  it("state: a different known state is a different vehicle; a missing state on either side still matches", async () => {
    const code = await zone();
    const [withState, withoutState] = [newPlate(), newPlate()];
    const start = hourAhead();
    await openSession({ plate: withState, state: "CT", zone: code, minutes: 60, startMs: start });
    await openSession({ plate: withoutState, zone: code, minutes: 60, startMs: start });
    const at = iso(start + MIN);

    expect(await verdict({ plate: withState, state: "NY", zone: code, at })).toMatchObject({
      status: "NO_RECORD",
      state: "NY",
      session: null,
    });
    expect(await verdict({ plate: withState, state: "ct", zone: code, at })).toMatchObject({
      status: "ACTIVE",
      state: "CT",
      session: { state: "CT" },
    });
    expect(await verdict({ plate: withState, zone: code, at })).toMatchObject({
      status: "ACTIVE",
      state: null,
      matchType: "exact",
    });
    expect(await verdict({ plate: withoutState, state: "NY", zone: code, at })).toMatchObject({
      status: "ACTIVE",
      matchType: "exact",
      session: { state: null },
    });
  });

  it("`at` defaults to now, keeps milliseconds, and accepts an offset (answered in UTC)", async () => {
    const code = await zone();
    const plate = newPlate();
    const before = Date.now();
    const now = await verdict({ plate, zone: code });
    const after = Date.now();
    const checked = Date.parse(now.checkedAt);
    expect(checked).toBeGreaterThanOrEqual(before);
    expect(checked).toBeLessThanOrEqual(after);

    expect((await verdict({ plate, zone: code, at: "2026-03-10T10:15:30.123Z" })).checkedAt).toBe("2026-03-10T10:15:30.123Z");
    expect((await verdict({ plate, zone: code, at: "2026-03-10T12:15:30+02:00" })).checkedAt).toBe("2026-03-10T10:15:30.000Z");
  });

  it("an offset `at` is judged at the same instant as its UTC form", async () => {
    const code = await zone();
    const plate = newPlate();
    const start = hourAhead();
    await openSession({ plate, zone: code, minutes: 60, startMs: start });
    const end = new Date(start + 60 * MIN);
    const shifted = new Date(end.getTime() + 5.5 * 60 * MIN).toISOString().replace("Z", "+05:30").replace(".000", "");
    expect(await verdict({ plate, zone: code, at: shifted })).toMatchObject({ status: "GRACE", checkedAt: iso(end.getTime()) });
  });

  it("zone codes are case-insensitive", async () => {
    const code = await zone();
    const plate = newPlate();
    const start = hourAhead();
    await openSession({ plate, zone: code.toLowerCase(), minutes: 60, startMs: start });
    const v = await verdict({ plate, zone: code.toLowerCase(), at: iso(start + MIN) });
    expect(v).toMatchObject({ zone: code, status: "ACTIVE", session: { zone: { code } } });
  });

  it("answers instants far in the past or future without failing", async () => {
    const code = await zone();
    for (const at of ["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59Z"]) {
      const v = await verdict({ plate: newPlate(), zone: code, at });
      expect(v, at).toMatchObject({ status: "NO_RECORD", checkedAt: new Date(at).toISOString() });
    }
  });
});

describe("POST /v1/verify: errors", () => {
  const valid = { plate: "ABC123", zone: "A1" };
  const cases: [string, unknown, string][] = [
    ["missing plate", { zone: "A1" }, "plate"],
    ["empty plate", { ...valid, plate: "" }, "plate"],
    ["plate too long", { ...valid, plate: "A".repeat(21) }, "plate"],
    ["plate of punctuation only", { ...valid, plate: "- -.-" }, "plate"],
    ["plate as a number", { ...valid, plate: 123456 }, "plate"],
    ["state of one letter", { ...valid, state: "C" }, "state"],
    ["state of four letters", { ...valid, state: "CONN" }, "state"],
    ["state with a digit", { ...valid, state: "C1" }, "state"],
    ["missing zone", { plate: "ABC123" }, "zone"],
    ["zone with a space", { ...valid, zone: "A 1" }, "zone"],
    ["zone too long", { ...valid, zone: "A".repeat(17) }, "zone"],
    ["empty zone", { ...valid, zone: "" }, "zone"],
    ["at in words", { ...valid, at: "yesterday" }, "at"],
    ["at without a time", { ...valid, at: "2026-01-05" }, "at"],
    ["at without an offset", { ...valid, at: "2026-01-05T10:00:00" }, "at"],
    ["at on a day that does not exist", { ...valid, at: "2026-02-30T10:00:00Z" }, "at"],
    ["at as epoch milliseconds", { ...valid, at: 1767607200000 }, "at"],
    ["an array body", [], "(root)"],
    ["a null body", null, "(root)"],
  ];

  it.each(cases)("%s -> 422 problem with a field error", async (_, body, path) => {
    const res = await verify(body === null ? "null" : body);
    const p = await expectProblem(res, 422);
    expect(p.type).toBe("https://curbgate.dev/problems/validation");
    expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ location: "body", path })]));
    for (const e of p.errors!) expect(typeof e.message).toBe("string");
  });

  it("lists every invalid field at once, and carries the caller's request id", async () => {
    const res = await verify({ plate: "", zone: "A 1", at: "soon", state: "Q" }, OFFICER, { "x-request-id": "verify-req-42" });
    expect(res.headers.get("x-request-id")).toBe("verify-req-42");
    const p = await expectProblem(res, 422);
    expect(p.requestId).toBe("verify-req-42");
    expect([...new Set(p.errors!.map((e) => e.path))].sort()).toEqual(["at", "plate", "state", "zone"]);
  });

  it("malformed JSON -> 400 problem", async () => {
    const p = await expectProblem(await verify('{"plate": "ABC123", "zone": '), 400);
    expect(p.detail).toBe("The request body is not valid JSON");
  });

  it("a body that is not JSON -> 415 problem", async () => {
    const res = await call("/v1/verify", {
      body: "plate=ABC123&zone=A1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    await expectProblem(res, 415);
  });

  it("an unknown zone -> 404 problem", async () => {
    const missing = `NO${uniq(6)}`;
    const p = await expectProblem(await verify({ plate: "ABC123", zone: missing.toLowerCase() }), 404);
    expect(p.detail).toBe(`Zone ${missing} not found`);
  });

  it("a body over 64 KiB -> 413 problem, before any other check", async () => {
    const big = JSON.stringify({ plate: "ABC123", zone: "A1", pad: "x".repeat(64 * 1024) });
    const p = await expectProblem(await verify(big), 413);
    expect(p.detail).toBe("Bodies are limited to 65536 bytes");
    await expectProblem(await verify(big, null), 413);
  });

  it("a body just under the limit is read normally", async () => {
    const body = JSON.stringify({ plate: "ABC123", zone: "A1", pad: "" });
    const padded = body.replace('"pad":""', `"pad":"${"x".repeat(64 * 1024 - body.length)}"`);
    expect(padded.length).toBe(64 * 1024);
    expect((await verify(padded)).status).toBe(200);
  });

  it.each(["GET", "PUT", "PATCH", "DELETE"])("%s /v1/verify -> 404 problem", async (method) => {
    const p = await expectProblem(await call("/v1/verify", { method }), 404);
    expect(p.detail).toBe(`No route for ${method} /v1/verify`);
  });

  it("an unknown path -> 404 problem", async () => {
    await expectProblem(await call("/v1/verifyy", { body: { plate: "ABC123", zone: "A1" } }), 404);
    await expectProblem(await call("/v1/verify/ABC123", { body: {} }), 404);
  });
});

describe("POST /v1/verify: security", () => {
  it("no credential -> 401 with a Bearer challenge", async () => {
    const res = await verify({ plate: "ABC123", zone: "A1" }, null);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="curbgate"');
    await expectProblem(res, 401);
  });

  it.each([["Basic YWRtaW46cGFzcw=="], ["Bearer"], ["Bearer cg_demo_officer extra"], [OFFICER]])(
    "a malformed Authorization header (%s) -> 401",
    async (header) => {
      const res = await call("/v1/verify", {
        key: null,
        headers: { authorization: header },
        body: { plate: "ABC123", zone: "A1" },
      });
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="curbgate"');
      await expectProblem(res, 401);
    },
  );

  it("an unknown API key -> 401", async () => {
    const res = await verify({ plate: "ABC123", zone: "A1" }, `cg_live_${uniq(32)}`);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="curbgate"');
    expect((await expectProblem(res, 401)).detail).toBe("Unknown, revoked or expired API key");
  });

  it.each([
    ["a key with no scopes", NO_SCOPES],
    ["the driver-app key", APP],
  ])("%s -> 403", async (_, key) => {
    const p = await expectProblem(await verify({ plate: "ABC123", zone: "A1" }, key), 403);
    expect(p.detail).toBe("This credential lacks the `verify:read` scope");
  });

  it("another tenant's key gets its own zone A1's verdict, never the demo tenant's", async () => {
    const plate = newPlate();
    const s = await openSession({ plate, state: "CT", zone: "A1", minutes: 60 });
    const mine = await verdict({ plate, state: "CT", zone: "A1" });
    expect(mine).toMatchObject({ matchType: "exact", session: { id: s.id } });

    const theirs = await verdict({ plate, state: "CT", zone: "A1" }, OTHER_TENANT_ADMIN);
    expect(theirs).toMatchObject({
      zone: "A1",
      status: "NO_RECORD",
      valid: false,
      matchType: null,
      session: null,
      permits: [],
      enforcementRecommendation: "CITE",
    });
  });

  it("another tenant's key gets 404 for a zone only the demo tenant has", async () => {
    const p = await expectProblem(await verify({ plate: "TRN808", zone: "B2" }, OTHER_TENANT_ADMIN), 404);
    expect(p.detail).toBe("Zone B2 not found");
    const code = await zone();
    await expectProblem(await verify({ plate: "ABC123", zone: code }, OTHER_TENANT_ADMIN), 404);
  });

  it("the same zone code in two tenants holds two separate sets of sessions and permits", async () => {
    const code = await zone();
    await createZone(flatZone({ code, timezone: "UTC" }), OTHER_TENANT_ADMIN);
    const plate = newPlate();
    const start = hourAhead();
    await openSession({ plate, zone: code, minutes: 60, startMs: start });
    await issuePermit({ plate, zones: [code], validFromMs: start, validUntilMs: start + 86_400_000 });
    const at = iso(start + MIN);

    expect(await verdict({ plate, zone: code, at })).toMatchObject({ status: "PERMITTED" });
    expect(await verdict({ plate, zone: code, at }, OTHER_TENANT_ADMIN)).toMatchObject({
      status: "NO_RECORD",
      session: null,
      permits: [],
    });
  });

  it("another tenant can neither revoke a demo permit nor issue one into a demo zone", async () => {
    const code = await zone();
    const plate = newPlate();
    const permit = await issuePermit({ plate, zones: [code] });

    await expectProblem(await call(`/v1/permits/${permit.id}`, { method: "DELETE", key: OTHER_TENANT_ADMIN }), 404);
    expect(await verdict({ plate, zone: code })).toMatchObject({ status: "PERMITTED" });

    const res = await call("/v1/permits", {
      key: OTHER_TENANT_ADMIN,
      body: { plate: newPlate(), type: "RESIDENTIAL", zones: [code], validUntil: iso(Date.now() + 86_400_000) },
    });
    expect((await expectProblem(res, 422)).errors).toEqual([expect.objectContaining({ path: "zones" })]);
  });

  describe("staff JWTs", () => {
    const body = { plate: "ABC123", zone: "A1" };
    const now = () => Math.floor(Date.now() / 1000);

    it("a token signed with the server's secret is accepted", async () => {
      const res = await verify(body, await signStaffJwt(env));
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("1200");
    });

    it("a viewer's token may check plates", async () => {
      expect((await verify(body, await signStaffJwt(env, { role: "viewer", sub: "usr_demo_viewer" }))).status).toBe(200);
    });

    const forgeries: [string, () => Parameters<typeof signStaffJwt>[2]][] = [
      ["expired a minute ago", () => ({ iat: now() - 3600, exp: now() - 60 })],
      ["signed with another secret", () => ({ secret: "not-the-server-secret-0123456789abcdef" })],
      ["of another issuer", () => ({ issuer: "someone-else" })],
      ["for another audience", () => ({ audience: "other-api" })],
      ["unsigned (alg none)", () => ({ alg: "none" })],
    ];
    it.each(forgeries)("a token %s -> 401", async (_, opts) => {
      const res = await verify(body, await signStaffJwt(env, {}, opts()));
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="curbgate"');
      expect((await expectProblem(res, 401)).detail).toBe("Invalid or expired token");
    });

    it("a token whose payload was edited after signing -> 401", async () => {
      const [h, , sig] = (await signStaffJwt(env, { tid: "other" })).split(".");
      const forged = btoa(
        JSON.stringify({ tid: "demo", role: "tenant_admin", sub: "x", iss: "curbgate", aud: "curbgate-api", exp: now() + 900 }),
      )
        .replace(/=+$/, "")
        .replace(/\+/g, "-")
        .replace(/\//g, "_");
      await expectProblem(await verify(body, `${h}.${forged}.${sig}`), 401);
    });

    it.each(["janitor", "constructor", "toString"])(
      "a token whose role %s is not a Curbgate role is refused -> 401",
      async (role) => {
        await expectProblem(await verify(body, await signStaffJwt(env, { role })), 401);
      },
    );

    it("the token's tenant claim bounds what it sees", async () => {
      const other = await signStaffJwt(env, { tid: "other", sub: "usr_other_admin", email: "admin@other.test" });
      await expectProblem(await verify({ plate: "TRN808", zone: "B2" }, other), 404);
      const plate = newPlate();
      await openSession({ plate, zone: "A1", minutes: 30 });
      expect(await verdict({ plate, zone: "A1" }, other)).toMatchObject({ status: "NO_RECORD", session: null });
    });
  });
});
