// The vendor-shaped plate checks from the Stamford integration guide (docs/sources.md): IPS Group's
// POST /api/ips/verify and AIMS's GET /api/aims/lookup/{plate}. The guide's payloads are the fixtures,
// and the IPS response example is the contract our answer's structure is held to.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import aimsRequest from "../../../fixtures/stamford-guide/aims-lookup-request.json";
import ipsRequest from "../../../fixtures/stamford-guide/ips-verify-request.json";
import ipsResponse from "../../../fixtures/stamford-guide/ips-verify-response.json";
import {
  ALL_DAYS,
  APP,
  call,
  callGetWithBody,
  createZone,
  expectProblem,
  flatZone,
  hourAhead,
  issuePermit,
  json,
  newPlate,
  nextLocalHour,
  NO_SCOPES,
  OFFICER,
  openSession,
  OTHER_TENANT_ADMIN,
  uniq,
} from "../../fixtures";

const MIN = 60_000;
const NY = "America/New_York";
const iso = (ms: number) => new Date(ms).toISOString();

/** The structure of a JSON value: objects as their sorted keys (recursively), arrays by their first element. */
function structure(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [structure(value[0])] : [];
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, structure((value as Record<string, unknown>)[k])]),
    );
  return "value";
}

/** Paths where our value has a different JSON type from the documented one (our nulls aside: we hold no owner or phone). */
function typeDifferences(ours: unknown, documented: unknown, path = "$"): string[] {
  if (ours === null) return [];
  if (Array.isArray(documented))
    return Array.isArray(ours) && ours.length && documented.length ? typeDifferences(ours[0], documented[0], `${path}[0]`) : [];
  if (documented !== null && typeof documented === "object") {
    if (ours === null || typeof ours !== "object") return [path];
    return Object.keys(documented).flatMap((k) => typeDifferences((ours as any)[k], (documented as any)[k], `${path}.${k}`));
  }
  return typeof ours === typeof documented ? [] : [path];
}

const ips = (body: unknown, key: string | null = OFFICER) => call("/api/ips/verify", { body, key });
const aims = (path: string, key: string | null = OFFICER) => call(`/api/aims/lookup/${path}`, { key });

/** The next whole hour, at least two hours ahead, when demo zone A1 is enforced and charged (Mon–Sat 09:00–15:00 New York). */
const enforcedA1Hour = () =>
  nextLocalHour(Date.now() + 2 * 60 * MIN, NY, (day, hour) => day !== "SUN" && hour >= 9 && hour <= 15);

async function alwaysEnforcedZone() {
  const body = flatZone({
    timezone: "UTC",
    name: "Vendor Test Street",
    rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 350 }],
  });
  await createZone(body);
  return body.code;
}

