import { describe, expect, it } from "vitest";
import {
  endedSession,
  expiredSession,
  expiryDueMs,
  extendedSession,
  importedSession,
  lapsedIfEndedByMs,
  newSession,
  paidSession,
  type SaleTerms,
  type SessionRequest,
  type StoredSession,
} from "../../../src/domain/sessions";
import type { ZoneRules } from "../../../src/domain/types";
import { A1, ALL, B2 } from "./zones";

// Prices are worked out by hand as cent-minutes (rate × minutes) / 60, rounded half up.
// 2026-03-03 is a Tuesday; New York is on EST (UTC−5) that week, so 10:00 local is 15:00Z.
const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);
const TEN_AM = at("2026-03-03T15:00:00Z");
const FIVE_PM = at("2026-03-03T22:00:00Z");
const HALF_FIVE = at("2026-03-03T22:30:00Z");
const flat = (rate: number, patch: Partial<ZoneRules> = {}): ZoneRules => ({
  ...A1,
  rateSlots: [{ days: ALL, start: "00:00", end: "24:00", rateCentsPerHour: rate }],
  ...patch,
});
const ID = "ses_A1_4Fh8kPq2xZt9mWc3bNv7";
const terms = (rules: ZoneRules, stayGapMinutes?: number): SaleTerms => ({ rules, version: 1, stayGapMinutes });
const ask = (startMs: number, minutes: number, patch: Partial<SessionRequest> = {}): SessionRequest => ({
  plate: "ABC123",
  state: "CT",
  startMs,
  minutes,
  ...patch,
});

function opened(rules: ZoneRules, req: SessionRequest, nowMs = req.startMs, version = 1): StoredSession {
  const r = newSession({ rules, version }, req, [], ID, nowMs);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.session;
}

describe("newSession", () => {
  it.each<[string, ZoneRules, number, number, number]>([
    ["A1, inside the day rate", A1, TEN_AM, 60, 200],
    ["A1, half an hour past 18:00 is free", A1, HALF_FIVE, 60, 100], // 30×200
    ["B2, day rate then evening rate", B2, HALF_FIVE, 60, 150], // 30×200 + 30×100 = 9000
    ["B2, two hours into the evening", B2, FIVE_PM, 120, 300], // 60×200 + 60×100
  ])("prices %s", (_what, rules, startMs, minutes, cents) => {
    expect(opened(rules, ask(startMs, minutes)).amountCents).toBe(cents);
  });

  it("builds the session: normalised plate, the zone's code, paid-until, the rules version it was sold under", () => {
    const now = TEN_AM - 5 * MIN;
    const r = newSession({ rules: B2, version: 7 }, ask(TEN_AM, 45, { plate: "abc-12 3" }), [], "ses_B2_x", now);
    const session = {
      id: "ses_B2_x",
      plate: "ABC123",
      state: "CT",
      zone: "B2",
      startMs: TEN_AM,
      endMs: TEN_AM + 45 * MIN,
      paidMinutes: 45,
      amountCents: 150,
      refundCents: 0,
      status: "active",
      endedAtMs: null,
      version: 1,
      createdAtMs: now,
      updatedAtMs: now,
      rulesVersion: 7,
    };
    expect(r).toEqual({ ok: true, session });
  });

  it.each<[number, string]>([
    [20, "Duration must be a multiple of 15 minutes."],
    [0, "Duration must be a positive whole number of minutes."],
    [255, "Maximum stay is 240 minutes; 240 minutes left in this session."],
  ])("refuses %i minutes in A1", (minutes, message) => {
    expect(newSession({ rules: A1, version: 1 }, ask(TEN_AM, minutes), [], ID, TEN_AM)).toEqual({
      ok: false,
      reason: "duration",
      message,
    });
  });

  describe("one vehicle, one session at a time", () => {
    const running = opened(A1, ask(TEN_AM, 60)); // 10:00–11:00 local, CT
    const tryAt = (req: SessionRequest, sameKey: StoredSession[] = [running]) =>
      newSession({ rules: A1, version: 1 }, req, sameKey, "ses_A1_other", TEN_AM);

    it("refuses a request that overlaps the running session, naming it (after checking the duration)", () => {
      expect(tryAt(ask(TEN_AM + 30 * MIN, 60))).toEqual({ ok: false, reason: "overlap", running });
      expect(tryAt(ask(TEN_AM - 30 * MIN, 45))).toMatchObject({ ok: false, reason: "overlap" });
      expect(tryAt(ask(TEN_AM, 20))).toMatchObject({ ok: false, reason: "duration" });
    });

    it("a missing state on either side is the same vehicle; two known states are two vehicles", () => {
      expect(tryAt(ask(TEN_AM, 30, { state: null }))).toMatchObject({ ok: false, reason: "overlap" });
      expect(tryAt(ask(TEN_AM, 30), [{ ...running, state: null }])).toMatchObject({ ok: false, reason: "overlap" });
      expect(tryAt(ask(TEN_AM, 30, { state: "NY" }))).toMatchObject({ ok: true });
    });

    it("does not block a booking that starts when the running one ends, a finished one, or a confusable plate", () => {
      expect(tryAt(ask(TEN_AM + 60 * MIN, 30))).toMatchObject({ ok: true });
      expect(tryAt(ask(TEN_AM, 30), [{ ...running, status: "ended" }])).toMatchObject({ ok: true });
      expect(tryAt(ask(TEN_AM, 30, { plate: "A8C123" }))).toMatchObject({ ok: true }); // same key, another car
    });
  });
});

