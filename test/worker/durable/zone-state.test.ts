// The ZoneState Durable Object on its own (stub RPC): history survives a D1 outage through the
// outbox, the alarm expires lapsed sessions, unconfigured objects are configured from D1 by the
// route layer, and history upserts only ever move a row forward in version.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ZoneState } from "../../../durable/zone-state";
import { newSessionId } from "../../../src/domain/session-id";
import type { StoredSession } from "../../../src/domain/sessions";
import { db } from "../../../src/storage/db";
import { upsertSessionHistory } from "../../../src/storage/session-history";
import { configOf, insertZone } from "../../../src/storage/zones";
import {
  ALL_DAYS,
  APP,
  OFFICER,
  call,
  createZone,
  drainZone,
  flatZone,
  historyRow,
  json,
  newPlate,
  newZoneCode,
  problem,
  uniq,
  zoneObject,
} from "../fixtures";

const MIN = 60_000;
type Stub = DurableObjectStub<ZoneState>;

/** A D1 stand-in that fails every call, as D1 does while it is unavailable. */
const unavailable = () => new Error("D1_ERROR: D1 is unavailable");
const downD1 = {
  prepare() {
    throw unavailable();
  },
  batch: () => Promise.reject(unavailable()),
  exec: () => Promise.reject(unavailable()),
};

/** Points the live object's D1 binding at a failing stand-in (down) or back at the real database. */
async function setObjectD1(stub: Stub, down: boolean) {
  await runInDurableObject(stub, (instance: ZoneState) => {
    const self = instance as unknown as { env: Record<string | symbol, unknown> & { __real?: unknown } };
    const real = (self.env.__real ?? self.env) as Record<string | symbol, unknown>;
    self.env = down ? new Proxy(real, { get: (t, p) => (p === "__real" ? t : p === "DB" ? downD1 : Reflect.get(t, p)) }) : real;
  });
}
const alarmAt = (stub: Stub) => runInDurableObject(stub, (_o, state) => state.storage.getAlarm());

type Started = { id: string; plate: string; amountCents: number; startTime: string };
async function startVia(zone: string, minutes: number): Promise<Started> {
  const res = await call("/v1/sessions", { key: APP, body: { plate: newPlate(), zone, minutes } });
  expect(res.status).toBe(201);
  return json<Started>(res);
}

/** Starts a session straight on the object (which, unlike the route, accepts a start in the past). */
async function startOn(stub: Stub, startMs: number, minutes: number, nowMs = Date.now()) {
  const r = await stub.startSession({ plate: newPlate(), state: null, minutes, startMs }, nowMs);
  if (!r.ok) throw new Error(`startSession failed: ${r.status} ${r.detail}`);
  return r.value.session;
}

describe("ZoneState outbox: history survives a D1 outage", () => {
  it("keeps rows while D1 is down and delivers each once, at its latest version, after recovery", async () => {
    const zone = await createZone(flatZone());
    const stub = zoneObject(env, zone.code);
    let a: Started;
    let b: Started;
    await setObjectD1(stub, true);
    try {
      a = await startVia(zone.code, 30);
      b = await startVia(zone.code, 60);
      const ext = await call(`/v1/sessions/${a.id}/extend`, { key: APP, body: { minutes: 30 } });
      expect(ext.status).toBe(200); // the live state never waits on D1

      // (the object's own alarm may be failing at the same moment; either way the rows stay)
      await runDurableObjectAlarm(stub);
      const stats = await stub.stats(Date.now());
      expect(stats).toMatchObject({ configured: true, active: 2, outbox: 3 }); // start a, start b, extend a
      expect(await historyRow(env, a.id)).toBeNull();
      expect(await historyRow(env, b.id)).toBeNull();
      // a retry is scheduled, within the 5-minute backoff cap rather than at the hourly housekeeping
      const retry = await alarmAt(stub);
      expect(retry).not.toBeNull();
      expect(retry!).toBeGreaterThan(Date.now());
      expect(retry! - Date.now()).toBeLessThanOrEqual(5 * MIN);

      // another failed attempt still loses nothing, and plate checks keep answering from the object
      await runDurableObjectAlarm(stub);
      expect((await stub.stats(Date.now())).outbox).toBe(3);
      expect(await alarmAt(stub)).not.toBeNull();
      const v = await json(await call("/v1/verify", { key: OFFICER, body: { plate: b.plate, zone: zone.code } }));
      expect(v).toMatchObject({ status: "ACTIVE", session: { id: b.id } });
    } finally {
      await setObjectD1(stub, false);
    }

    await drainZone(env, zone.code);
    expect((await stub.stats(Date.now())).outbox).toBe(0);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM parking_sessions WHERE zone = ?")
      .bind(zone.code)
      .first<{ n: number }>();
    expect(count?.n).toBe(2);
    expect(await historyRow(env, a.id)).toMatchObject({
      version: 2,
      status: "active",
      paid_minutes: 60,
      amount_cents: 240,
      tenant_id: "demo",
    });
    expect(await historyRow(env, b.id)).toMatchObject({
      version: 1,
      status: "active",
      paid_minutes: 60,
      amount_cents: 240,
      tenant_id: "demo",
    });

    // nothing is left to send: a further drain changes nothing
    await drainZone(env, zone.code);
    expect((await historyRow(env, a.id))?.version).toBe(2);
  });

  it("a redelivered older version never rolls the D1 row back", async () => {
    const zone = await createZone(flatZone());
    const stub = zoneObject(env, zone.code);
    const s = await startVia(zone.code, 30);
    expect((await call(`/v1/sessions/${s.id}/extend`, { key: APP, body: { minutes: 15 } })).status).toBe(200);
    await drainZone(env, zone.code);
    expect(await historyRow(env, s.id)).toMatchObject({ version: 2, paid_minutes: 45, amount_cents: 180 });

    // As if an earlier flush reached D1 but its acknowledgement was lost: version 1 is sent again.
    const v1 = {
      ...((await stub.getSession(s.id)) as { ok: true; value: StoredSession }).value,
      version: 1,
      paidMinutes: 30,
      amountCents: 120,
    };
    await runInDurableObject(stub, (_o, state) => {
      state.storage.sql.exec("INSERT INTO outbox (payload) VALUES (?)", JSON.stringify(v1));
    });
    expect((await stub.stats(Date.now())).outbox).toBe(1);
    await drainZone(env, zone.code);
    expect(await historyRow(env, s.id)).toMatchObject({ version: 2, paid_minutes: 45, amount_cents: 180 });
  });
});

