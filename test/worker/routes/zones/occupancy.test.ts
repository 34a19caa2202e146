// GET /v1/zones/{code}/occupancy: one zone over the last hours, from session history; what the
// dashboard's occupancy chart draws. (Every zone, live, is test/worker/routes/occupancy/live.test.ts.)
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { newSessionId } from "../../../../src/domain/session-id";
import { db } from "../../../../src/storage/db";
import { parkingSessions } from "../../../../src/storage/schema";
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
  OTHER_TENANT_ADMIN,
  uniq,
} from "../../fixtures";

type Series = {
  zone: string;
  capacity: number | null;
  from: string;
  to: string;
  stepMinutes: number;
  source: string;
  truncated: boolean;
  points: { at: string; occupied: number }[];
};

const MIN = 60_000;
let zone = "";

/** A finished or running session straight into D1 history, as a zone's outbox would have written it. */
async function history(
  tenantId: string,
  code: string,
  startMs: number,
  endMs: number,
  status: "active" | "ended" | "expired" = "ended",
) {
  const minutes = Math.max(1, Math.round((endMs - startMs) / MIN));
  await db(env.DB)
    .insert(parkingSessions)
    .values({
      id: newSessionId(code, uniq(20)),
      tenantId,
      zone: code,
      plate: newPlate(),
      state: "CT",
      startAt: startMs,
      endAt: endMs,
      paidMinutes: minutes,
      amountCents: 100,
      refundCents: 0,
      paidCents: 0,
      status,
      endedAt: status === "ended" ? endMs : null,
      version: 1,
      createdAt: startMs,
      updatedAt: endMs,
    });
}

beforeAll(async () => {
  zone = (await createZone(flatZone({ capacity: 4, maxStayMinutes: 600 }))).code;
});

describe("GET /v1/zones/{code}/occupancy: happy", () => {
  it("counts, at each step of the window, the sessions running then, from history", async () => {
    const code = (await createZone(flatZone({ capacity: 10 }))).code;
    const now = Date.now();
    const sessions = [
      [now - 150 * MIN, now - 20 * MIN],
      [now - 100 * MIN, now - 70 * MIN],
      [now - 90 * MIN, now + 60 * MIN],
      [now - 50 * MIN, now - 49 * MIN],
      [now - 600 * MIN, now - 400 * MIN], // over before the window
    ] as const;
    for (const [s, e] of sessions) await history("demo", code, s, e);
    await history("demo", "A1", now - 60 * MIN, now); // another zone
    await history("other", code, now - 60 * MIN, now); // the same code in another tenant

    const res = await call(`/v1/zones/${code}/occupancy?hours=3&stepMinutes=15`, { key: OFFICER });
    expect(res.status).toBe(200);
    const body = await json<Series>(res);
    expect(body).toMatchObject({ zone: code, capacity: 10, stepMinutes: 15, source: "session_history", truncated: false });
    expect(body.points).toHaveLength(13);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(180 * MIN);
    expect(Date.parse(body.to) % (15 * MIN)).toBe(0);
    const expected = body.points.map((p) => sessions.filter(([s, e]) => s <= Date.parse(p.at) && Date.parse(p.at) < e).length);
    expect(body.points.map((p) => p.occupied)).toEqual(expected);
    expect(Math.max(...expected)).toBe(3);
  });

  it("defaults to the last 24 hours in 15-minute steps, and an empty zone is all zeros", async () => {
    const body = await json<Series>(await call(`/v1/zones/${zone}/occupancy`, { key: OFFICER }));
    expect(body.points).toHaveLength(97);
    expect(body.points.every((p) => p.occupied === 0)).toBe(true);
  });
});

describe("GET /v1/zones/{code}/occupancy: error", () => {
  it("404 for an unknown zone, 422 for a window or step out of range", async () => {
    await expectProblem(await call(`/v1/zones/ZNOPE${uniq(4)}/occupancy`, { key: OFFICER }), 404);
    const p = await expectProblem(await call(`/v1/zones/${zone}/occupancy?hours=0&stepMinutes=1`, { key: OFFICER }), 422);
    expect(p.errors!.map((e) => e.path).sort()).toEqual(["hours", "stepMinutes"]);
  });
});

describe("GET /v1/zones/{code}/occupancy: security", () => {
  it("needs a credential and zones:read", async () => {
    await expectProblem(await call(`/v1/zones/${zone}/occupancy`, { key: null }), 401);
    await expectProblem(await call(`/v1/zones/${zone}/occupancy`, { key: NO_SCOPES }), 403);
    await expectProblem(await call(`/v1/zones/${zone}/occupancy`, { key: APP.replace("app", "nope") }), 401);
  });

  it("another tenant never sees this tenant's history, even for a zone code it also has", async () => {
    await expectProblem(await call(`/v1/zones/${zone}/occupancy`, { key: OTHER_TENANT_ADMIN }), 404);
    const now = Date.now();
    await history("demo", "A1", now - 30 * MIN, now + 30 * MIN, "active");
    const theirs = await json<Series>(await call("/v1/zones/A1/occupancy?hours=1", { key: OTHER_TENANT_ADMIN }));
    expect(theirs.points.every((p) => p.occupied === 0)).toBe(true);
    const ours = await json<Series>(await call("/v1/zones/A1/occupancy?hours=1", { key: OFFICER }));
    expect(ours.points.at(-1)!.occupied).toBeGreaterThan(0);
  });
});
