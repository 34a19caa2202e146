// Permits through the worker: issue, search, revoke; each change counts in the very next plate check,
// and nothing crosses tenants.
import { beforeAll, describe, expect, it } from "vitest";
import { demoPermits } from "../../../../src/dev/demo-data";
import {
  DEMO_ADMIN,
  NO_SCOPES,
  OFFICER,
  OTHER_TENANT_ADMIN,
  WEEKDAYS,
  call,
  createZone,
  flatZone,
  json,
  localInstant,
  newPlate,
  problem,
  uniq,
  upcomingDay,
  type ZoneBody,
} from "../../fixtures";

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Permit = {
  id: string;
  plate: string;
  state: string | null;
  type: string;
  number: string;
  zones: string[];
  validFrom: string;
  validUntil: string;
  status: "active" | "revoked";
  revokedAt: string | null;
  createdAt: string;
};
type Verdict = {
  status: string;
  valid: boolean;
  matchType: string | null;
  enforcementRecommendation: string;
  permits: { id: string; number: string; type: string; matchType: string }[];
};

const create = (body: Record<string, unknown>, key: string | null = DEMO_ADMIN) => call("/v1/permits", { key, body });
async function created(body: Record<string, unknown>, key = DEMO_ADMIN): Promise<Permit> {
  const res = await create(body, key);
  if (res.status !== 201) throw new Error(`permit create failed: ${res.status} ${await res.text()}`);
  return json<Permit>(res);
}
const revoke = (id: string, key: string | null = DEMO_ADMIN) => call(`/v1/permits/${id}`, { key, method: "DELETE" });
const getOne = (id: string, key: string | null = OFFICER) => call(`/v1/permits/${id}`, { key });
const search = async (query: string, key = OFFICER) =>
  (await json<{ data: Permit[] }>(await call(`/v1/permits?${query}`, { key }))).data;
async function check(plate: string, zone: string, opts: { at?: number; state?: string; key?: string } = {}): Promise<Verdict> {
  const res = await call("/v1/verify", {
    key: opts.key ?? OFFICER,
    body: { plate, zone, ...(opts.state ? { state: opts.state } : {}), ...(opts.at ? { at: iso(opts.at) } : {}) },
  });
  if (res.status !== 200) throw new Error(`verify failed: ${res.status} ${await res.text()}`);
  return json<Verdict>(res);
}
const inAWeek = () => iso(Date.now() + 7 * DAY);

// Two always-enforced zones, so a plate with no permit is NO_RECORD whenever the test runs.
let north: ZoneBody;
let south: ZoneBody;
beforeAll(async () => {
  north = await createZone(flatZone({ name: "Test North" }));
  south = await createZone(flatZone({ name: "Test South" }));
});

