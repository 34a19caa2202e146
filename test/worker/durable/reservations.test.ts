// The oversell test: 500 holds at once for 100 spaces grant exactly 100, through the route and
// on the object; holds that lapse free exactly their spaces and are retaken, with confirmed reservations
// and running sessions still counted, so nothing is oversold and no space is lost. Time is passed to
// the object as `nowMs`, as the other zone-object tests do, to step past a hold's expiry.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_HOLD_MINUTES } from "../../../src/domain/reservations";
import { addKey, call, createZone, flatZone, json, newPlate, problem, uniq, zoneObject } from "../fixtures";

const MIN = 60_000;
const CAPACITY = 100;
const BURST = 500;
// A key of its own with a limit the burst cannot reach: this test is about capacity, not rate limits.
const KEY = `cg_test_reserve_${uniq(12)}`;

beforeAll(async () => {
  await addKey(env, KEY, "demo", ["sessions:read", "sessions:write"], 1_000_000);
});

type Stub = ReturnType<typeof zoneObject>;

/** `count` holds sent to the object at once at `nowMs`; the ids granted and how many were refused as full. */
async function burstOnObject(stub: Stub, count: number, nowMs: number) {
  const results = await Promise.all(
    Array.from({ length: count }, () => stub.holdSpace({ plate: newPlate(), state: null, startMs: nowMs, minutes: 60 }, nowMs)),
  );
  const granted = results.flatMap((r) => (r.ok ? [r.value.reservation] : []));
  const full = results.filter((r) => !r.ok && r.status === 409).length;
  return { granted, full, other: count - granted.length - full };
}

