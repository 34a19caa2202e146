// GET /v1/zones/{code}/sessions: a zone's live sessions from its own object, for the dashboard's zone page.
import { beforeAll, describe, expect, it } from "vitest";
import {
  APP,
  call,
  createZone,
  expectProblem,
  flatZone,
  json,
  NO_SCOPES,
  newPlate,
  OFFICER,
  openSession,
  OTHER_TENANT_ADMIN,
  uniq,
} from "../../fixtures";

type Page = {
  zone: string;
  data: { id: string; plate: string; status: string; endTime: string; secondsRemaining: number; amountCents: number }[];
};

let zone = "";
const plates = { short: newPlate(), long: newPlate() };
const ids: Record<string, string> = {};

beforeAll(async () => {
  zone = (await createZone(flatZone())).code;
  ids.long = (await openSession({ plate: plates.long, zone, minutes: 90 })).id;
  ids.short = (await openSession({ plate: plates.short, zone, minutes: 30 })).id;
});

describe("GET /v1/zones/{code}/sessions: happy", () => {
  it("lists the running sessions, soonest to end first, with time remaining and price", async () => {
    const res = await call(`/v1/zones/${zone.toLowerCase()}/sessions`, { key: OFFICER });
    expect(res.status).toBe(200);
    const body = await json<Page>(res);
    expect(body.zone).toBe(zone);
    expect(body.data.map((s) => s.id)).toEqual([ids.short, ids.long]);
    expect(body.data[0]).toMatchObject({ plate: plates.short, status: "active", amountCents: 120 });
    expect(body.data[0]!.secondsRemaining).toBeGreaterThan(29 * 60);
    expect(body.data[0]!.secondsRemaining).toBeLessThanOrEqual(30 * 60);
  });

  it("filters by plate (normalised) and limits the page; an ended session leaves the list", async () => {
    const one = await json<Page>(await call(`/v1/zones/${zone}/sessions?plate=${plates.long.toLowerCase()}`, { key: OFFICER }));
    expect(one.data.map((s) => s.id)).toEqual([ids.long]);
    expect((await json<Page>(await call(`/v1/zones/${zone}/sessions?limit=1`, { key: OFFICER }))).data).toHaveLength(1);

    const extra = await openSession({ plate: newPlate(), zone, minutes: 15 });
    expect((await call(`/v1/sessions/${extra.id}/end`, { key: APP, method: "POST" })).status).toBe(200);
    const after = await json<Page>(await call(`/v1/zones/${zone}/sessions`, { key: OFFICER }));
    expect(after.data.map((s) => s.id)).not.toContain(extra.id);
    expect(after.data).toHaveLength(2);
  });
});

describe("GET /v1/zones/{code}/sessions: error", () => {
  it("404 for an unknown zone, 422 for a bad limit", async () => {
    await expectProblem(await call(`/v1/zones/ZNONE${uniq(4)}/sessions`, { key: OFFICER }), 404);
    const p = await expectProblem(await call(`/v1/zones/${zone}/sessions?limit=0`, { key: OFFICER }), 422);
    expect(p.errors![0]!.path).toBe("limit");
  });
});

describe("GET /v1/zones/{code}/sessions: security", () => {
  it("needs a credential and sessions:read", async () => {
    await expectProblem(await call(`/v1/zones/${zone}/sessions`, { key: null }), 401);
    await expectProblem(await call(`/v1/zones/${zone}/sessions`, { key: NO_SCOPES }), 403);
  });

  it("another tenant cannot list this tenant's zone, nor see its A1 plates through its own A1", async () => {
    await expectProblem(await call(`/v1/zones/${zone}/sessions`, { key: OTHER_TENANT_ADMIN }), 404);
    const demoA1 = await json<Page>(await call("/v1/zones/A1/sessions", { key: OFFICER }));
    expect(demoA1.data.map((s) => s.plate)).toEqual(expect.arrayContaining(["ABC123"]));
    const otherA1 = await json<Page>(await call("/v1/zones/A1/sessions", { key: OTHER_TENANT_ADMIN }));
    expect(otherA1.data.map((s) => s.plate)).not.toContain("ABC123");
  });
});