describe("POST /api/ips/verify: happy", () => {
  it("answers the guide's request verbatim in the guide's shape, judged at the request's timestamp", async () => {
    const res = await ips(ipsRequest);
    expect(res.status).toBe(200);
    const body = await json(res);
    // 2024-01-01 12:00Z is 07:00 on a Monday in Stamford, before A1's 08:00 start.
    expect(body).toEqual({
      requestId: "ips_req_123456",
      timestamp: "2024-01-01T12:00:00.000Z",
      verification: {
        isValid: true,
        status: "NOT_ENFORCED",
        session: null,
        vehicle: { licensePlate: "ABC123", state: "CT", registeredOwner: null },
        permits: [],
      },
      enforcementRecommendation: "NO_ACTION",
      additionalInfo: { paymentMethod: null, userPhone: null },
    });
    expect(Object.keys(body).sort()).toEqual(Object.keys(ipsResponse).sort());
    expect(Object.keys(body.verification).sort()).toEqual(Object.keys(ipsResponse.verification).sort());
  });

  it("has exactly the documented keys at every level, and the documented types, dollars included", async () => {
    const plate = newPlate();
    const at = enforcedA1Hour();
    const session = await openSession({ plate, state: "CT", zone: "A1", minutes: 120, startMs: at - 60 * MIN });
    const permit = await issuePermit({ plate, state: "CT", zones: ["A1"], validUntilMs: at + 30 * 86_400_000 });
    const requestId = `ips_req_${uniq(6)}`;

    const res = await ips({ ...ipsRequest, requestId, licensePlate: plate, timestamp: iso(at) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await json(res);

    expect(structure(body)).toEqual(structure(ipsResponse));
    expect(typeDifferences(body, ipsResponse)).toEqual([]);
    expect(body).toEqual({
      requestId,
      timestamp: iso(at),
      verification: {
        isValid: true,
        status: "PERMITTED",
        session: {
          id: session.id,
          startTime: iso(at - 60 * MIN),
          endTime: iso(at + 60 * MIN),
          timeRemaining: 3600,
          zone: { number: "A1", name: "Downtown Main Street", ratePerHour: 2 },
        },
        vehicle: { licensePlate: plate, state: "CT", registeredOwner: null },
        permits: [{ type: "RESIDENTIAL", number: permit.number, validUntil: permit.validUntil }],
      },
      enforcementRecommendation: "NO_ACTION",
      additionalInfo: { paymentMethod: null, userPhone: null },
    });
  });

  it("ACTIVE with time remaining in seconds and the rate in dollars", async () => {
    const plate = newPlate();
    const at = enforcedA1Hour();
    await openSession({ plate, state: "CT", zone: "A1", minutes: 90, startMs: at - 30 * MIN });
    const body = await json(await ips({ ...ipsRequest, licensePlate: plate.toLowerCase(), timestamp: iso(at) }));
    expect(body.verification).toMatchObject({
      isValid: true,
      status: "ACTIVE",
      session: { timeRemaining: 3600, zone: { ratePerHour: 2 } },
    });
    expect(body.verification.vehicle.licensePlate).toBe(plate);
    expect(body.enforcementRecommendation).toBe("NO_ACTION");
  });

  it("converts other rates to dollars too: Harbor Point's evening rate is $1.00", async () => {
    const plate = newPlate();
    const at = nextLocalHour(Date.now() + 2 * 60 * MIN, NY, (_, hour) => hour === 20);
    await openSession({ plate, zone: "B1", minutes: 120, startMs: at - 60 * MIN });
    const body = await json(
      await ips({ ...ipsRequest, licensePlate: plate, state: undefined, location: { zoneNumber: "b1" }, timestamp: iso(at) }),
    );
    expect(body.verification).toMatchObject({
      status: "ACTIVE",
      session: { zone: { number: "B1", name: "Harbor Point", ratePerHour: 1 } },
      vehicle: { state: null },
    });
  });

  it("a misread plate is never cited through IPS either", async () => {
    const code = await alwaysEnforcedZone();
    const tail = uniq(4);
    const start = hourAhead();
    await openSession({ plate: `O8${tail}`, zone: code, minutes: 15, startMs: start });
    const body = await json(
      await ips({
        ...ipsRequest,
        licensePlate: `0B${tail}`,
        state: undefined,
        location: { zoneNumber: code },
        timestamp: iso(start + 60 * MIN),
      }),
    );
    expect(body.verification).toMatchObject({ isValid: false, status: "EXPIRED" });
    expect(body.enforcementRecommendation).toBe("WARN");
  });
});

describe("POST /api/ips/verify: errors", () => {
  const without = (key: string) => Object.fromEntries(Object.entries(ipsRequest).filter(([k]) => k !== key));
  it.each([
    ["no requestId", without("requestId"), "requestId"],
    ["an empty requestId", { ...ipsRequest, requestId: "" }, "requestId"],
    ["no timestamp", without("timestamp"), "timestamp"],
    ["a timestamp without a zone", { ...ipsRequest, timestamp: "2024-01-01 12:00:00" }, "timestamp"],
    ["no licensePlate", without("licensePlate"), "licensePlate"],
    ["a licensePlate of punctuation", { ...ipsRequest, licensePlate: "--" }, "licensePlate"],
    ["a spelled-out state", { ...ipsRequest, state: "Connecticut" }, "state"],
    ["no location", without("location"), "location"],
    ["no zoneNumber", { ...ipsRequest, location: { latitude: 41.05 } }, "location.zoneNumber"],
    ["a latitude off the globe", { ...ipsRequest, location: { ...ipsRequest.location, latitude: 91 } }, "location.latitude"],
    ["a longitude off the globe", { ...ipsRequest, location: { ...ipsRequest.location, longitude: -181 } }, "location.longitude"],
    [
      "a 501-character address",
      { ...ipsRequest, location: { ...ipsRequest.location, address: "x".repeat(501) } },
      "location.address",
    ],
    ["an officerId over 128 characters", { ...ipsRequest, officerId: "o".repeat(129) }, "officerId"],
  ])("%s -> 422 with a field error", async (_, body, path) => {
    const p = await expectProblem(await ips(body), 422);
    expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ location: "body", path })]));
  });

  it("malformed JSON -> 400 problem", async () => {
    await expectProblem(await ips('{"requestId": "ips_req_1",'), 400);
  });

  it("an unknown zone -> 404 problem", async () => {
    const p = await expectProblem(await ips({ ...ipsRequest, location: { zoneNumber: "Z9-NOPE" } }), 404);
    expect(p.detail).toBe("Zone Z9-NOPE not found");
  });

  it("a body over 64 KiB -> 413 problem", async () => {
    await expectProblem(await ips({ ...ipsRequest, officerId: "o".repeat(70_000) }), 413);
  });
});

