// The IPS connector's enforcement pushes against the simulated IPS, through the real route, queue
// consumer and gate: the guide's syncViolations (PENDING and ISSUED, observed in the last 7 days) and
// syncPermits (RESIDENTIAL, BUSINESS and VISITOR, active only), each narrowed by the job's params.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { addKey, call, createZone, flatZone, json, newPlate, uniq } from "../fixtures";
import { connectTo, creds, settled, sim, startSync, syncTenant } from "../sync/fixtures";
import { report } from "../routes/violations/reports";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

let t: { id: string; key: string };
let officer: string;
let apiKey: string;
let zone: string;

const held = async (what: "violations" | "permits", query = "") =>
  (await sim(`/ips/smartcity/v2/${what}?limit=500${query}`, { headers: { authorization: `ApiKey ${apiKey}` } })).body
    .data as any[];
const push = async (entity: string, params?: Record<string, unknown>) =>
  settled(t.key, "ips", (await startSync(t.key, "ips", { entity, direction: "push", ...(params ? { params } : {}) })).id);

async function violation(over: Record<string, unknown>) {
  const res = await call("/api/ips/violations", { key: officer, body: report(zone, over) });
  if (res.status !== 201) throw new Error(`violation: ${res.status} ${await res.text()}`);
  return json<{ id: string; violationId: string }>(res);
}
async function permit(body: Record<string, unknown>) {
  const res = await call("/v1/permits", { key: officer, body: { plate: newPlate(), zones: [zone], ...body } });
  if (res.status !== 201) throw new Error(`permit: ${res.status} ${await res.text()}`);
  return json<{ id: string; number: string; plate: string; validFrom: string; validUntil: string }>(res);
}

beforeAll(async () => {
  t = await syncTenant("ipe");
  officer = `cg_test_${t.id}_officer`;
  await addKey(env, officer, t.id, ["violations:write", "violations:read", "permits:write", "permits:read"], 1_000_000);
  const c = creds.ips();
  apiKey = c.apiKey;
  await connectTo(t.key, "ips", c);
  zone = (await createZone(flatZone(), t.key)).code;
});

describe("IPS violations push", () => {
  let pending: { id: string; violationId: string };
  let issued: { id: string; violationId: string };
  let cancelled: { id: string; violationId: string };
  let old: { id: string; violationId: string };

  beforeAll(async () => {
    pending = await violation({
      timestamp: ago(1),
      evidence: [{ type: "PHOTO", url: "http://ips-storage.com/photos/plain-http.jpg" }],
    });
    issued = await violation({ timestamp: ago(2), status: "ISSUED", fineAmount: 40.5 });
    cancelled = await violation({ timestamp: ago(3), status: "CANCELLED" });
    old = await violation({ timestamp: ago(8) });
  });

  it("by default pushes what is PENDING or ISSUED and was observed in the last 7 days, in the shape IPS reports it", async () => {
    const job = await push("violations");
    expect(job).toMatchObject({
      status: "succeeded",
      result: { records: 2, detail: { batches: 1, created: 2, updated: 0, found: 2, status: ["PENDING", "ISSUED"] } },
    });
    const ids = (await held("violations")).map((v) => v.violationId).sort();
    expect(ids).toEqual([pending.violationId, issued.violationId].sort());
    const [wire] = await held("violations", "&status=PENDING");
    expect(wire).toMatchObject({
      violationId: pending.violationId,
      curbgateId: pending.id,
      status: "PENDING",
      violationType: "EXPIRED_METER",
      fineAmount: 25,
      officerId: "officer_123",
      location: { zoneNumber: zone, latitude: 41.0534, longitude: -73.5387, address: "123 Main Street, Stamford, CT" },
      evidence: [{ type: "PHOTO", url: "http://ips-storage.com/photos/plain-http.jpg", stored: false, sha256: null }],
    });
    expect((await held("violations", "&status=ISSUED"))[0]).toMatchObject({ curbgateId: issued.id, fineAmount: 40.5 });
  });

  it("takes another status list and time range from params; what IPS holds already is updated", async () => {
    const cancelledOnly = await push("violations", { status: ["cancelled"], from: ago(10) });
    expect(cancelledOnly.result).toMatchObject({ records: 1, detail: { created: 1, status: ["CANCELLED"] } });
    expect((await held("violations", "&status=CANCELLED")).map((v) => v.violationId)).toEqual([cancelled.violationId]);

    const tenDays = await push("violations", { from: ago(10), to: new Date().toISOString(), zones: [zone.toLowerCase()] });
    expect(tenDays.result).toMatchObject({ records: 3, detail: { created: 1, updated: 2, found: 3 } });
    expect((await held("violations")).map((v) => v.violationId)).toContain(old.violationId);

    const elsewhere = await push("violations", { zones: ["NOWHERE1"] });
    expect(elsewhere.result).toMatchObject({ records: 0, detail: { batches: 0, found: 0 } });
  });

  it("fails a job with bad params at once, without calling IPS", async () => {
    const before = (await held("violations")).length;
    for (const [params, error] of [
      [{ status: ["PAID"] }, "invalid params: status must be a non-empty list of PENDING, ISSUED, CANCELLED"],
      [{ from: "last week" }, "invalid params: from must be an ISO 8601 instant"],
      [{ from: ago(1), to: ago(2) }, "invalid params: to must be after from"],
      [{ from: ago(200) }, "invalid params: from and to may be at most 92 days apart"],
    ] as const)
      expect(await push("violations", params)).toMatchObject({ status: "failed", attempts: 1, lastError: error });
    expect(await held("violations")).toHaveLength(before);
  });
});

