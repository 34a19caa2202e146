// GET /v1/violations and GET /v1/violations/{id}: staff and officers read what was reported, filtered by
// zone, plate, officer, status and time observed, a page at a time; nothing crosses tenants.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../../../src/dev/seed";
import {
  addKey,
  APP,
  call,
  createZone,
  expectProblem,
  flatZone,
  json,
  NO_SCOPES,
  newPlate,
  OFFICER,
  signStaffJwt,
  uniq,
} from "../../fixtures";
import { report } from "./reports";

type Violation = {
  id: string;
  source: string;
  externalId: string | null;
  status: string;
  plate: string;
  zone: string;
  officerId: string | null;
  fineCents: number | null;
  observedAt: string;
  evidence: { sourceUrl: string; copyStatus: string }[];
};
type Page = { data: Violation[]; nextCursor: string | null };

const OTHER_VIOLATIONS = "cg_test_other_violations";
const MIN = 60_000;

const list = async (query: string, key: string = OFFICER) => {
  const res = await call(`/v1/violations?${query}`, { key });
  if (res.status !== 200) throw new Error(`list: ${res.status} ${await res.text()}`);
  return json<Page>(res);
};

async function reportOne(
  zone: string,
  over: Record<string, unknown>,
  key = OFFICER,
): Promise<{ id: string; violationId: string }> {
  const res = await call("/api/ips/violations", { key, body: report(zone, over) });
  if (res.status !== 201) throw new Error(`report: ${res.status} ${await res.text()}`);
  return json(res);
}

let zone: string;
let other: string;
const plate = newPlate();
const officer = `officer_${uniq(6)}`;
const seen = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MIN).toISOString();
const made: { id: string; violationId: string }[] = [];

beforeAll(async () => {
  await addKey(env, OTHER_VIOLATIONS, "other", ["violations:read", "violations:write"]);
  zone = (await createZone(flatZone({ name: "Test Violations North" }))).code;
  other = (await createZone(flatZone({ name: "Test Violations South" }))).code;
  // Five in `zone`, observed 50, 40, 30, 20 and 10 minutes ago; the last two by `officer`, of `plate`, issued.
  for (const [i, minutes] of [50, 40, 30, 20, 10].entries())
    made.push(
      await reportOne(zone, {
        timestamp: seen(minutes),
        ...(i >= 3 ? { officerId: officer, licensePlate: plate, status: "ISSUED" } : {}),
      }),
    );
  await reportOne(other, { timestamp: seen(5), licensePlate: plate });
});

