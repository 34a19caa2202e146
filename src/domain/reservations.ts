// Reserving a space in a zone with a capacity (a garage). A reservation is a hold with an expiry that a
// payment confirms; a cancel releases it, and a hold nobody paid for lapses. The rule that never
// oversells (docs/reservations.md):
//
//   holds still running + confirmed reservations whose window has not ended + spaces occupied now
//   ≤ the zone's capacity
//
// A reservation takes its space from the moment it is granted until its window ends (or it is released
// or lapses), whenever its window starts: conservative, so a count at any instant never passes capacity.
// The zone's object applies this rule and inserts the hold in one synchronous step, so no two requests
// can both see the last free space. The ids name their zone, like session ids (session-id.ts).
import { checkDuration, priceCents } from "./pricing";
import type { ZoneRules } from "./types";

export const RESERVATION_ID_PATTERN = /^res_[A-Za-z0-9-]{1,16}_[A-Za-z0-9]{20}$/;
export const RESERVATION_TOKEN_LENGTH = 20;
export const newReservationId = (zoneCode: string, token: string): string => `res_${zoneCode}_${token}`;
export const isReservationId = (id: string): boolean => RESERVATION_ID_PATTERN.test(id);
/** The zone code inside a well-formed id (check it with isReservationId first). */
export const zoneOfReservationId = (id: string): string => id.split("_")[1]!;

/** How long a driver has to pay before the hold lapses and its space is free again. */
export const DEFAULT_HOLD_MINUTES = 10;
/** How far ahead a window may start: a reservation holds its space from when it is granted. */
export const MAX_LEAD_MINUTES = 24 * 60;
/** Sessions (and so reservations) are priced in US cents today (the session presenter says USD). */
export const RESERVATION_CURRENCY = "USD";

export type ReservationStatus = "held" | "confirmed" | "released" | "lapsed";

export interface Reservation {
  id: string;
  plate: string;
  state: string | null;
  startMs: number;
  endMs: number;
  minutes: number;
  priceCents: number;
  status: ReservationStatus;
  holdExpiresMs: number;
  /** The ledger payment (pay_…) that confirmed it. */
  paymentId: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface HoldRequest {
  plate: string;
  state: string | null;
  startMs: number;
  minutes: number;
}

/** Whether the reservation takes a space at `nowMs`. */
export function holdsSpace(r: Pick<Reservation, "status" | "holdExpiresMs" | "endMs">, nowMs: number): boolean {
  if (r.status === "held") return r.holdExpiresMs > nowMs;
  return r.status === "confirmed" && r.endMs > nowMs;
}

/** Spaces a new hold may take now (never below zero; a zone already over capacity has none). */
export function spacesFree(capacity: number, occupied: number, holding: number): number {
  return Math.max(0, capacity - occupied - holding);
}

export type HoldRefusal = { reason: "duration" | "start"; message: string };

/**
 * A new hold, priced for its window at the zone's rates, or why the request cannot be held. It lapses
 * `holdMinutes` after it is granted, or when its window ends if that is sooner.
 */
export function newHold(
  rules: ZoneRules,
  req: HoldRequest,
  id: string,
  nowMs: number,
  holdMinutes = DEFAULT_HOLD_MINUTES,
): { ok: true; reservation: Reservation } | ({ ok: false } & HoldRefusal) {
  if (req.startMs < nowMs - 60_000 || req.startMs > nowMs + MAX_LEAD_MINUTES * 60_000)
    return { ok: false, reason: "start", message: `The window must start between now and ${MAX_LEAD_MINUTES} minutes ahead.` };
  const startMs = Math.max(req.startMs, nowMs);
  const tooLong = checkDuration(rules, req.minutes, 0, startMs);
  if (tooLong) return { ok: false, reason: "duration", message: tooLong };
  const endMs = startMs + req.minutes * 60_000;
  const reservation: Reservation = {
    id,
    plate: req.plate,
    state: req.state,
    startMs,
    endMs,
    minutes: req.minutes,
    priceCents: priceCents(rules, startMs, req.minutes),
    status: "held",
    holdExpiresMs: Math.min(nowMs + holdMinutes * 60_000, endMs),
    paymentId: null,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
  return { ok: true, reservation };
}

/** A hold whose expiry has passed is lapsed, whether or not the object has written that down yet. */
export const statusAt = (r: Reservation, nowMs: number): ReservationStatus =>
  r.status === "held" && r.holdExpiresMs <= nowMs ? "lapsed" : r.status;

/** What a payment in the ledger must be to confirm a reservation. */
export interface LedgerPayment {
  id: string;
  status: string;
  amountCents: number;
  refundedCents: number;
  currency: string;
  sessionId: string | null;
  citationId: string | null;
}

/**
 * Null when the payment may confirm this reservation; otherwise why not. It must have succeeded, be in
 * the reservation's currency, still cover the price after any refund, and not be money for something
 * else (a session or a citation; a payment that names this reservation as its session is fine).
 */
export function paymentRefusal(p: LedgerPayment, r: Pick<Reservation, "id" | "priceCents">): string | null {
  if (p.status !== "succeeded") return `Payment ${p.id} is ${p.status}, not succeeded`;
  if (p.currency.toUpperCase() !== RESERVATION_CURRENCY)
    return `Payment ${p.id} is in ${p.currency}; the reservation is priced in ${RESERVATION_CURRENCY}`;
  if (p.citationId !== null) return `Payment ${p.id} paid a citation`;
  if (p.sessionId !== null && p.sessionId !== r.id) return `Payment ${p.id} paid for ${p.sessionId}`;
  const left = p.amountCents - p.refundedCents;
  if (left < r.priceCents) return `Payment ${p.id} covers ${left} of the ${r.priceCents} cents due`;
  return null;
}