describe("extendedSession", () => {
  it("charges the added time and keeps the session within the maximum stay across extensions", () => {
    const s = opened(A1, ask(TEN_AM, 120)); // 400
    const first = extendedSession(terms(A1), s, 90, TEN_AM + 10 * MIN);
    expect(first).toMatchObject({
      ok: true,
      chargedCents: 300,
      session: { paidMinutes: 210, endMs: s.endMs + 90 * MIN, amountCents: 700, version: 2, updatedAtMs: TEN_AM + 10 * MIN },
    });
    if (!first.ok) throw new Error("refused");
    // The session is the vehicle's whole stay: past 240 minutes it is refused, saying when a new stay may begin.
    expect(extendedSession(terms(A1, 30), first.session, 45, TEN_AM + 20 * MIN)).toEqual({
      ok: false,
      reason: "max-stay",
      maxStayMinutes: 240,
      stayStartMs: TEN_AM,
      newStayAfterMs: first.session.endMs + 30 * MIN,
    });
    const last = extendedSession(terms(A1), first.session, 30, TEN_AM + 20 * MIN);
    expect(last).toMatchObject({ ok: true, chargedCents: 100, session: { paidMinutes: 240, amountCents: 800, version: 3 } });
    if (!last.ok) throw new Error("refused");
    expect(extendedSession(terms(A1), last.session, 15, TEN_AM + 30 * MIN)).toMatchObject({ ok: false, reason: "max-stay" });
  });

  it("prices the added time at the rates of the minutes it adds (B2: into the evening rate)", () => {
    const s = opened(B2, ask(FIVE_PM, 60)); // 17:00–18:00 local at 200
    expect(extendedSession(terms(B2), s, 60, FIVE_PM)).toMatchObject({
      ok: true,
      chargedCents: 100,
      session: { amountCents: 300 },
    });
  });

  it("charges the difference of totals, so small purchases never drift from one purchase of the same length", () => {
    const odd = flat(170, { incrementMinutes: 5, maxStayMinutes: 600 });
    let s = opened(odd, ask(TEN_AM, 5)); // 850 → 14
    const charges = [s.amountCents];
    for (let i = 0; i < 2; i++) {
      const r = extendedSession(terms(odd), s, 5, TEN_AM);
      if (!r.ok) throw new Error("refused");
      charges.push(r.chargedCents);
      s = r.session;
    }
    expect(charges).toEqual([14, 14, 15]); // 15 min at once: 2550 → 43, not 3 × 14
    expect(s.amountCents).toBe(opened(odd, ask(TEN_AM, 15)).amountCents);
  });

  it("prices under the rules it is given (the object passes the ones the session was bought under)", () => {
    const s = opened(flat(240), ask(TEN_AM, 60), TEN_AM, 1);
    expect(extendedSession(terms(flat(240)), s, 30, TEN_AM)).toMatchObject({ ok: true, chargedCents: 120 });
    expect(extendedSession(terms(flat(1200)), s, 30, TEN_AM)).toMatchObject({ ok: true, chargedCents: 600 });
  });

  it("refuses a session that is no longer running, before looking at the duration", () => {
    const s = opened(A1, ask(TEN_AM, 60));
    expect(extendedSession(terms(A1), s, 20, s.endMs)).toEqual({ ok: false, reason: "not-running" });
    expect(extendedSession(terms(A1), expiredSession(s, TEN_AM), 15, TEN_AM)).toEqual({ ok: false, reason: "not-running" });
    expect(extendedSession(terms(A1), { ...s, status: "ended" }, 15, TEN_AM)).toEqual({ ok: false, reason: "not-running" });
  });
});