describe("POST /api/ips/verify: security", () => {
  it("no credential -> 401 with a Bearer challenge", async () => {
    const res = await ips(ipsRequest, null);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="curbgate"');
    await expectProblem(res, 401);
  });

  it("the guide's placeholder key, or any unknown key -> 401", async () => {
    await expectProblem(await ips(ipsRequest, "IPS_API_KEY"), 401);
    await expectProblem(await ips(ipsRequest, `cg_live_${uniq(30)}`), 401);
  });

  it.each([
    ["no scopes", NO_SCOPES],
    ["driver app", APP],
  ])("a key without verify:read (%s) -> 403", async (_, key) => {
    await expectProblem(await ips(ipsRequest, key), 403);
  });

  it("another tenant's key judges against its own zone A1 and cannot reach demo-only zones", async () => {
    const plate = newPlate();
    const at = enforcedA1Hour();
    await openSession({ plate, state: "CT", zone: "A1", minutes: 120, startMs: at - 60 * MIN });
    const request = { ...ipsRequest, licensePlate: plate, timestamp: iso(at) };
    expect((await json(await ips(request))).verification.status).toBe("ACTIVE");

    const theirs = await json(await ips(request, OTHER_TENANT_ADMIN));
    expect(theirs.verification).toEqual({
      isValid: false,
      status: "NO_RECORD",
      session: null,
      vehicle: { licensePlate: plate, state: "CT", registeredOwner: null },
      permits: [],
    });
    expect(theirs.enforcementRecommendation).toBe("CITE");
    await expectProblem(await ips({ ...request, location: { zoneNumber: "B2" } }, OTHER_TENANT_ADMIN), 404);
  });
});

