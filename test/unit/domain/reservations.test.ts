// The reservation rules: ids that name their zone, the space a reservation takes and when, a hold's
// window, price and expiry, and which ledger payments may confirm it.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_HOLD_MINUTES,
  holdsSpace,
  isReservationId,
  MAX_LEAD_MINUTES,
  newHold,
  newReservationId,
  paymentRefusal,
  spacesFree,
  statusAt,
  zoneOfReservationId,
  type LedgerPayment,
  type Reservation,
} from "../../../src/domain/reservations";
import { B2 } from "./zones";

const MIN = 60_000;
// Wednesday 2026-11-25 12:00 in New York (EST, UTC-5): B2 charges 200 c/h from 08:00 to 18:00.
const NOON = Date.UTC(2026, 10, 25, 17, 0);
const TOKEN = "4Fh8kPq2xZt9mWc3bNv7";
const req = (over: Partial<{ startMs: number; minutes: number }> = {}) => ({
  plate: "ABC123",
  state: "CT",
  startMs: NOON,
  minutes: 60,
  ...over,
});
const held = (over: Partial<Reservation> = {}): Reservation => {
  const made = newHold(B2, req(), newReservationId("B2", TOKEN), NOON);
  if (!made.ok) throw new Error(made.message);
  return { ...made.reservation, ...over };
};

describe("reservation ids", () => {
  it("name their zone and are told apart from session ids", () => {
    const id = newReservationId("G-1", TOKEN);
    expect(id).toBe(`res_G-1_${TOKEN}`);
    expect(isReservationId(id)).toBe(true);
    expect(zoneOfReservationId(id)).toBe("G-1");
    expect(isReservationId(`ses_G-1_${TOKEN}`)).toBe(false);
    expect(isReservationId("res_G1_short")).toBe(false);
  });
});

describe("newHold", () => {
  it("prices the window at the zone's rates and lapses after the default hold", () => {
    const r = held();
    expect(r.status).toBe("held");
    expect(r.priceCents).toBe(200);
    expect(r.endMs - r.startMs).toBe(60 * MIN);
    expect(r.holdExpiresMs).toBe(NOON + DEFAULT_HOLD_MINUTES * MIN);
  });

  it("prices a window that crosses into the evening rate by each minute's slot", () => {
    // 17:30–18:30 local: 30 minutes at 200 c/h and 30 at 100 c/h.
    const made = newHold(B2, req({ startMs: NOON + 330 * MIN }), "res_B2_x", NOON);
    expect(made.ok && made.reservation.priceCents).toBe(150);
  });

  it("never holds past the window's end", () => {
    const made = newHold(B2, req({ minutes: 15 }), "res_B2_x", NOON, 30);
    expect(made.ok && made.reservation.holdExpiresMs).toBe(NOON + 15 * MIN);
  });

  it("refuses a start in the past, one too far ahead, and a duration the zone does not sell", () => {
    expect(newHold(B2, req({ startMs: NOON - 5 * MIN }), "x", NOON)).toMatchObject({ ok: false, reason: "start" });
    const tooFar = NOON + (MAX_LEAD_MINUTES + 1) * MIN;
    expect(newHold(B2, req({ startMs: tooFar }), "x", NOON)).toMatchObject({ ok: false, reason: "start" });
    expect(newHold(B2, req({ minutes: 20 }), "x", NOON)).toMatchObject({ ok: false, reason: "duration" });
    expect(newHold(B2, req({ minutes: B2.maxStayMinutes + 15 }), "x", NOON)).toMatchObject({ ok: false, reason: "duration" });
  });

  it("starts a window a few seconds in the past (clock skew) now", () => {
    const made = newHold(B2, req({ startMs: NOON - 20_000 }), "x", NOON);
    expect(made.ok && made.reservation.startMs).toBe(NOON);
  });
});

describe("the space a reservation takes", () => {
  it("a hold takes it until it lapses; a confirmed one until its window ends; released and lapsed never", () => {
    const r = held();
    expect(holdsSpace(r, NOON)).toBe(true);
    expect(holdsSpace(r, r.holdExpiresMs - 1)).toBe(true);
    expect(holdsSpace(r, r.holdExpiresMs)).toBe(false);
    expect(statusAt(r, r.holdExpiresMs)).toBe("lapsed");
    const confirmed = { ...r, status: "confirmed" as const };
    expect(holdsSpace(confirmed, r.endMs - 1)).toBe(true);
    expect(holdsSpace(confirmed, r.endMs)).toBe(false);
    expect(statusAt(confirmed, r.endMs + MIN)).toBe("confirmed");
    expect(holdsSpace({ ...r, status: "released" }, NOON)).toBe(false);
    expect(holdsSpace({ ...r, status: "lapsed" }, NOON)).toBe(false);
  });

  it("spaces free are capacity less occupied and holding, never below zero", () => {
    expect(spacesFree(100, 30, 69)).toBe(1);
    expect(spacesFree(100, 30, 70)).toBe(0);
    expect(spacesFree(100, 120, 0)).toBe(0);
  });
});

describe("paymentRefusal", () => {
  const r = held();
  const paid: LedgerPayment = {
    id: "pay_1",
    status: "succeeded",
    amountCents: 200,
    refundedCents: 0,
    currency: "usd",
    sessionId: null,
    citationId: null,
  };
  it("accepts a succeeded payment that covers the price", () => {
    expect(paymentRefusal(paid, r)).toBeNull();
    expect(paymentRefusal({ ...paid, sessionId: r.id }, r)).toBeNull();
  });
  it("refuses one not succeeded, in another currency, short after refunds, or for something else", () => {
    expect(paymentRefusal({ ...paid, status: "pending" }, r)).toMatch(/pending/);
    expect(paymentRefusal({ ...paid, currency: "NGN" }, r)).toMatch(/NGN/);
    expect(paymentRefusal({ ...paid, amountCents: 199 }, r)).toMatch(/covers 199 of the 200/);
    expect(paymentRefusal({ ...paid, refundedCents: 1 }, r)).toMatch(/covers 199/);
    expect(paymentRefusal({ ...paid, sessionId: "ses_B2_x" }, r)).toMatch(/ses_B2_x/);
    expect(paymentRefusal({ ...paid, citationId: "cit_1" }, r)).toMatch(/citation/);
  });
});