describe("POST /v1/permits", () => {
  it("issues a permit that counts in the very next plate check", async () => {
    const plate = newPlate();
    expect(await check(plate, north.code)).toMatchObject({ status: "NO_RECORD", valid: false, permits: [] });

    const number = `RES-T-${uniq(6)}`;
    const before = Date.now();
    const res = await create({
      plate: plate.toLowerCase(),
      state: "ct",
      type: "RESIDENTIAL",
      number,
      zones: [north.code.toLowerCase()],
      validUntil: inAWeek(),
    });
    expect(res.status).toBe(201);
    const p = await json<Permit>(res);
    expect(p).toMatchObject({
      plate,
      state: "CT",
      type: "RESIDENTIAL",
      number,
      zones: [north.code],
      status: "active",
      revokedAt: null,
    });
    expect(p.id).toMatch(/^prm_[A-Za-z0-9]{20}$/);
    expect(Date.parse(p.validFrom)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(p.validFrom)).toBeLessThanOrEqual(Date.now());

    const v = await check(plate, north.code, { state: "CT" });
    expect(v).toMatchObject({ status: "PERMITTED", valid: true, matchType: "exact", enforcementRecommendation: "NO_ACTION" });
    expect(v.permits).toEqual([expect.objectContaining({ id: p.id, number, type: "RESIDENTIAL", matchType: "exact" })]);
    // only in the zones it covers
    expect(await check(plate, south.code)).toMatchObject({ status: "NO_RECORD" });
  });

  it("covers every zone it names, and generates a number when none is given", async () => {
    const plate = newPlate();
    const p = await created({ plate, type: "BUSINESS", zones: [north.code, south.code, north.code], validUntil: inAWeek() });
    expect(p.zones).toEqual([north.code, south.code]);
    expect(p.number).toMatch(/^BUS-\d{4}-[0-9A-Z]{6}$/);
    for (const zone of [north.code, south.code]) expect((await check(plate, zone)).status).toBe("PERMITTED");
  });

  it("counts only inside its validity window", async () => {
    const plate = newPlate();
    const from = Date.now() + DAY;
    await created({ plate, type: "VISITOR", zones: [north.code], validFrom: iso(from), validUntil: iso(from + DAY) });
    expect((await check(plate, north.code)).status).toBe("NO_RECORD");
    expect((await check(plate, north.code, { at: from + 3_600_000 })).status).toBe("PERMITTED");
    expect((await check(plate, north.code, { at: from + DAY })).status).toBe("NO_RECORD");
  });

  it("refuses unknown zones with 422 and issues nothing", async () => {
    const plate = newPlate();
    const body = await problem(
      await create({ plate, type: "VISITOR", zones: [north.code, "NOPE-1"], validUntil: inAWeek() }),
      422,
    );
    expect(body.errors).toEqual([{ location: "body", path: "zones", message: "Unknown zone(s): NOPE-1" }]);
    expect(await search(`plate=${plate}`)).toEqual([]);
    expect((await check(plate, north.code)).status).toBe("NO_RECORD");
  });

  it("refuses validUntil before (or at) validFrom", async () => {
    const from = Date.now() + DAY;
    for (const validUntil of [iso(from - 1000), iso(from)]) {
      const body = await problem(
        await create({ plate: newPlate(), type: "VISITOR", zones: [north.code], validFrom: iso(from), validUntil }),
        422,
      );
      expect(body.errors).toEqual([{ location: "body", path: "validUntil", message: "Must be after validFrom" }]);
    }
    // validFrom defaults to now, so a validUntil in the past is refused too
    const past = await problem(
      await create({ plate: newPlate(), type: "VISITOR", zones: [north.code], validUntil: iso(Date.now() - DAY) }),
      422,
    );
    expect(past.errors?.[0]?.path).toBe("validUntil");
  });

  it("refuses a duplicate permit number with 409", async () => {
    const number = `DUP-${uniq(8)}`;
    const first = await created({ plate: newPlate(), type: "VISITOR", number, zones: [north.code], validUntil: inAWeek() });
    const plate = newPlate();
    const body = await problem(await create({ plate, type: "VISITOR", number, zones: [south.code], validUntil: inAWeek() }), 409);
    expect(body.detail).toBe(`Permit number ${number} is already in use`);
    expect((await check(plate, south.code)).status).toBe("NO_RECORD");
    expect((await json<Permit>(await getOne(first.id))).plate).toBe(first.plate);
  });

  it("returns field errors for invalid bodies", async () => {
    const body = await problem(await create({ plate: "***", type: "MONTHLY", zones: [], validUntil: "next week" }), 422);
    expect(body.errors!.map((e) => e.path).sort()).toEqual(["plate", "type", "validUntil", "zones"]);
    const missing = await problem(await create({ plate: newPlate(), type: "VISITOR", zones: [north.code] }), 422);
    expect(missing.errors).toEqual([expect.objectContaining({ location: "body", path: "validUntil" })]);
  });
});