describe("GET /api/aims/lookup/{plate}: happy", () => {
  it("answers the guide's lookup verbatim (JSON body with the GET), judged at the body's timestamp", async () => {
    const res = await callGetWithBody(env, "/api/aims/lookup/ABC123?state=CT&zone=A1", JSON.stringify(aimsRequest));
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({
      licensePlate: "ABC123",
      state: "CT",
      zone: "A1",
      timestamp: aimsRequest.timestamp,
      verification: {
        isValid: true,
        status: "NOT_ENFORCED",
        session: null,
        vehicle: { licensePlate: "ABC123", state: "CT", registeredOwner: null },
        permits: [],
      },
      enforcementRecommendation: "NO_ACTION",
      additionalInfo: {
        matchType: null,
        matchedPlate: null,
        reason: "Not enforced at this time.",
        paymentMethod: null,
        userPhone: null,
      },
    });
  });

  it("uses the IPS verification structure, dollars included", async () => {
    const plate = newPlate();
    const at = enforcedA1Hour();
    await openSession({ plate, state: "CT", zone: "A1", minutes: 120, startMs: at - 60 * MIN });
    await issuePermit({ plate, state: "CT", zones: ["A1"], validUntilMs: at + 86_400_000 });
    const res = await callGetWithBody(
      env,
      `/api/aims/lookup/${plate}?state=CT&zone=A1`,
      JSON.stringify({ ...aimsRequest, timestamp: iso(at) }),
    );
    const body = await json(res);
    expect(structure(body.verification)).toEqual(structure(ipsResponse.verification));
    expect(typeDifferences(body.verification, ipsResponse.verification)).toEqual([]);
    expect(body.verification.session.zone).toEqual({ number: "A1", name: "Downtown Main Street", ratePerHour: 2 });
    expect(body.verification.status).toBe("PERMITTED");
  });

  it("without a body, judges now", async () => {
    const code = await alwaysEnforcedZone();
    const plate = newPlate();
    await openSession({ plate, state: "NY", zone: code, minutes: 60 });
    const before = Date.now();
    const res = await aims(`${plate}?state=ny&zone=${code.toLowerCase()}`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Date.parse(body.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(body.timestamp)).toBeLessThanOrEqual(Date.now());
    expect(body).toMatchObject({ licensePlate: plate, state: "NY", zone: code, enforcementRecommendation: "NO_ACTION" });
    expect(body.verification).toMatchObject({
      isValid: true,
      status: "ACTIVE",
      session: { zone: { number: code, ratePerHour: 3.5 } },
    });
    expect(body.verification.session.timeRemaining).toBeGreaterThan(3500);
    expect(body.verification.session.timeRemaining).toBeLessThanOrEqual(3600);
  });

  it("an empty or blank body counts as no body", async () => {
    const code = await alwaysEnforcedZone();
    for (const blank of ["", "  \n"]) {
      const res = await callGetWithBody(env, `/api/aims/lookup/ABC123?zone=${code}`, blank);
      expect(res.status).toBe(200);
      expect((await json(res)).verification.status).toBe("NO_RECORD");
    }
  });

  it("the body's timestamp picks the moment judged", async () => {
    const code = await alwaysEnforcedZone();
    const plate = newPlate();
    const start = hourAhead();
    await openSession({ plate, zone: code, minutes: 60, startMs: start });
    const at = async (ms: number) =>
      json(
        await callGetWithBody(
          env,
          `/api/aims/lookup/${plate}?zone=${code}`,
          JSON.stringify({ ...aimsRequest, timestamp: iso(ms) }),
        ),
      );
    expect((await at(start - MIN)).verification.status).toBe("NO_RECORD");
    const during = await at(start + 30 * MIN);
    expect(during.timestamp).toBe(iso(start + 30 * MIN));
    expect(during.verification).toMatchObject({ status: "ACTIVE", session: { timeRemaining: 1800 } });
    expect((await at(start + 60 * MIN)).verification.status).toBe("GRACE");
  });

  it("normalises the plate in the path and matches misreads fuzzily", async () => {
    const code = await alwaysEnforcedZone();
    const tail = uniq(4);
    const plate = `Z8${tail}`;
    await openSession({ plate, zone: code, minutes: 60 });
    const exact = await json(await aims(`${encodeURIComponent(` z-8 ${tail.toLowerCase()}`)}?zone=${code}`));
    expect(exact).toMatchObject({
      licensePlate: plate,
      additionalInfo: { matchType: "exact", matchedPlate: plate },
      enforcementRecommendation: "NO_ACTION",
    });
    const misread = await json(await aims(`2B${tail}?zone=${code}`));
    expect(misread).toMatchObject({
      licensePlate: `2B${tail}`,
      additionalInfo: { matchType: "fuzzy", matchedPlate: plate },
      enforcementRecommendation: "WARN",
    });
    expect(misread.additionalInfo.reason).toMatch(new RegExp(`^Confirm plate ${plate}:`));
  });
});

describe("GET /api/aims/lookup/{plate}: errors", () => {
  it.each([
    ["no zone", "ABC123", "zone"],
    ["a zone with a space", "ABC123?zone=A%201", "zone"],
    ["a spelled-out state", "ABC123?zone=A1&state=Connecticut", "state"],
  ])("%s -> 422 with a query field error", async (_, path, field) => {
    const p = await expectProblem(await aims(path), 422);
    expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ location: "query", path: field })]));
  });

  it("a plate with no letter or digit names no resource -> 404", async () => {
    const p = await expectProblem(await aims("---?zone=A1"), 404);
    expect(p.errors).toEqual([expect.objectContaining({ location: "path", path: "licensePlate" })]);
  });

  it("a plate longer than 20 characters -> 404", async () => {
    await expectProblem(await aims(`${"A".repeat(21)}?zone=A1`), 404);
  });

  it("an unknown zone -> 404", async () => {
    expect((await expectProblem(await aims("ABC123?zone=nope9"), 404)).detail).toBe("Zone NOPE9 not found");
  });

  it("a body that is not JSON -> 400", async () => {
    const p = await expectProblem(await callGetWithBody(env, "/api/aims/lookup/ABC123?zone=A1", "{officerId: officer_123"), 400);
    expect(p.detail).toBe("The request body is not valid JSON");
  });

  it.each([
    ["a timestamp in words", { ...aimsRequest, timestamp: "noon" }, "timestamp"],
    ["a latitude off the globe", { ...aimsRequest, location: { latitude: 200, longitude: 0 } }, "location.latitude"],
    ["a numeric officerId", { ...aimsRequest, officerId: 123 }, "officerId"],
    ["an array", [aimsRequest], "(root)"],
  ])("a body with %s -> 422 with a body field error", async (_, body, path) => {
    const p = await expectProblem(await callGetWithBody(env, "/api/aims/lookup/ABC123?zone=A1", JSON.stringify(body)), 422);
    expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ location: "body", path })]));
  });

  it("a body over 64 KiB -> 413", async () => {
    await expectProblem(
      await callGetWithBody(env, "/api/aims/lookup/ABC123?zone=A1", JSON.stringify({ officerId: "o".repeat(70_000) })),
      413,
    );
  });

  it("POST to the lookup -> 404", async () => {
    await expectProblem(await call("/api/aims/lookup/ABC123?zone=A1", { body: aimsRequest }), 404);
  });
});