describe("ZoneState alarm: expiry", () => {
  it("marks a session expired once its end plus grace has passed, in the object and in D1", async () => {
    const zone = await createZone(flatZone({ graceMinutes: 10 }));
    const stub = zoneObject(env, zone.code);
    const now = Date.now();
    const lapsed = await startOn(stub, now - 40 * MIN, 15, now); // ended 25 min ago: past grace
    const inGrace = await startOn(stub, now - 20 * MIN, 15, now); // ended 5 min ago: still in grace
    const running = await startOn(stub, now, 30, now);

    await drainZone(env, zone.code);
    expect(await historyRow(env, lapsed.id)).toMatchObject({
      status: "expired",
      version: 2,
      end_at: lapsed.endMs,
      amount_cents: 60,
    });
    expect(await historyRow(env, inGrace.id)).toMatchObject({ status: "active", version: 1 });
    expect(await historyRow(env, running.id)).toMatchObject({ status: "active", version: 1 });

    const live = await stub.getSession(lapsed.id);
    expect(live).toMatchObject({ ok: true, value: { status: "expired", version: 2 } });
    expect(await json(await call(`/v1/sessions/${lapsed.id}`, { key: APP }))).toMatchObject({
      status: "expired",
      secondsRemaining: 0,
    });
    expect(await json(await call("/v1/verify", { key: OFFICER, body: { plate: lapsed.plate, zone: zone.code } }))).toMatchObject({
      status: "EXPIRED",
      enforcementRecommendation: "CITE",
    });
    expect(await json(await call("/v1/verify", { key: OFFICER, body: { plate: inGrace.plate, zone: zone.code } }))).toMatchObject(
      { status: "GRACE" },
    );
    // an expired session can be neither extended nor ended
    await problem(await call(`/v1/sessions/${lapsed.id}/extend`, { key: APP, body: { minutes: 15 } }), 409);
    await problem(await call(`/v1/sessions/${lapsed.id}/end`, { key: APP, method: "POST" }), 409);

    // the next alarm comes no later than the in-grace session's grace runs out
    const next = await alarmAt(stub);
    expect(next).not.toBeNull();
    expect(next!).toBeLessThanOrEqual(inGrace.endMs + 10 * MIN);
  });
});