describe("endedSession", () => {
  it.each<[string, ZoneRules, number, number, number, { refundCents: number; usedMinutes: number; unusedIncrements: number }]>([
    ["A1, 20 of 60 min: 30 used", A1, TEN_AM, 20, 200, { refundCents: 100, usedMinutes: 30, unusedIncrements: 2 }],
    ["A1, exactly 30 of 60 min", A1, TEN_AM, 30, 200, { refundCents: 100, usedMinutes: 30, unusedIncrements: 2 }],
    ["A1, 31 of 60 min: 45 used", A1, TEN_AM, 31, 200, { refundCents: 50, usedMinutes: 45, unusedIncrements: 1 }],
    [
      "B2, 20 of 60 min across 18:00: 30 used at the day rate",
      B2,
      HALF_FIVE,
      20,
      150,
      { refundCents: 50, usedMinutes: 30, unusedIncrements: 2 },
    ],
    ["B2, 45 of 60 min: day then evening", B2, HALF_FIVE, 45, 150, { refundCents: 25, usedMinutes: 45, unusedIncrements: 1 }],
  ])("refunds unused whole increments: %s", (_what, rules, startMs, afterMinutes, paid, refund) => {
    const s = opened(rules, ask(startMs, 60));
    expect(s.amountCents).toBe(paid);
    const now = startMs + afterMinutes * MIN;
    expect(endedSession(rules, s, now)).toEqual({
      ok: true,
      refund,
      session: {
        ...s,
        status: "ended",
        endMs: now,
        endedAtMs: now,
        refundCents: refund.refundCents,
        version: 2,
        updatedAtMs: now,
      },
    });
  });

  it("a booking ended before it starts refunds everything and ends at its start", () => {
    const s = opened(A1, ask(TEN_AM, 60), TEN_AM - 60 * MIN);
    const r = endedSession(A1, s, TEN_AM - 30 * MIN);
    expect(r).toMatchObject({
      ok: true,
      refund: { refundCents: 200, usedMinutes: 0, unusedIncrements: 4 },
      session: { endMs: TEN_AM, endedAtMs: TEN_AM - 30 * MIN },
    });
  });

  it("refunds under the rules it is given, not the zone's newer prices", () => {
    const s = opened(flat(240), ask(TEN_AM, 60));
    expect(endedSession(flat(240), s, TEN_AM + 15 * MIN)).toMatchObject({ refund: { refundCents: 180 } });
    expect(endedSession(flat(1200), s, TEN_AM + 15 * MIN)).toMatchObject({ refund: { refundCents: 0 } }); // 300 used > 240 paid
  });

  it("refuses a session whose paid time is over or that has ended", () => {
    const s = opened(A1, ask(TEN_AM, 60));
    expect(endedSession(A1, s, s.endMs)).toEqual({ ok: false, reason: "not-running" });
    expect(endedSession(A1, { ...s, status: "ended" }, TEN_AM)).toEqual({ ok: false, reason: "not-running" });
  });
});

describe("paidSession", () => {
  const s = opened(A1, ask(TEN_AM, 120)); // 400, until 12:00 local
  const now = TEN_AM + 30 * MIN;

  it("extends within the maximum stay, charging like an extension, and counts the payment", () => {
    const session = {
      ...s,
      paidCents: 200,
      version: 2,
      updatedAtMs: now,
      paidMinutes: 180,
      endMs: s.endMs + 60 * MIN,
      amountCents: 600,
    };
    expect(paidSession(A1, s, { amountCents: 200, extendMinutes: 60 }, now)).toEqual({
      session,
      extendedMinutes: 60,
      note: undefined,
    });
  });

  it.each<[string, StoredSession, number, string]>([
    ["past the maximum stay", s, 150, "not extended: Maximum stay is 240 minutes; 120 minutes left in this session."],
    ["not whole increments", s, 20, "not extended: Duration must be a multiple of 15 minutes."],
    ["a finished session", { ...s, status: "expired" }, 15, "not extended: the session has finished"],
  ])("cannot extend %s: counts the payment, keeps the time, says why", (_what, session, extendMinutes, note) => {
    const r = paidSession(A1, { ...session, paidCents: 150 }, { amountCents: 300, extendMinutes }, now);
    expect(r).toEqual({ session: { ...session, paidCents: 450, version: 2, updatedAtMs: now }, extendedMinutes: 0, note });
  });

  it("a payment that bought no time only counts", () => {
    expect(paidSession(A1, s, { amountCents: 400 }, now)).toEqual({
      session: { ...s, paidCents: 400, version: 2, updatedAtMs: now },
      extendedMinutes: 0,
      note: undefined,
    });
  });
});