describe("GET /api/aims/lookup/{plate}: security", () => {
  it("no credential -> 401, with or without a body", async () => {
    const plain = await aims("ABC123?zone=A1", null);
    expect(plain.headers.get("www-authenticate")).toBe('Bearer realm="curbgate"');
    await expectProblem(plain, 401);
    await expectProblem(await callGetWithBody(env, "/api/aims/lookup/ABC123?zone=A1", JSON.stringify(aimsRequest), null), 401);
  });

  it("the guide's placeholder key -> 401", async () => {
    await expectProblem(await aims("ABC123?zone=A1", "AIMS_API_KEY"), 401);
  });

  it.each([
    ["no scopes", NO_SCOPES],
    ["driver app", APP],
  ])("a key without verify:read (%s) -> 403", async (_, key) => {
    await expectProblem(await aims("ABC123?zone=A1", key), 403);
  });

  it("another tenant's key sees its own A1 and no demo-only zone", async () => {
    const plate = newPlate();
    await openSession({ plate, state: "CT", zone: "A1", minutes: 60 });
    expect((await json(await aims(`${plate}?state=CT&zone=A1`))).verification.session).not.toBeNull();

    const theirs = await json(await aims(`${plate}?state=CT&zone=A1`, OTHER_TENANT_ADMIN));
    expect(theirs).toMatchObject({
      zone: "A1",
      verification: { isValid: false, status: "NO_RECORD", session: null, permits: [] },
      enforcementRecommendation: "CITE",
    });
    await expectProblem(await aims(`${plate}?zone=B2`, OTHER_TENANT_ADMIN), 404);
  });
});
