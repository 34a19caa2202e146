// Session arithmetic: what starting, extending, ending, paying for, importing and expiring a parking
// session does to it. Pure: the zone's object reads the session and the rules it was bought under,
// calls one of these and stores what comes back. A refusal is a plain value with a reason, never an
// exception; the object decides what it means on the wire.
import { normalizePlate } from "./plates";
import { checkDuration, extensionCents, priceCents, proRatedRefund, type Refund } from "./pricing";
import { graceMinutesAt, maxStayMinutesAt, shortestGraceMinutes } from "./rules";
import { maxStayRefusal, type Span } from "./stays";
import type { LiveSession, ZoneRules } from "./types";

const MINUTE = 60_000;

/** A session as its zone keeps it; history, responses and payment effects read the same shape. */
export interface StoredSession extends LiveSession {
  paidMinutes: number;
  /** The zone rules version the session was bought under; extensions and refunds use the same prices. */
  rulesVersion?: number;
  /** What payment webhooks have confirmed for this session so far. */
  paidCents?: number;
  refundCents: number;
  endedAtMs: number | null;
  version: number;
  createdAtMs: number;
  updatedAtMs: number;
}

/** The zone's current rules and their version: what a new session or an extension is sold under. */
export interface SaleTerms {
  rules: ZoneRules;
  version: number;
  /** Minutes away that start a new stay (the tenant's setting). Default: the zone's grace, as the verdict's. */
  stayGapMinutes?: number;
}

export interface SessionRequest {
  plate: string;
  state: string | null;
  startMs: number;
  minutes: number;
}

/** A session bought elsewhere (demo data, benchmark fixtures), already priced. */
export interface SeedSession extends SessionRequest {
  amountCents: number;
}

export type SessionRefusal =
  | { ok: false; reason: "duration"; message: string } // not whole increments, or past the maximum stay
  | { ok: false; reason: "overlap"; running: StoredSession } // the vehicle already parks here then
  | { ok: false; reason: "max-stay"; maxStayMinutes: number; stayStartMs: number; newStayAfterMs: number } // would overstay
  | { ok: false; reason: "not-running" }; // ended, expired, or its paid time is over

export type SessionChange<T> = ({ ok: true } & T) | SessionRefusal;

export interface PaymentApplied {
  session: StoredSession;
  extendedMinutes: number;
  /** Why time the payment asked for was not added. */
  note: string | undefined;
}

/** Only a session still paid for at `nowMs`, and neither ended nor expired, can be extended or ended. */
export const isRunning = (s: StoredSession, nowMs: number): boolean => s.status === "active" && s.endMs > nowMs;

/**
 * The same vehicle's active session over any part of the requested time. Only an overlap conflicts: a
 * booking for later must not block parking now. A missing state (either side) matches any state.
 */
export function overlappingSession(
  sameKey: readonly StoredSession[],
  plate: string,
  req: SessionRequest,
): StoredSession | undefined {
  const endMs = req.startMs + req.minutes * MINUTE;
  return sameKey.find(
    (s) =>
      s.plate === plate &&
      s.status === "active" &&
      s.endMs > req.startMs &&
      s.startMs < endMs &&
      (s.state === null || req.state === null || s.state === req.state),
  );
}

/** The same vehicle's sessions in the zone (every status: an ended one still says when it left). */
const sameVehicle = (sameKey: readonly StoredSession[], plate: string, state: string | null, except?: string) =>
  sameKey.filter((s) => s.id !== except && s.plate === plate && (s.state === null || state === null || s.state === state));

/**
 * Refuses a sale that would take the vehicle's continuous stay past the maximum stay (stays.ts), by the
 * same rule the verdict's OVERSTAY uses, so no time Curbgate sells can earn a ticket.
 */
function overstayRefusal(terms: SaleTerms, others: readonly Span[], sale: Span): SessionRefusal | null {
  const gapMinutes = terms.stayGapMinutes ?? terms.rules.graceMinutes;
  const maxAt = (startMs: number) => maxStayMinutesAt(terms.rules, startMs);
  const refused = maxStayRefusal(others, sale, maxAt, gapMinutes * MINUTE);
  return refused && { ok: false, reason: "max-stay", maxStayMinutes: maxAt(refused.stayStartMs), ...refused };
}

/**
 * A new session priced from the zone's time-slot rates. `sameKey` holds the zone's sessions sharing the
 * plate's key (the object's indexed lookup). The duration is checked before the overlap, the overlap
 * before the maximum stay.
 */
export function newSession(
  terms: SaleTerms,
  req: SessionRequest,
  sameKey: readonly StoredSession[],
  id: string,
  nowMs: number,
): SessionChange<{ session: StoredSession }> {
  const plate = normalizePlate(req.plate);
  const problem = checkDuration(terms.rules, req.minutes, 0, req.startMs);
  if (problem) return { ok: false, reason: "duration", message: problem };
  const running = overlappingSession(sameKey, plate, req);
  if (running) return { ok: false, reason: "overlap", running };
  const sale = { startMs: req.startMs, endMs: req.startMs + req.minutes * MINUTE };
  const overstay = overstayRefusal(terms, sameVehicle(sameKey, plate, req.state), sale);
  if (overstay) return overstay;
  return { ok: true, session: fresh(terms, { ...req, plate }, priceCents(terms.rules, req.startMs, req.minutes), id, nowMs) };
}