describe("ZoneState configuration", () => {
  const rules = (code: string, name = "Raw Zone") => ({
    code,
    name,
    timezone: "UTC",
    capacity: null,
    rateSlots: [{ days: [...ALL_DAYS], start: "00:00", end: "24:00", rateCentsPerHour: 100 }],
    enforcement: [{ days: [...ALL_DAYS], start: "00:00", end: "24:00" }],
    graceMinutes: 0,
    maxStayMinutes: 60,
    incrementMinutes: 15,
  });
  async function zoneOnlyInD1(name?: string) {
    const code = newZoneCode();
    const { capacity, ...r } = rules(code, name);
    const row = await insertZone(db(env.DB), "demo", r, capacity);
    if (!row) throw new Error("zone insert failed");
    return row;
  }

  it("answers unconfigured until the route layer configures it from D1", async () => {
    const row = await zoneOnlyInD1();
    const stub = zoneObject(env, row.code);
    const plate = newPlate();
    expect(await stub.check({ plate, state: null }, Date.now())).toMatchObject({ ok: false, status: 404, unconfigured: true });
    expect(await stub.checkMany([{ plate, state: null }], Date.now())).toMatchObject({ ok: false, unconfigured: true });
    expect(await stub.stats(Date.now())).toMatchObject({ configured: false });

    const res = await call("/v1/verify", { key: OFFICER, body: { plate, zone: row.code } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ zone: row.code, status: "NO_RECORD" });
    expect(await stub.stats(Date.now())).toMatchObject({ configured: true });
    expect(await stub.check({ plate, state: null }, Date.now())).toMatchObject({
      ok: true,
      value: { zone: { code: row.code, name: "Raw Zone", rateCentsPerHour: 100 } },
    });
  });

  it("a session can be started in a zone whose object has never been configured", async () => {
    const row = await zoneOnlyInD1();
    const res = await call("/v1/sessions", { key: APP, body: { plate: newPlate(), zone: row.code, minutes: 30 } });
    expect(res.status).toBe(201);
    expect(await json(res)).toMatchObject({ zone: row.code, amountCents: 50, status: "active" });
    expect(await zoneObject(env, row.code).stats(Date.now())).toMatchObject({ configured: true, active: 1 });
  });

  it("a zone in neither D1 nor an object is a 404, and the object stays unconfigured", async () => {
    const code = newZoneCode();
    expect((await problem(await call("/v1/verify", { key: OFFICER, body: { plate: newPlate(), zone: code } }), 404)).detail).toBe(
      `Zone ${code} not found`,
    );
    expect(await zoneObject(env, code).stats(Date.now())).toMatchObject({ configured: false });
  });

  it("an older configuration never overwrites a newer one", async () => {
    const row = await zoneOnlyInD1("First");
    const stub = zoneObject(env, row.code);
    const v1 = configOf(row);
    const v2 = { ...v1, version: 2, rules: { ...v1.rules, name: "Second" } };
    await stub.configure(v1);
    await stub.configure(v2);
    await stub.configure(v1);
    expect(await stub.check({ plate: newPlate(), state: null }, Date.now())).toMatchObject({
      ok: true,
      value: { zone: { name: "Second" } },
    });
  });
});

describe("session history upsert", () => {
  const session = (code: string, version: number, patch: Partial<StoredSession> = {}): StoredSession => {
    const startMs = 1_800_000_000_000;
    return {
      id: newSessionId(code, uniq(20)),
      plate: "HIST123",
      state: "CT",
      zone: code,
      startMs,
      endMs: startMs + 30 * MIN,
      paidMinutes: 30,
      amountCents: 120,
      refundCents: 0,
      status: "active",
      endedAtMs: null,
      version,
      createdAtMs: startMs,
      updatedAtMs: startMs + version,
      ...patch,
    };
  };

  it("never lets an older or equal version overwrite a newer one", async () => {
    const code = newZoneCode();
    const v1 = session(code, 1);
    const v2 = { ...v1, version: 2, paidMinutes: 60, amountCents: 240, endMs: v1.startMs + 60 * MIN };
    const v3 = {
      ...v2,
      version: 3,
      status: "ended" as const,
      refundCents: 120,
      endedAtMs: v1.startMs + 20 * MIN,
      endMs: v1.startMs + 20 * MIN,
    };

    await upsertSessionHistory(env.DB, "demo", [v3]);
    await upsertSessionHistory(env.DB, "demo", [v2]);
    await upsertSessionHistory(env.DB, "demo", [v1]);
    await upsertSessionHistory(env.DB, "demo", [{ ...v3, amountCents: 9999 }]); // same version again: ignored
    expect(await historyRow(env, v1.id)).toMatchObject({
      version: 3,
      status: "ended",
      paid_minutes: 60,
      amount_cents: 240,
      refund_cents: 120,
      end_at: v3.endMs,
      ended_at: v3.endedAtMs,
    });

    await upsertSessionHistory(env.DB, "demo", [{ ...v3, version: 4, refundCents: 100 }]);
    expect(await historyRow(env, v1.id)).toMatchObject({ version: 4, refund_cents: 100 });
  });

  it("applies a batch that arrives out of order, keeping the newest", async () => {
    const code = newZoneCode();
    const v1 = session(code, 1);
    const v2 = { ...v1, version: 2, paidMinutes: 45, amountCents: 180 };
    const v3 = { ...v1, version: 3, paidMinutes: 60, amountCents: 240 };
    await upsertSessionHistory(env.DB, "demo", [v1, v3, v2]);
    expect(await historyRow(env, v1.id)).toMatchObject({
      version: 3,
      paid_minutes: 60,
      amount_cents: 240,
      tenant_id: "demo",
      zone: code,
    });
    await upsertSessionHistory(env.DB, "demo", []); // nothing to do is not an error
  });
});