describe("reservations never oversell a zone", () => {
  it("grants exactly the free spaces to 500 concurrent holds, again after lapses, with confirmed and occupied spaces counted", async () => {
    const zone = await createZone(flatZone({ capacity: CAPACITY, maxStayMinutes: 240 }));
    const stub = zoneObject(env, zone.code);

    // One read first configures the zone's object (the route does it on first use).
    expect((await call(`/v1/zones/${zone.code}/reservations`, { key: KEY })).status).toBe(200);
    // 500 at once on the object: exactly 100 granted, the rest refused as full.
    const first = await burstOnObject(stub, BURST, Date.now());
    expect(first.granted.length).toBe(CAPACITY);
    expect(first.full).toBe(BURST - CAPACITY);
    expect(first.other).toBe(0);
    const ids = first.granted.map((r) => r.id);
    expect(new Set(ids).size).toBe(CAPACITY);

    const listed0 = Date.now();
    const listed = await stub.listReservations(listed0, 500);
    if (!listed.ok) throw new Error(listed.detail);
    expect(listed.value.usage).toMatchObject({ capacity: CAPACITY, held: CAPACITY, confirmed: 0, free: 0 });
    expect(listed.value.data.length).toBe(CAPACITY);

    // 30 are paid for, 10 cancelled; 5 drivers park without a reservation (the cancelled spaces let them).
    // (Sessions start at the route's clock, so the object's clock here is read after they have started.)
    for (const id of ids.slice(30, 40)) expect((await stub.cancelReservation(id, Date.now())).ok).toBe(true);
    for (let i = 0; i < 5; i++) {
      const res = await call("/v1/sessions", { key: KEY, body: { plate: newPlate(), zone: zone.code, minutes: 60 } });
      expect(res.status).toBe(201);
    }
    const t0 = Date.now();
    for (const id of ids.slice(0, 30)) {
      const r = await stub.confirmReservation(id, `pay_${id}`, 1_000, t0);
      expect(r.ok).toBe(true);
    }
    // The 5 cancelled spaces left are free now, and no more.
    const now = await burstOnObject(stub, 50, t0);
    expect(now.granted.length).toBe(5);
    expect(now.full).toBe(45);

    // Past every hold's expiry the 65 unpaid holds have lapsed: exactly 100 - 30 confirmed - 5 parked are free.
    const t1 = t0 + (DEFAULT_HOLD_MINUTES + 1) * MIN;
    const retake = await burstOnObject(stub, BURST, t1);

    expect(retake.granted.length).toBe(CAPACITY - 30 - 5);
    expect(retake.full).toBe(BURST - 65);
    expect(retake.other).toBe(0);
    const after = await stub.listReservations(t1, 500);
    if (!after.ok) throw new Error(after.detail);
    expect(after.value.usage).toMatchObject({ occupied: 5, held: 65, confirmed: 30, free: 0 });
    const counts = (status: string) => after.value.data.filter((r) => r.status === status).length;
    expect([counts("lapsed"), counts("released"), counts("confirmed"), counts("held")]).toEqual([60 + 5, 10, 30, 65]);
    // A lapsed hold cannot be paid for any more.
    const lapsed = await stub.confirmReservation(ids[50]!, "pay_late", 1_000, t1);
    expect(lapsed).toMatchObject({ ok: false, status: 409 });

    // And again: the retaken holds lapse in turn, and the same 65 spaces come back, none lost.
    const t2 = t1 + (DEFAULT_HOLD_MINUTES + 1) * MIN;
    const again = await burstOnObject(stub, BURST, t2);
    expect(again.granted.length).toBe(65);

    // Once the paid windows and the sessions have ended (60 minutes), the whole garage is free.
    const t3 = t0 + 61 * MIN + (DEFAULT_HOLD_MINUTES + 1) * MIN;
    const empty = await burstOnObject(stub, BURST, t3);
    expect(empty.granted.length).toBe(CAPACITY);
  }, 120_000);

  it("refuses through the route with 409, the capacity and when the earliest hold lapses, under a concurrent burst", async () => {
    // The test runtime slows down sharply past ~50 requests in flight at once (sessions too), so the
    // route's burst is smaller; the object's 500 above is where the requests meet.
    const zone = await createZone(flatZone({ capacity: 20 }));
    const responses = await Promise.all(
      Array.from({ length: 60 }, () =>
        call(`/v1/zones/${zone.code}/reservations`, { key: KEY, body: { plate: newPlate(), minutes: 60 } }),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    const full = responses.filter((r) => r.status === 409);
    expect([created.length, full.length]).toEqual([20, 40]);
    const held = await Promise.all(created.map((r) => json<{ id: string; holdExpiresAt: string }>(r)));
    const refusal = (await problem(full[0]!, 409)) as { capacity?: number; earliestHoldLapsesAt?: string };
    expect(refusal.capacity).toBe(20);
    const earliest = Math.min(...held.map((r) => Date.parse(r.holdExpiresAt)));
    // Every refusal came once all 20 were held, so it names the first of them to lapse.
    expect(Date.parse(refusal.earliestHoldLapsesAt!)).toBe(earliest);
  });

  it("lets the alarm write down lapses: a lapsed hold is marked without any request for it", async () => {
    const zone = await createZone(flatZone({ capacity: 3 }));
    const stub = zoneObject(env, zone.code);
    const t0 = Date.now();
    const { granted } = await burstOnObject(stub, 3, t0);
    expect(granted.length).toBe(3);
    const alarm = await runInDurableObject(stub, (_o, state) => state.storage.getAlarm());
    // The alarm is due no later than the first hold's expiry (the outbox or housekeeping may want it sooner).
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Math.min(...granted.map((r) => r.holdExpiresMs)));
    const rows = await runInDurableObject(stub, (_o, state) => {
      state.storage.sql.exec("UPDATE reservations SET hold_expires_ms = ?", Date.now() - 1);
      return state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM reservations WHERE status = 'held'").one().n;
    });
    expect(rows).toBe(3);
    await runDurableObjectAlarm(stub);
    const held = await runInDurableObject(
      stub,
      (_o, state) =>
        state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM reservations WHERE status = 'held'").one().n,
    );
    expect(held).toBe(0);
  });
});
