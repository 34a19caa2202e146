// Sessions keep the terms they were sold under, and an Idempotency-Key means one request, tenant-wide.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { APP, call, createZone, DEMO_ADMIN, drainZone, flatZone, historyRow, json, newPlate, zoneObject } from "../../fixtures";

const inAnHour = () => new Date(Date.now() + 60 * 60_000).toISOString();

describe("a session keeps its price; more time costs what the rates say when it is bought", () => {
  it("charges an extension at the new rate after the zone's rate changes, and refunds what was paid", async () => {
    const zone = await createZone(
      flatZone({
        rateSlots: [
          { days: ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"], start: "00:00", end: "24:00", rateCentsPerHour: 240 },
        ],
      }),
    );
    const start = await call("/v1/sessions", {
      key: APP,
      body: { plate: newPlate(), zone: zone.code, minutes: 60, startTime: inAnHour() },
    });
    const session = await json(start);
    expect(session.amountCents).toBe(240);

    const { code, ...rules } = zone;
    const put = await call(`/v1/zones/${code}`, {
      key: DEMO_ADMIN,
      method: "PUT",
      body: { ...rules, rateSlots: [{ ...rules.rateSlots[0], rateCentsPerHour: 1200 }] },
    });
    expect(put.status).toBe(200);

    const extended = await json(await call(`/v1/sessions/${session.id}/extend`, { key: APP, body: { minutes: 30 } }));
    expect(extended.chargedCents).toBe(600); // 30 min at the new 1200 c/h (the 60 bought earlier keep 240)
    expect(extended.amountCents).toBe(840);
    const ended = await json(await call(`/v1/sessions/${session.id}/end`, { key: APP, method: "POST" }));
    expect(ended.refund.refundCents).toBe(840); // nothing used yet: all of 240 + 600 back

    // a session bought after the change pays the new rate
    const later = await json(
      await call("/v1/sessions", { key: APP, body: { plate: newPlate(), zone: code, minutes: 60, startTime: inAnHour() } }),
    );
    expect(later.amountCents).toBe(1200);
  });
});

describe("one vehicle, one running session per zone, whatever order the state arrives in", () => {
  it.each([
    ["CT", undefined],
    [undefined, "CT"],
  ])("first state %s, then %s: 409", async (first, second) => {
    const zone = await createZone(flatZone());
    const plate = newPlate();
    const a = await call("/v1/sessions", {
      key: APP,
      body: { plate, state: first, zone: zone.code, minutes: 30, startTime: inAnHour() },
    });
    expect(a.status).toBe(201);
    const b = await call("/v1/sessions", {
      key: APP,
      body: { plate, state: second, zone: zone.code, minutes: 30, startTime: inAnHour() },
    });
    expect(b.status).toBe(409);
  });

  it("different states are different vehicles", async () => {
    const zone = await createZone(flatZone());
    const plate = newPlate();
    expect((await call("/v1/sessions", { key: APP, body: { plate, state: "CT", zone: zone.code, minutes: 30 } })).status).toBe(
      201,
    );
    expect((await call("/v1/sessions", { key: APP, body: { plate, state: "NY", zone: zone.code, minutes: 30 } })).status).toBe(
      201,
    );
  });
});

describe("Idempotency-Key across zones", () => {
  it("refuses the same key for a request in another zone (422 on the header) and creates nothing", async () => {
    const [z1, z2] = [await createZone(flatZone()), await createZone(flatZone())];
    const headers = { "idempotency-key": `key-${newPlate()}` };
    const plate = newPlate();
    const first = await call("/v1/sessions", { key: APP, headers, body: { plate, zone: z1.code, minutes: 30 } });
    expect(first.status).toBe(201);
    const other = await call("/v1/sessions", { key: APP, headers, body: { plate, zone: z2.code, minutes: 30 } });
    expect(other.status).toBe(422);
    const problem = await json(other);
    expect(problem.errors).toEqual([expect.objectContaining({ location: "header", path: "Idempotency-Key" })]);
    expect((await zoneObject(env, z2.code).stats(Date.now())).active).toBe(0);
    const retry = await call("/v1/sessions", { key: APP, headers, body: { plate, zone: z1.code, minutes: 30 } });
    expect(retry.status).toBe(200);
    expect((await json(retry)).id).toBe((await json(first)).id);
  });
});

describe("bulk imports without history", () => {
  it("keep real sessions' pending history in the outbox", async () => {
    const zone = await createZone(flatZone());
    const real = await json(await call("/v1/sessions", { key: APP, body: { plate: newPlate(), zone: zone.code, minutes: 30 } }));
    const stub = zoneObject(env, zone.code);
    await stub.importSessions(
      [{ plate: newPlate(), state: "CT", startMs: Date.now(), minutes: 30, amountCents: 0 }],
      Date.now(),
      false,
    );
    await drainZone(env, zone.code);
    const row = await historyRow(env, real.id);
    expect(row?.id).toBe(real.id);
  });
});