/** A seeded session, taken as given: no duration or overlap checks, the row's price. */
export function importedSession(terms: SaleTerms, row: SeedSession, id: string, nowMs: number): StoredSession {
  return fresh(terms, { ...row, plate: normalizePlate(row.plate) }, row.amountCents, id, nowMs);
}

/**
 * More time on a running session, within the vehicle's maximum stay. Sold under the zone's terms now in
 * force: the added time costs what the rates say at the time it is bought. `sameKey` as for newSession.
 */
export function extendedSession(
  terms: SaleTerms,
  s: StoredSession,
  minutes: number,
  nowMs: number,
  sameKey: readonly StoredSession[] = [],
): SessionChange<{ session: StoredSession; chargedCents: number }> {
  if (!isRunning(s, nowMs)) return { ok: false, reason: "not-running" };
  const problem = checkDuration(terms.rules, minutes, 0, s.startMs); // the stay check below holds the total
  if (problem) return { ok: false, reason: "duration", message: problem };
  const sale = { startMs: s.startMs, endMs: s.endMs + minutes * MINUTE };
  // The session as it stands is part of the stay too: it decides when a new stay may begin.
  const overstay = overstayRefusal(terms, [s, ...sameVehicle(sameKey, s.plate, s.state, s.id)], sale);
  if (overstay) return overstay;
  const { chargedCents, longer } = moreTime(terms.rules, s, minutes);
  return { ok: true, session: { ...s, ...longer, version: s.version + 1, updatedAtMs: nowMs }, chargedCents };
}

/**
 * Ends a running session now: time used is rounded up to whole increments and the unused ones come back
 * pro rata. Pass the rules the session was bought under. A booking ended before it starts never ran.
 */
export function endedSession(
  rules: ZoneRules,
  s: StoredSession,
  nowMs: number,
): SessionChange<{ session: StoredSession; refund: Refund }> {
  if (!isRunning(s, nowMs)) return { ok: false, reason: "not-running" };
  const refund = proRatedRefund(rules, { startMs: s.startMs, paidMinutes: s.paidMinutes, amountCents: s.amountCents }, nowMs);
  const session: StoredSession = {
    ...s,
    status: "ended",
    endMs: Math.max(s.startMs, nowMs),
    endedAtMs: nowMs,
    refundCents: refund.refundCents,
    version: s.version + 1,
    updatedAtMs: nowMs,
  };
  return { ok: true, session, refund };
}

/**
 * A provider confirmed a payment: it always counts towards paidCents; time it bought is added like an
 * extension (rules the session was bought under, within max stay), or a note says why not. Applying a
 * payment once per payment key is the caller's job.
 */
export function paidSession(
  rules: ZoneRules,
  s: StoredSession,
  payment: { amountCents: number; extendMinutes?: number },
  nowMs: number,
): PaymentApplied {
  const paid: StoredSession = {
    ...s,
    paidCents: (s.paidCents ?? 0) + payment.amountCents,
    version: s.version + 1,
    updatedAtMs: nowMs,
  };
  if (!payment.extendMinutes) return { session: paid, extendedMinutes: 0, note: undefined };
  const problem = isRunning(s, nowMs)
    ? checkDuration(rules, payment.extendMinutes, s.paidMinutes, s.startMs)
    : "the session has finished";
  if (problem) return { session: paid, extendedMinutes: 0, note: `not extended: ${problem}` };
  return {
    session: { ...paid, ...moreTime(rules, s, payment.extendMinutes).longer },
    extendedMinutes: payment.extendMinutes,
    note: undefined,
  };
}

/** When an active session lapses: its paid time and the grace (of the slot it ended in) have both run out. */
export const expiryDueMs = (rules: ZoneRules, endMs: number): number => endMs + graceMinutesAt(rules, endMs) * MINUTE;

/** Only sessions whose paid time ended by this instant can have lapsed at `nowMs` (check each with expiryDueMs). */
export const lapsedIfEndedByMs = (rules: ZoneRules, nowMs: number): number => nowMs - shortestGraceMinutes(rules) * MINUTE;

export const expiredSession = (s: StoredSession, nowMs: number): StoredSession => ({
  ...s,
  status: "expired",
  version: s.version + 1,
  updatedAtMs: nowMs,
});

/** Priced as the difference of totals, so a session's amount never drifts from one purchase of the same length. */
function moreTime(rules: ZoneRules, s: StoredSession, minutes: number) {
  const chargedCents = extensionCents(rules, s.startMs, s.paidMinutes, minutes);
  return {
    chargedCents,
    longer: {
      paidMinutes: s.paidMinutes + minutes,
      endMs: s.endMs + minutes * MINUTE,
      amountCents: s.amountCents + chargedCents,
    },
  };
}

function fresh(terms: SaleTerms, req: SessionRequest, amountCents: number, id: string, nowMs: number): StoredSession {
  return {
    id,
    plate: req.plate,
    state: req.state,
    zone: terms.rules.code,
    startMs: req.startMs,
    endMs: req.startMs + req.minutes * MINUTE,
    paidMinutes: req.minutes,
    amountCents,
    refundCents: 0,
    status: "active",
    endedAtMs: null,
    version: 1,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    rulesVersion: terms.version,
  };
}