describe("GET /v1/violations", () => {
  it("lists a zone's violations, most recently observed first, as Curbgate records them", async () => {
    const page = await list(`zone=${zone}`);
    expect(page.data.map((v) => v.id)).toEqual(made.map((m) => m.id).reverse());
    expect(page.nextCursor).toBeNull();
    expect(page.data[0]).toMatchObject({
      source: "ips",
      externalId: made[4]!.violationId,
      status: "issued",
      zone,
      plate,
      officerId: officer,
      fineCents: 2500,
      evidence: [],
    });
  });

  it("filters by plate (as typed), officer, status and time observed", async () => {
    const ids = async (q: string) => (await list(q)).data.map((v) => v.id);
    const lower = `${plate.slice(0, 2).toLowerCase()} ${plate.slice(2)}`;
    expect((await list(`plate=${encodeURIComponent(lower)}`)).data.map((v) => v.zone)).toEqual([other, zone, zone]);
    expect(await ids(`zone=${zone}&officer=${officer}`)).toEqual([made[4]!.id, made[3]!.id]);
    expect(await ids(`zone=${zone}&status=pending`)).toEqual([made[2]!.id, made[1]!.id, made[0]!.id]);
    expect(await ids(`zone=${zone}&from=${seen(45)}&to=${seen(15)}`)).toEqual([made[3]!.id, made[2]!.id, made[1]!.id]);
    // `from` is inclusive, `to` exclusive: what was observed exactly at `to` is on the next range's page.
    const at = (await list(`zone=${zone}`)).data[2]!.observedAt;
    expect(await ids(`zone=${zone}&from=${at}`)).toEqual([made[4]!.id, made[3]!.id, made[2]!.id]);
    expect(await ids(`zone=${zone}&to=${at}`)).toEqual([made[1]!.id, made[0]!.id]);
  });

  it("pages with nextCursor until it is null, never repeating or skipping one", async () => {
    const got: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`zone=${zone}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      got.push(...page.data.map((v) => v.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(got).toEqual(made.map((m) => m.id).reverse());
  });

  it("refuses bad filters with a problem naming the field", async () => {
    const bad: [string, string][] = [
      ["plate=%20-%20", "plate"],
      ["zone=A%201", "zone"],
      ["status=paid", "status"],
      ["from=yesterday", "from"],
      [`from=${seen(10)}&to=${seen(20)}`, "to"],
      ["limit=0", "limit"],
      ["limit=201", "limit"],
      ["cursor=abc", "cursor"],
    ];
    for (const [q, path] of bad) {
      const problem = await expectProblem(await call(`/v1/violations?${q}`), 422);
      expect(
        problem.errors?.map((e) => e.path),
        q,
      ).toEqual([path]);
    }
  });

  it("needs a credential (401) with violations:read (403); viewer staff may read", async () => {
    await expectProblem(await call("/v1/violations", { key: null }), 401);
    await expectProblem(await call("/v1/violations", { key: NO_SCOPES }), 403);
    await expectProblem(await call("/v1/violations", { key: APP }), 403); // the driver app: sessions, not violations
    const viewer = await signStaffJwt(env, { role: "viewer", sub: "usr_demo_viewer" });
    expect((await list(`zone=${zone}`, viewer)).data).toHaveLength(5);
  });

  it("shows a tenant only its own violations, whatever it filters by", async () => {
    expect((await list(`zone=${zone}`, OTHER_VIOLATIONS)).data).toEqual([]);
    expect((await list(`plate=${plate}`, OTHER_VIOLATIONS)).data).toEqual([]);
    // The other city has a zone A1 too: its report lands in its own records.
    const theirs = await reportOne("A1", { timestamp: seen(1), licensePlate: plate }, OTHER_VIOLATIONS);
    expect((await list(`plate=${plate}`, OTHER_VIOLATIONS)).data.map((v) => v.id)).toEqual([theirs.id]);
    expect((await list(`plate=${plate}`)).data.map((v) => v.id)).not.toContain(theirs.id);
  });
});

describe("GET /v1/violations/{id}", () => {
  it("answers one violation with its evidence", async () => {
    const v = await json<Violation>(await call(`/v1/violations/${made[0]!.id}`));
    expect(v).toMatchObject({ id: made[0]!.id, externalId: made[0]!.violationId, zone, status: "pending", evidence: [] });
  });

  it("is 404 for an unknown id, a malformed one, and another tenant's", async () => {
    await expectProblem(await call("/v1/violations/vio_00000000000000000000"), 404);
    await expectProblem(await call("/v1/violations/not-an-id"), 404);
    await expectProblem(await call(`/v1/violations/${made[0]!.id}`, { key: OTHER_VIOLATIONS }), 404);
  });

  it("needs a credential (401) with violations:read (403)", async () => {
    await expectProblem(await call(`/v1/violations/${made[0]!.id}`, { key: null }), 401);
    await expectProblem(await call(`/v1/violations/${made[0]!.id}`, { key: NO_SCOPES }), 403);
  });
});

describe("the demo city", () => {
  it("has violations to show, one with a photo Curbgate holds and a video it could not fetch, and an officer on shift; seeding again adds nothing", async () => {
    const demo = await json<
      Violation & { evidence: { kind: string; copyStatus: string; sha256: string | null; copyError: string | null }[] }
    >(await call("/v1/violations/vio_demoExpiredMeter0001"));
    expect(demo).toMatchObject({ externalId: "ips_viol_demo_001", plate: "XYZ789", zone: "A1", status: "pending" });
    const [photo, video] = [...demo.evidence].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(photo).toMatchObject({ kind: "PHOTO", copyStatus: "stored" });
    const blob = await env.BLOBS.get(`tenants/demo/evidence/${(photo as any).id}`);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await blob!.arrayBuffer()));
    expect(Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")).toBe(photo!.sha256);
    expect(video).toMatchObject({ kind: "VIDEO", copyStatus: "not_copied", copyError: "demo data: never fetched" });
    expect((await list("status=issued")).data.map((v) => v.id)).toContain("vio_demoNoPermit00000002");
    const onShift = await json(await call("/v1/officers/shifts?open=true&officer=officer_123"));
    expect(onShift.data).toEqual([expect.objectContaining({ id: "shf_demoOfficer123Shift1", onShift: true })]);

    const count = () =>
      env.DB.prepare(
        "SELECT (SELECT COUNT(*) FROM violations) + (SELECT COUNT(*) FROM evidence) + (SELECT COUNT(*) FROM officer_shifts) AS n",
      ).first();
    const before = await count();
    expect((await seedDemo(env)).violationsAdded).toBe(0);
    expect(await count()).toEqual(before);
  });
});