describe("IPS permits push", () => {
  let residential: Awaited<ReturnType<typeof permit>>;
  let visitor: Awaited<ReturnType<typeof permit>>;
  let lapsed: Awaited<ReturnType<typeof permit>>;
  let revoked: Awaited<ReturnType<typeof permit>>;

  beforeAll(async () => {
    const inAMonth = new Date(Date.now() + 30 * DAY).toISOString();
    residential = await permit({ type: "RESIDENTIAL", state: "CT", number: `RES-${uniq(6)}`, validUntil: inAMonth });
    visitor = await permit({ type: "VISITOR", validUntil: inAMonth });
    lapsed = await permit({ type: "BUSINESS", validFrom: ago(10), validUntil: ago(5) });
    revoked = await permit({ type: "BUSINESS", validUntil: inAMonth });
    expect((await call(`/v1/permits/${revoked.id}`, { key: officer, method: "DELETE" })).status).toBe(200);
  });

  it("by default pushes every type's permits that are active now", async () => {
    const job = await push("permits");
    expect(job).toMatchObject({
      status: "succeeded",
      result: { records: 2, detail: { created: 2, found: 2, types: ["RESIDENTIAL", "BUSINESS", "VISITOR"], activeOnly: true } },
    });
    const permits = await held("permits");
    expect(permits.map((p) => p.number).sort()).toEqual([residential.number, visitor.number].sort());
    expect(permits.find((p) => p.number === residential.number)).toEqual({
      number: residential.number,
      curbgateId: residential.id,
      type: "RESIDENTIAL",
      licensePlate: residential.plate,
      state: "CT",
      zones: [zone],
      validFrom: residential.validFrom,
      validUntil: residential.validUntil,
      status: "ACTIVE",
      syncedAt: expect.any(String),
    });
  });

  it("takes the types and activeOnly from params", async () => {
    expect((await push("permits", { types: ["visitor"] })).result).toMatchObject({
      records: 1,
      detail: { updated: 1, types: ["VISITOR"] },
    });
    const all = await push("permits", { activeOnly: false });
    expect(all.result).toMatchObject({ records: 4, detail: { created: 2, updated: 2 } });
    expect((await held("permits", "&status=REVOKED")).map((p) => p.number)).toEqual([revoked.number]);
    expect((await held("permits")).map((p) => p.number)).toContain(lapsed.number);
    expect(await push("permits", { types: "RESIDENTIAL" })).toMatchObject({
      status: "failed",
      lastError: "invalid params: types must be a non-empty list of RESIDENTIAL, BUSINESS, VISITOR",
    });
    expect(await push("permits", { activeOnly: "yes" })).toMatchObject({
      status: "failed",
      lastError: "invalid params: activeOnly must be true or false",
    });
  });
});
