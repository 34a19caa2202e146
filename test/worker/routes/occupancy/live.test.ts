// GET /v1/occupancy: every zone, live; what the dashboard's overview and zone list draw. (One zone over
// the last hours is test/worker/routes/zones/occupancy.test.ts.)
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createZone,
  DEMO_ADMIN,
  expectProblem,
  flatZone,
  json,
  NO_SCOPES,
  newPlate,
  OFFICER,
  openSession,
  OTHER_TENANT_ADMIN,
} from "../../fixtures";

type Live = {
  at: string;
  data: {
    zone: string;
    name: string;
    capacity: number | null;
    activeSessions: number;
    permits: number;
    meteredSpacesOccupied: number;
    occupied: number;
    occupancyRate: number | null;
  }[];
};

let zone = "";

beforeAll(async () => {
  zone = (await createZone(flatZone({ capacity: 4, maxStayMinutes: 600 }))).code;
});

describe("GET /v1/occupancy: happy", () => {
  it("lists every zone of the tenant with its running sessions and share of capacity", async () => {
    const before = await json<Live>(await call("/v1/occupancy", { key: DEMO_ADMIN }));
    expect(before.data.find((z) => z.zone === zone)).toEqual({
      zone,
      name: "Test Flat Street",
      capacity: 4,
      activeSessions: 0,
      permits: 0,
      meteredSpacesOccupied: 0,
      occupied: 0,
      occupancyRate: 0,
    });
    await openSession({ plate: newPlate(), zone, minutes: 60 });
    const after = await json<Live>(await call("/v1/occupancy", { key: OFFICER }));
    expect(after.data.find((z) => z.zone === zone)).toMatchObject({ activeSessions: 1, occupancyRate: 0.25 });
    expect(Math.abs(Date.parse(after.at) - Date.now())).toBeLessThan(60_000);
    // The same live count the zone's own route gives.
    const a1 = await json<{ live: { activeSessions: number } }>(await call("/v1/zones/A1", { key: OFFICER }));
    expect(after.data.find((z) => z.zone === "A1")!.activeSessions).toBe(a1.live.activeSessions);
    expect(after.data.map((z) => z.zone)).toEqual(expect.arrayContaining(["A1", "A2", "B1", "B2", zone]));
  });
});

describe("GET /v1/occupancy: security", () => {
  it("needs a credential and zones:read", async () => {
    await expectProblem(await call("/v1/occupancy", { key: null }), 401);
    await expectProblem(await call("/v1/occupancy", { key: NO_SCOPES }), 403);
  });

  it("shows another tenant only its own zones", async () => {
    const other = await json<Live>(await call("/v1/occupancy", { key: OTHER_TENANT_ADMIN }));
    expect(other.data.map((z) => z.name)).toEqual(["Other Main"]);
    expect(other.data[0]!.activeSessions).toBe(0);
  });
});
