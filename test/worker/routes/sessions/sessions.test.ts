// Parking sessions through the worker: prices from time-slot rates, max stay, idempotent starts,
// extend, end with a pro-rated refund, and the D1 history each zone's outbox writes.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ALL_DAYS,
  APP,
  DEMO_ADMIN,
  NO_SCOPES,
  OFFICER,
  OTHER_TENANT_ADMIN,
  WEEKDAYS,
  call,
  createZone,
  drainZone,
  flatZone,
  historyRow,
  json,
  localInstant,
  newPlate,
  problem,
  upcomingDay,
  zoneObject,
  type ZoneBody,
} from "../../fixtures";

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Session = {
  id: string;
  zone: string;
  plate: string;
  state: string | null;
  status: "active" | "ended" | "expired";
  startTime: string;
  endTime: string;
  paidMinutes: number;
  amountCents: number;
  refundCents: number;
  currency: string;
  endedAt: string | null;
  secondsRemaining: number;
};

function start(body: Record<string, unknown>, init: { key?: string | null; headers?: Record<string, string> } = {}) {
  return call("/v1/sessions", { key: init.key === undefined ? APP : init.key, body, headers: init.headers });
}
async function started(body: Record<string, unknown>, key = APP): Promise<Session> {
  const res = await start(body, { key });
  if (res.status !== 201) throw new Error(`start failed: ${res.status} ${await res.text()}`);
  return json<Session>(res);
}
const extend = (id: string, minutes: unknown, key: string | null = APP) =>
  call(`/v1/sessions/${id}/extend`, { key, body: { minutes } });
const end = (id: string, key: string | null = APP) => call(`/v1/sessions/${id}/end`, { key, method: "POST" });
/** A start time just behind now (inside the 60 s skew allowance), so a session has run for a few seconds. */
const justNow = () => iso(Date.now() - 30_000);

// Weekday days at 3.00/h, weekday evenings at 1.00/h, weekends at 0.50/h, nothing overnight.
const TZ = "America/Chicago";
let slotted: ZoneBody;
// 2.40/h around the clock, always enforced: 0.60 per 15-minute increment whenever the test runs.
let flat: ZoneBody;

beforeAll(async () => {
  slotted = await createZone(
    flatZone({
      name: "Test Slotted Avenue",
      timezone: TZ,
      rateSlots: [
        { days: WEEKDAYS, start: "08:00", end: "18:00", rateCentsPerHour: 300 },
        { days: WEEKDAYS, start: "18:00", end: "22:00", rateCentsPerHour: 100 },
        { days: ["SAT", "SUN"], start: "08:00", end: "22:00", rateCentsPerHour: 50 },
      ],
      enforcement: [{ days: ALL_DAYS, start: "08:00", end: "22:00" }],
      maxStayMinutes: 240,
    }),
  );
  flat = await createZone(flatZone());
});

/** An instant on the next weekday (or weekend day) in the slotted zone's local time. */
const weekdayAt = (hhmm: string) => localInstant(TZ, upcomingDay(TZ, WEEKDAYS).ymd, hhmm);
const weekendAt = (hhmm: string) => localInstant(TZ, upcomingDay(TZ, ["SAT", "SUN"]).ymd, hhmm);