describe("importedSession and expiry", () => {
  it("takes the row as given (price, length past the maximum stay), normalising the plate", () => {
    const now = TEN_AM + 10 * MIN;
    expect(
      importedSession(
        { rules: A1, version: 3 },
        { plate: "abc 123", state: "CT", startMs: TEN_AM, minutes: 600, amountCents: 1234 },
        ID,
        now,
      ),
    ).toEqual({
      id: ID,
      plate: "ABC123",
      state: "CT",
      zone: "A1",
      startMs: TEN_AM,
      endMs: TEN_AM + 600 * MIN,
      paidMinutes: 600,
      amountCents: 1234,
      refundCents: 0,
      status: "active",
      endedAtMs: null,
      version: 1,
      createdAtMs: now,
      updatedAtMs: now,
      rulesVersion: 3,
    });
  });

  it("a session lapses once paid time and grace have run out", () => {
    const s = opened(B2, ask(TEN_AM, 60)); // grace 10
    expect(expiryDueMs(B2, s.endMs)).toBe(s.endMs + 10 * MIN);
    const now = s.endMs + 10 * MIN;
    expect(lapsedIfEndedByMs(B2, now)).toBe(s.endMs);
    expect(expiredSession(s, now)).toEqual({ ...s, status: "expired", version: 2, updatedAtMs: now });
  });
});

describe("the maximum stay across sessions (no time sold that earns a ticket)", () => {
  // Every-minute increments so the boundary can be tested to the minute; 4 h maximum, 30 min stay gap.
  const perMinute = flat(120, { incrementMinutes: 1 });
  const sold = (req: SessionRequest, id: string): StoredSession => {
    const r = newSession(terms(perMinute), req, [], id, req.startMs);
    if (!r.ok) throw new Error(`refused: ${r.reason}`);
    return r.session;
  };
  const first = sold(ask(TEN_AM, 120), "ses_A1_first");

  it("sells a back-to-back session up to exactly the maximum, and refuses one minute more with when to come back", () => {
    expect(newSession(terms(perMinute, 30), ask(first.endMs, 120), [first], ID, first.endMs)).toMatchObject({ ok: true });
    expect(newSession(terms(perMinute, 30), ask(first.endMs, 121), [first], ID, first.endMs)).toEqual({
      ok: false,
      reason: "max-stay",
      maxStayMinutes: 240,
      stayStartMs: TEN_AM,
      newStayAfterMs: first.endMs + 30 * MIN,
    });
  });

  it("counts a session started within the gap as the same stay, and one after the gap as a new one", () => {
    const within = ask(first.endMs + 30 * MIN, 121);
    expect(newSession(terms(perMinute, 30), within, [first], ID, within.startMs)).toMatchObject({ reason: "max-stay" });
    const after = ask(first.endMs + 31 * MIN, 240);
    expect(newSession(terms(perMinute, 30), after, [first], ID, after.startMs)).toMatchObject({ ok: true });
  });

  it("refuses an extension past the stay, with the same rule, and allows one to exactly the maximum", () => {
    const second = sold(ask(first.endMs, 60), "ses_A1_second"); // stay: 3 h so far
    const now = second.startMs + 10 * MIN;
    expect(extendedSession(terms(perMinute, 30), second, 60, now, [first, second])).toMatchObject({ ok: true });
    expect(extendedSession(terms(perMinute, 30), second, 61, now, [first, second])).toMatchObject({
      ok: false,
      reason: "max-stay",
      newStayAfterMs: second.endMs + 30 * MIN, // the stay as it stands ends with the second session
    });
  });

  it("does not join another vehicle's sessions, nor the same plate in another state", () => {
    const other = { ...first, plate: "A8C123" };
    const elsewhere = { ...first, state: "NY" };
    for (const s of [other, elsewhere]) {
      expect(newSession(terms(perMinute, 30), ask(first.endMs, 240), [s], ID, first.endMs)).toMatchObject({ ok: true });
    }
  });

  it("holds a stay to the maximum of the time slot it began in", () => {
    const slotted = flat(120, {
      incrementMinutes: 1,
      rateSlots: [
        { days: ALL, start: "08:00", end: "18:00", rateCentsPerHour: 200, maxStayMinutes: 240 },
        { days: ALL, start: "18:00", end: "08:00", rateCentsPerHour: 100, maxStayMinutes: 720 },
      ],
    });
    const evening = newSession(terms(slotted, 30), ask(FIVE_PM + 60 * MIN, 600), [], ID, FIVE_PM); // 18:00 local
    expect(evening).toMatchObject({ ok: true });
    expect(newSession(terms(slotted, 30), ask(TEN_AM, 241), [], ID, TEN_AM)).toMatchObject({ reason: "duration" });
  });
});