describe("GET /v1/permits and /v1/permits/{id}", () => {
  it("returns one permit by id", async () => {
    const p = await created({ plate: newPlate(), type: "VISITOR", zones: [north.code], validUntil: inAWeek() });
    const res = await getOne(p.id);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual(p);
  });

  it("returns every seeded demo permit by its id", async () => {
    for (const seeded of demoPermits(Date.now())) {
      const res = await getOne(seeded.id);
      expect(res.status, seeded.id).toBe(200);
      expect(await json<Permit>(res)).toMatchObject({ id: seeded.id, number: seeded.number, plate: seeded.plate });
    }
  });

  it("answers 404 for malformed and unknown ids", async () => {
    const malformed = await problem(await getOne("prm_short"), 404);
    expect(malformed.errors?.[0]).toMatchObject({ location: "path", path: "id" });
    expect((await problem(await getOne(`prm_${"x".repeat(20)}`), 404)).detail).toBe("Permit not found");
  });

  it("searches by plate, zone and status, newest first", async () => {
    const plate = newPlate();
    const a = await created({ plate, type: "RESIDENTIAL", zones: [north.code], validUntil: inAWeek() });
    const b = await created({ plate, type: "VISITOR", zones: [south.code], validUntil: inAWeek() });
    const other = await created({ plate: newPlate(), type: "VISITOR", zones: [south.code], validUntil: inAWeek() });
    expect((await revoke(a.id)).status).toBe(200);

    const byPlate = await search(`plate=${plate.toLowerCase()}`);
    expect(byPlate.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
    expect((await search(`plate=${plate}&status=revoked`)).map((p) => p.id)).toEqual([a.id]);
    expect((await search(`plate=${plate}&status=active`)).map((p) => p.id)).toEqual([b.id]);
    expect((await search(`plate=${plate}&zone=${south.code}`)).map((p) => p.id)).toEqual([b.id]);
    expect(await search(`plate=${plate}&zone=${north.code}&status=active`)).toEqual([]);
    const inSouth = (await search(`zone=${south.code.toLowerCase()}&limit=200`)).map((p) => p.id);
    expect(inSouth).toEqual(expect.arrayContaining([b.id, other.id]));
    expect(inSouth).not.toContain(a.id);
    expect(await search(`plate=${plate}&limit=1`)).toHaveLength(1);
  });

  it("validates the search query", async () => {
    expect((await problem(await call("/v1/permits?status=expired", { key: OFFICER }), 422)).errors?.[0]).toMatchObject({
      location: "query",
      path: "status",
    });
    expect((await problem(await call("/v1/permits?limit=500", { key: OFFICER }), 422)).errors?.[0]?.path).toBe("limit");
    expect((await problem(await call("/v1/permits?zone=a%20b", { key: OFFICER }), 422)).errors?.[0]?.path).toBe("zone");
  });
});

describe("DELETE /v1/permits/{id}", () => {
  it("revokes a permit so the very next plate check no longer counts it; revoking twice is harmless", async () => {
    const plate = newPlate();
    const p = await created({ plate, type: "RESIDENTIAL", zones: [north.code, south.code], validUntil: inAWeek() });
    expect((await check(plate, south.code)).status).toBe("PERMITTED");

    const before = Date.now();
    const res = await revoke(p.id);
    expect(res.status).toBe(200);
    const revoked = await json<Permit>(res);
    expect(revoked).toMatchObject({ id: p.id, status: "revoked" });
    expect(Date.parse(revoked.revokedAt!)).toBeGreaterThanOrEqual(before);
    for (const zone of [north.code, south.code])
      expect(await check(plate, zone)).toMatchObject({ status: "NO_RECORD", permits: [] });

    const again = await revoke(p.id);
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(revoked);
    expect(await json(await getOne(p.id))).toEqual(revoked);
    expect((await check(plate, north.code)).status).toBe("NO_RECORD");
  });

  it("leaves the plate's other permits counting", async () => {
    const plate = newPlate();
    const a = await created({ plate, type: "RESIDENTIAL", zones: [north.code], validUntil: inAWeek() });
    const b = await created({ plate, type: "VISITOR", zones: [north.code], validUntil: iso(Date.now() + 2 * DAY) });
    await revoke(a.id);
    const v = await check(plate, north.code);
    expect(v.status).toBe("PERMITTED");
    expect(v.permits.map((p) => p.id)).toEqual([b.id]);
  });

  it("answers 404 for malformed and unknown ids", async () => {
    await problem(await revoke("nope"), 404);
    expect((await problem(await revoke(`prm_${"y".repeat(20)}`), 404)).detail).toBe("Permit not found");
  });
});

describe("permits: security", () => {
  it("needs a credential", async () => {
    await problem(await call("/v1/permits", { key: null }), 401);
    await problem(await create({ plate: newPlate(), type: "VISITOR", zones: [north.code], validUntil: inAWeek() }, null), 401);
    await problem(await revoke(`prm_${"z".repeat(20)}`, null), 401);
  });

  it("an officer key can read permits but not issue or revoke them", async () => {
    const p = await created({ plate: newPlate(), type: "VISITOR", zones: [north.code], validUntil: inAWeek() });
    expect((await getOne(p.id, OFFICER)).status).toBe(200);
    expect((await call(`/v1/permits?plate=${p.plate}`, { key: OFFICER })).status).toBe(200);
    const plate = newPlate();
    expect(
      (await problem(await create({ plate, type: "VISITOR", zones: [north.code], validUntil: inAWeek() }, OFFICER), 403)).detail,
    ).toContain("permits:write");
    expect(await search(`plate=${plate}`)).toEqual([]);
    await problem(await revoke(p.id, OFFICER), 403);
    expect((await json<Permit>(await getOne(p.id))).status).toBe("active");
    expect((await check(p.plate, north.code)).status).toBe("PERMITTED");
    await problem(await getOne(p.id, NO_SCOPES), 403);
  });

  it("the other tenant cannot read or revoke demo permits", async () => {
    const p = await created({ plate: newPlate(), type: "RESIDENTIAL", zones: ["A1", north.code], validUntil: inAWeek() });
    for (const id of [p.id, demoPermits(0)[1]!.id]) {
      await problem(await getOne(id, OTHER_TENANT_ADMIN), 404);
      await problem(await revoke(id, OTHER_TENANT_ADMIN), 404);
      expect((await json<Permit>(await getOne(id))).status).toBe("active");
    }
    expect(await search(`plate=${p.plate}`, OTHER_TENANT_ADMIN)).toEqual([]);
    expect((await search("limit=200", OTHER_TENANT_ADMIN)).map((x) => x.id)).not.toContain(p.id);
    expect((await check(p.plate, north.code)).status).toBe("PERMITTED");
    // the other tenant's A1 is a different zone: demo's permit does not count there
    expect((await check(p.plate, "A1", { key: OTHER_TENANT_ADMIN })).status).toBe("NO_RECORD");
  });

  it("the other tenant's permits never count in demo's zones, even under the same zone code and number", async () => {
    const plate = newPlate();
    const number = `SAME-${uniq(6)}`;
    await created({ plate, type: "VISITOR", number, zones: [north.code], validUntil: inAWeek() });
    // demo-only zones are unknown to the other tenant
    await problem(await create({ plate, type: "VISITOR", zones: [north.code], validUntil: inAWeek() }, OTHER_TENANT_ADMIN), 422);
    const theirs = await created({ plate, type: "VISITOR", number, zones: ["A1"], validUntil: inAWeek() }, OTHER_TENANT_ADMIN);
    expect((await check(theirs.plate, "A1", { key: OTHER_TENANT_ADMIN })).status).toBe("PERMITTED");
    // demo's A1, checked during its enforcement hours (weekday 10:00 in New York), knows nothing of it
    const at = localInstant("America/New_York", upcomingDay("America/New_York", WEEKDAYS).ymd, "10:00");
    expect(await check(theirs.plate, "A1", { at })).toMatchObject({ status: "NO_RECORD", permits: [] });
    await problem(await getOne(theirs.id), 404);
    await problem(await revoke(theirs.id), 404);
  });
});