describe("POST /v1/sessions: happy", () => {
  it("prices a future weekday session across the 18:00 slot boundary", async () => {
    const startMs = weekdayAt("17:30");
    const plate = newPlate();
    const res = await start({ plate, state: "tx", zone: slotted.code.toLowerCase(), minutes: 60, startTime: iso(startMs) });
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    const s = await json<Session>(res);
    expect(res.headers.get("Location")).toBe(`/v1/sessions/${s.id}`);
    expect(s.id).toMatch(new RegExp(`^ses_${slotted.code}_[A-Za-z0-9]{20}$`));
    // 30 min at 300 c/h (150) + 30 min at 100 c/h (50)
    expect(s).toEqual({
      id: s.id,
      zone: slotted.code,
      plate,
      state: "TX",
      status: "active",
      startTime: iso(startMs),
      endTime: iso(startMs + 60 * MIN),
      paidMinutes: 60,
      amountCents: 200,
      refundCents: 0,
      paidCents: 0,
      currency: "USD",
      endedAt: null,
      secondsRemaining: 3600,
    });
  });

  it("charges each slot by the minute: 17:15 for 90 minutes is 45 min at 3.00 and 45 min at 1.00", async () => {
    const s = await started({ plate: newPlate(), zone: slotted.code, minutes: 90, startTime: iso(weekdayAt("17:15")) });
    expect(s.amountCents).toBe(225 + 75);
  });

  it("charges nothing where no slot applies and rounds half-cents up once", async () => {
    // 21:50–22:05: 10 min at 100 c/h = 16.67 c, rounded to 17; the 5 minutes after 22:00 are free.
    const late = await started({ plate: newPlate(), zone: slotted.code, minutes: 15, startTime: iso(weekdayAt("21:50")) });
    expect(late.amountCents).toBe(17);
    const night = await started({ plate: newPlate(), zone: slotted.code, minutes: 60, startTime: iso(weekdayAt("23:00")) });
    expect(night.amountCents).toBe(0);
  });

  it("uses the weekend slot on a weekend day", async () => {
    const s = await started({ plate: newPlate(), zone: slotted.code, minutes: 120, startTime: iso(weekendAt("10:00")) });
    expect(s.amountCents).toBe(100);
  });

  it("starts now when no startTime is given, normalising the plate", async () => {
    const before = Date.now();
    const plate = newPlate();
    const s = await started({ plate: `${plate.slice(0, 3).toLowerCase()}-${plate.slice(3)}`, zone: flat.code, minutes: 45 });
    expect(s.plate).toBe(plate);
    expect(s.state).toBeNull();
    expect(s.amountCents).toBe(180);
    const startMs = Date.parse(s.startTime);
    expect(startMs).toBeGreaterThanOrEqual(before);
    expect(startMs).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(s.endTime) - startMs).toBe(45 * MIN);
    expect(s.secondsRemaining).toBeGreaterThan(44 * 60);
    expect(s.secondsRemaining).toBeLessThanOrEqual(45 * 60);
  });

  it("lets a plate book a later session that does not overlap the running one", async () => {
    const plate = newPlate();
    await started({ plate, zone: flat.code, minutes: 30 });
    const later = await started({ plate, zone: flat.code, minutes: 30, startTime: iso(Date.now() + 24 * 60 * MIN) });
    expect(later.status).toBe("active");
  });

  it("lets a plate park now although it has booked a session for tomorrow", async () => {
    const plate = newPlate();
    await started({ plate, zone: flat.code, minutes: 60, startTime: iso(Date.now() + 24 * 60 * MIN) });
    const now = await start({ plate, zone: flat.code, minutes: 30 });
    expect(now.status).toBe(201);
  });

  it("lets the same plate park in two different zones", async () => {
    const plate = newPlate();
    await started({ plate, zone: flat.code, minutes: 30 });
    expect((await start({ plate, zone: slotted.code, minutes: 30, startTime: iso(weekdayAt("12:00")) })).status).toBe(201);
  });
});

describe("POST /v1/sessions: errors", () => {
  it("refuses more than the zone's maximum stay", async () => {
    const body = await problem(await start({ plate: newPlate(), zone: flat.code, minutes: 135 }), 422);
    expect(body.errors).toEqual([
      { location: "body", path: "minutes", message: expect.stringContaining("Maximum stay is 120 minutes") },
    ]);
    expect(body.requestId).toEqual(expect.any(String));
  });

  it("accepts exactly the maximum stay", async () => {
    const s = await started({ plate: newPlate(), zone: flat.code, minutes: 120 });
    expect(s.amountCents).toBe(480);
  });

  it("refuses minutes that are not a multiple of the increment", async () => {
    const body = await problem(await start({ plate: newPlate(), zone: flat.code, minutes: 20 }), 422);
    expect(body.errors?.[0]).toMatchObject({
      location: "body",
      path: "minutes",
      message: "Duration must be a multiple of 15 minutes.",
    });
  });

  it("refuses a second session for a plate while one runs (however the plate is written)", async () => {
    const plate = newPlate();
    const first = await started({ plate, zone: flat.code, minutes: 60 });
    const body = await problem(await start({ plate: ` ${plate.toLowerCase()} `, zone: flat.code, minutes: 30 }), 409);
    expect(body.detail).toContain(first.id);
    // and a later booking that overlaps the running one is refused too
    await problem(await start({ plate, zone: flat.code, minutes: 30, startTime: iso(Date.now() + 30 * MIN) }), 409);
  });

  it("returns field errors for every invalid field, as problem+json", async () => {
    const body = await problem(await start({ plate: "--", zone: "no spaces!", minutes: 0, state: "Connecticut" }), 422);
    expect(body.type).toBe("https://curbgate.dev/problems/validation");
    const paths = body.errors!.map((e) => e.path).sort();
    expect(paths).toEqual(["minutes", "plate", "state", "zone"]);
    for (const e of body.errors!) expect(e.location).toBe("body");
  });

  it("refuses missing fields and non-integer minutes", async () => {
    const body = await problem(await start({ zone: flat.code, minutes: 15.5 }), 422);
    expect(body.errors!.map((e) => e.path).sort()).toEqual(["minutes", "plate"]);
  });

  it("refuses a startTime in the past, more than 7 days ahead, or not an instant", async () => {
    for (const startTime of [iso(Date.now() - 60 * MIN), iso(Date.now() + 8 * 24 * 60 * MIN)]) {
      const body = await problem(await start({ plate: newPlate(), zone: flat.code, minutes: 15, startTime }), 422);
      expect(body.errors).toEqual([{ location: "body", path: "startTime", message: "Out of range" }]);
    }
    const body = await problem(
      await start({ plate: newPlate(), zone: flat.code, minutes: 15, startTime: "tomorrow at noon" }),
      422,
    );
    expect(body.errors?.[0]?.path).toBe("startTime");
  });

  it("answers 404 for a zone the tenant does not have", async () => {
    const body = await problem(await start({ plate: newPlate(), zone: "NOPE-404", minutes: 15 }), 404);
    expect(body.detail).toBe("Zone NOPE-404 not found");
  });

  it("answers 400, not 500, for a body that is not JSON", async () => {
    const res = await call("/v1/sessions", { key: APP, body: "{plate:", headers: { "content-type": "application/json" } });
    const body = await problem(res, 400);
    expect(body.detail).toBe("The request body is not valid JSON");
  });
});

describe("POST /v1/sessions: Idempotency-Key", () => {
  it("returns the first result to a retry, flagged as a replay", async () => {
    const key = `retry-${newPlate()}`;
    const body = { plate: newPlate(), zone: flat.code, minutes: 30 };
    const first = await start(body, { headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(201);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const a = await json<Session>(first);

    for (let i = 0; i < 2; i++) {
      const retry = await start(body, { headers: { "Idempotency-Key": key } });
      expect(retry.status).toBe(200);
      expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
      const b = await json<Session>(retry);
      expect(b.id).toBe(a.id);
      expect(b.amountCents).toBe(a.amountCents);
      expect(b.startTime).toBe(a.startTime);
    }
    // Only one session exists: without the key the same body conflicts with it.
    await problem(await start(body), 409);
  });

  it("refuses the same key with a different body", async () => {
    const key = `diff-${newPlate()}`;
    const plate = newPlate();
    expect((await start({ plate, zone: flat.code, minutes: 30 }, { headers: { "Idempotency-Key": key } })).status).toBe(201);
    const res = await start({ plate, zone: flat.code, minutes: 45 }, { headers: { "Idempotency-Key": key } });
    const body = await problem(res, 422);
    expect(body.errors?.[0]?.path).toBe("Idempotency-Key");
    expect(body.detail).toBe("This Idempotency-Key was used with a different request");
  });

  it("keeps keys per credential: another key's identical Idempotency-Key is a new request", async () => {
    const key = `shared-${newPlate()}`;
    const a = await start({ plate: newPlate(), zone: flat.code, minutes: 15 }, { headers: { "Idempotency-Key": key } });
    const b = await start(
      { plate: newPlate(), zone: flat.code, minutes: 15 },
      { key: DEMO_ADMIN, headers: { "Idempotency-Key": key } },
    );
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect((await json<Session>(b)).id).not.toBe((await json<Session>(a)).id);
  });

  it("refuses an empty or overlong key", async () => {
    for (const k of ["", "k".repeat(256)]) {
      const body = await problem(
        await start({ plate: newPlate(), zone: flat.code, minutes: 15 }, { headers: { "Idempotency-Key": k } }),
        422,
      );
      expect(body.errors?.[0]).toMatchObject({ location: "header", path: "idempotency-key" });
    }
  });
});

describe("POST /v1/sessions/{id}/extend", () => {
  it("charges the extra time at the slot rates and moves the end", async () => {
    const startMs = weekdayAt("17:30");
    const s = await started({ plate: newPlate(), zone: slotted.code, minutes: 30, startTime: iso(startMs) });
    expect(s.amountCents).toBe(150);
    const res = await extend(s.id, 30);
    expect(res.status).toBe(200);
    const e = await json<Session & { chargedCents: number }>(res);
    expect(e).toMatchObject({
      id: s.id,
      chargedCents: 50,
      amountCents: 200,
      paidMinutes: 60,
      status: "active",
      startTime: s.startTime,
      endTime: iso(startMs + 60 * MIN),
    });
    expect((await json<Session>(await call(`/v1/sessions/${s.id}`, { key: APP }))).endTime).toBe(iso(startMs + 60 * MIN));
  });

  it("refuses to go past the maximum stay, and allows exactly reaching it", async () => {
    const s = await started({ plate: newPlate(), zone: flat.code, minutes: 30, startTime: justNow() });
    // Past the maximum, the vehicle's stay is over: 409 with when a new one may begin (max-stay.test.ts).
    const over = await problem(await extend(s.id, 105), 409);
    expect(over).toMatchObject({ maxStayMinutes: 120, newStayAfter: expect.any(String) });
    expect(over.detail).toContain("120-minute maximum stay");
    const ok = await json<Session & { chargedCents: number }>(await extend(s.id, 90));
    expect(ok).toMatchObject({ paidMinutes: 120, chargedCents: 360, amountCents: 480 });
    expect((await problem(await extend(s.id, 15), 409)).detail).toContain("maximum stay");
    // An extension longer than the maximum by itself is a bad request, whatever the stay.
    expect((await problem(await extend(s.id, 135), 422)).errors?.[0]?.path).toBe("minutes");
  });

  it("refuses minutes off the increment, and invalid bodies", async () => {
    const s = await started({ plate: newPlate(), zone: flat.code, minutes: 30 });
    expect((await problem(await extend(s.id, 10), 422)).errors?.[0]?.path).toBe("minutes");
    expect((await problem(await extend(s.id, 0), 422)).errors?.[0]).toMatchObject({ location: "body", path: "minutes" });
    expect((await problem(await extend(s.id, "15"), 422)).errors?.[0]?.path).toBe("minutes");
  });

  it("refuses a finished session with 409", async () => {
    const s = await started({ plate: newPlate(), zone: flat.code, minutes: 30, startTime: justNow() });
    expect((await end(s.id)).status).toBe(200);
    const body = await problem(await extend(s.id, 15), 409);
    expect(body.detail).toBe("Only a running session can be extended");
  });

  it("answers 404 for a malformed or unknown id", async () => {
    const malformed = await problem(await extend("ses_nope", 15), 404);
    expect(malformed.errors?.[0]).toMatchObject({ location: "path", path: "id" });
    await problem(await extend(`ses_${flat.code}_${"a".repeat(20)}`, 15), 404);
  });
});

describe("POST /v1/sessions/{id}/end", () => {
  it("refunds the unused whole increments and returns the refund", async () => {
    const s = await started({ plate: newPlate(), zone: flat.code, minutes: 60, startTime: justNow() });
    expect(s.amountCents).toBe(240);
    const before = Date.now();
    const res = await end(s.id);
    expect(res.status).toBe(200);
    const e = await json<Session & { refund: { refundCents: number; usedMinutes: number; unusedIncrements: number } }>(res);
    // 30 s parked rounds up to one 15-minute increment (60 c); three increments come back.
    expect(e.refund).toEqual({
      refundCents: 180,
      usedMinutes: 15,
      unusedIncrements: 3,
      providerRefund: expect.objectContaining({ status: "no_payment", amountCents: 180, jobId: null }),
    });
    expect(e).toMatchObject({
      id: s.id,
      status: "ended",
      refundCents: 180,
      amountCents: 240,
      paidMinutes: 60,
      secondsRemaining: 0,
    });
    expect(Date.parse(e.endedAt!)).toBeGreaterThanOrEqual(before);
    expect(e.endTime).toBe(e.endedAt);

    // ending twice is a conflict, and the plate may park again
    expect((await problem(await end(s.id), 409)).detail).toBe("The session has already finished");
    expect((await start({ plate: s.plate, zone: flat.code, minutes: 15 })).status).toBe(201);
  });

  it("refunds everything for a session that has not started yet", async () => {
    const startMs = weekdayAt("17:30");
    const s = await started({ plate: newPlate(), zone: slotted.code, minutes: 60, startTime: iso(startMs) });
    const e = await json<Session & { refund: unknown }>(await end(s.id));
    expect(e.refund).toEqual({
      refundCents: 200,
      usedMinutes: 0,
      unusedIncrements: 4,
      providerRefund: expect.objectContaining({ status: "no_payment", amountCents: 200 }),
    });
    expect(e).toMatchObject({
      status: "ended",
      refundCents: 200,
      amountCents: 200,
      startTime: iso(startMs),
      endTime: iso(startMs),
    });
  });

  it("answers 404 for a malformed or unknown id", async () => {
    await problem(await end("not-a-session"), 404);
    await problem(await end(`ses_${flat.code}_${"b".repeat(20)}`), 404);
  });
});

describe("GET /v1/sessions/{id}", () => {
  it("returns the live session to any key with sessions:read", async () => {
    const s = await started({ plate: newPlate(), zone: flat.code, minutes: 30, startTime: iso(Date.now() + 60 * MIN) });
    for (const key of [APP, OFFICER]) {
      const res = await call(`/v1/sessions/${s.id}`, { key });
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual({ ...s, secondsRemaining: 1800 });
    }
  });

  it("answers 404 problems for malformed and unknown ids", async () => {
    const malformed = await problem(await call("/v1/sessions/12345", { key: APP }), 404);
    expect(malformed.detail).toBe("No such resource");
    expect(malformed.errors?.[0]).toMatchObject({ location: "path", path: "id" });
    const unknown = await problem(await call(`/v1/sessions/ses_${flat.code}_${"c".repeat(20)}`, { key: APP }), 404);
    expect(unknown.detail).toBe("Session not found");
    await problem(await call(`/v1/sessions/ses_NOZONE_${"c".repeat(20)}`, { key: APP }), 404);
  });
});

describe("GET /v1/sessions (D1 history)", () => {
  it("lists history drained from the zone's outbox, filtered by zone, plate and active", async () => {
    const zone = await createZone(flatZone());
    const plate = newPlate();
    const done = await started({ plate, zone: zone.code, minutes: 60, startTime: justNow() });
    await extend(done.id, 30);
    const { refund: _, ...ended } = await json<Session & { refund: unknown }>(await end(done.id));
    const running = await started({ plate: newPlate(), zone: zone.code, minutes: 30 });
    await drainZone(env, zone.code);

    const byPlate = await json<{ data: Session[]; nextBefore: string | null }>(
      await call(`/v1/sessions?zone=${zone.code.toLowerCase()}&plate=${plate.toLowerCase()}`, { key: APP }),
    );
    expect(byPlate.nextBefore).toBeNull();
    expect(byPlate.data).toEqual([ended]);
    expect(byPlate.data[0]).toMatchObject({ status: "ended", amountCents: 360, paidMinutes: 90, refundCents: 300 });

    const all = await json<{ data: Session[] }>(await call(`/v1/sessions?zone=${zone.code}`, { key: OFFICER }));
    expect(all.data.map((s) => s.id)).toEqual([running.id, done.id]); // newest start first

    const active = await json<{ data: Session[] }>(await call(`/v1/sessions?zone=${zone.code}&active=true`, { key: APP }));
    expect(active.data.map((s) => s.id)).toEqual([running.id]);
    const inactive = await json<{ data: Session[] }>(await call(`/v1/sessions?zone=${zone.code}&active=false`, { key: APP }));
    expect(inactive.data.map((s) => s.id)).toEqual([done.id]);
  });

  it("pages backwards with limit and before", async () => {
    const zone = await createZone(flatZone());
    const base = Date.now() + 60 * MIN;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await started({ plate: newPlate(), zone: zone.code, minutes: 15, startTime: iso(base + i * MIN) })).id);
    await drainZone(env, zone.code);
    const first = await json<{ data: Session[]; nextBefore: string | null }>(
      await call(`/v1/sessions?zone=${zone.code}&limit=2`, { key: APP }),
    );
    expect(first.data.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextBefore).toBe(iso(base + MIN));
    const second = await json<{ data: Session[]; nextBefore: string | null }>(
      await call(`/v1/sessions?zone=${zone.code}&limit=2&before=${encodeURIComponent(first.nextBefore!)}`, { key: APP }),
    );
    expect(second.data.map((s) => s.id)).toEqual([ids[0]]);
    expect(second.nextBefore).toBeNull();
  });

  it("keeps the D1 row's amount, status and version in step with extend and end", async () => {
    const zone = await createZone(flatZone());
    const s = await started({ plate: newPlate(), zone: zone.code, minutes: 30, startTime: justNow() });
    await drainZone(env, zone.code);
    expect(await historyRow(env, s.id)).toMatchObject({
      tenant_id: "demo",
      zone: zone.code,
      status: "active",
      amount_cents: 120,
      paid_minutes: 30,
      version: 1,
    });

    await extend(s.id, 45);
    await drainZone(env, zone.code);
    expect(await historyRow(env, s.id)).toMatchObject({
      status: "active",
      amount_cents: 300,
      paid_minutes: 75,
      version: 2,
      end_at: Date.parse(s.startTime) + 75 * MIN,
      refund_cents: 0,
      ended_at: null,
    });

    const e = await json<Session>(await end(s.id));
    await drainZone(env, zone.code);
    expect(await historyRow(env, s.id)).toMatchObject({
      status: "ended",
      amount_cents: 300,
      refund_cents: 240,
      version: 3,
      ended_at: Date.parse(e.endedAt!),
      end_at: Date.parse(e.endTime),
    });
  });

  it("serves a session from D1 once its zone no longer holds it", async () => {
    const zone = await createZone(flatZone());
    const s = await started({ plate: newPlate(), zone: zone.code, minutes: 30 });
    await drainZone(env, zone.code);
    // A session finished long ago is purged from the zone but kept in history.
    await env.DB.prepare("UPDATE parking_sessions SET status = 'ended', refund_cents = 7 WHERE id = ?").bind(s.id).run();
    await runInDurableObject(zoneObject(env, zone.code), (_o, state) => {
      state.storage.sql.exec("DELETE FROM sessions WHERE id = ?", s.id);
    });
    const got = await json<Session>(await call(`/v1/sessions/${s.id}`, { key: APP }));
    expect(got).toMatchObject({ id: s.id, status: "ended", refundCents: 7, amountCents: 120, zone: zone.code });
  });

  it("validates the query", async () => {
    expect((await problem(await call("/v1/sessions?limit=0", { key: APP }), 422)).errors?.[0]).toMatchObject({
      location: "query",
      path: "limit",
    });
    expect((await problem(await call("/v1/sessions?active=yes", { key: APP }), 422)).errors?.[0]?.path).toBe("active");
    expect((await problem(await call("/v1/sessions?before=yesterday", { key: APP }), 422)).errors?.[0]?.path).toBe("before");
  });
});

describe("sessions: security", () => {
  it("needs a credential", async () => {
    const res = await start({ plate: newPlate(), zone: flat.code, minutes: 15 }, { key: null });
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="curbgate"');
    await problem(res, 401);
    await problem(await call("/v1/sessions", { key: null }), 401);
    await problem(await start({ plate: newPlate(), zone: flat.code, minutes: 15 }, { key: "cg_not_a_real_key" }), 401);
  });

  it("needs sessions:write to start, extend or end, and sessions:read to read", async () => {
    const plate = newPlate();
    const denied = await problem(await start({ plate, zone: flat.code, minutes: 15 }, { key: OFFICER }), 403);
    expect(denied.detail).toContain("sessions:write");
    // nothing was started by the refused request
    const s = await started({ plate, zone: flat.code, minutes: 15 });
    await problem(await extend(s.id, 15, OFFICER), 403);
    await problem(await end(s.id, OFFICER), 403);
    await problem(await call(`/v1/sessions/${s.id}`, { key: NO_SCOPES }), 403);
    await problem(await call("/v1/sessions", { key: NO_SCOPES }), 403);
    expect((await json<Session>(await call(`/v1/sessions/${s.id}`, { key: APP }))).paidMinutes).toBe(15);
  });

  it("never shows or changes a demo session for the other tenant", async () => {
    // A1 exists in both tenants; the custom zone only in demo.
    const inA1 = await started({ plate: newPlate(), zone: "A1", minutes: 15, startTime: iso(Date.now() + 60 * MIN) });
    const inFlat = await started({ plate: newPlate(), zone: flat.code, minutes: 30 });
    await drainZone(env, "A1");
    await drainZone(env, flat.code);
    for (const s of [inA1, inFlat]) {
      await problem(await call(`/v1/sessions/${s.id}`, { key: OTHER_TENANT_ADMIN }), 404);
      await problem(await extend(s.id, 15, OTHER_TENANT_ADMIN), 404);
      await problem(await end(s.id, OTHER_TENANT_ADMIN), 404);
      const mine = await json<Session>(await call(`/v1/sessions/${s.id}`, { key: APP }));
      expect(mine).toMatchObject({ status: "active", paidMinutes: s.paidMinutes, amountCents: s.amountCents });
    }
    expect(
      (await json<{ data: Session[] }>(await call(`/v1/sessions?plate=${inA1.plate}`, { key: OTHER_TENANT_ADMIN }))).data,
    ).toEqual([]);
    expect(
      (await json<{ data: Session[] }>(await call(`/v1/sessions?zone=${flat.code}`, { key: OTHER_TENANT_ADMIN }))).data,
    ).toEqual([]);
    const theirs = await json<{ data: Session[] }>(await call("/v1/sessions?limit=200", { key: OTHER_TENANT_ADMIN }));
    const ids = theirs.data.map((s) => s.id);
    expect(ids).not.toContain(inA1.id);
    expect(ids).not.toContain(inFlat.id);
    // the demo key does see them
    expect(
      (await json<{ data: Session[] }>(await call(`/v1/sessions?plate=${inA1.plate}`, { key: APP }))).data.map((s) => s.id),
    ).toEqual([inA1.id]);
  });

  it("keeps the other tenant's sessions out of the demo tenant's zone of the same code", async () => {
    const plate = newPlate();
    const theirs = await started({ plate, zone: "A1", minutes: 15 }, OTHER_TENANT_ADMIN);
    await problem(await call(`/v1/sessions/${theirs.id}`, { key: APP }), 404);
    // the demo tenant's A1 has no session for this plate, so the demo app can start one there
    expect((await start({ plate, zone: "A1", minutes: 15, startTime: iso(Date.now() + 120 * MIN) })).status).toBe(201);
  });
});
