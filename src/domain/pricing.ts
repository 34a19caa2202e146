// What parking costs: every minute is charged the rate of its local wall-clock time, in integer cents.
// Sums are kept in cent-minutes (rate × minutes) and rounded half up once, so splits never drift.
import { offsetRun, utcOffsetMs } from "./clock";
import { compileSlots, maxStayMinutesAt, slotRate } from "./rules";
import type { CompiledSlot } from "./rules";
import type { ZoneRules } from "./types";

const MINUTE = 60_000;
const DAY_MS = 86_400_000;

/** Minutes of the day where some slot starts or ends, plus midnight, ascending; the rate is constant between them. */
function boundaries(slots: readonly CompiledSlot[]): number[] {
  const set = new Set<number>([1440]);
  for (const s of slots) {
    if (s.start > 0 && s.start < 1440) set.add(s.start);
    if (s.end > 0 && s.end < 1440) set.add(s.end);
  }
  return [...set].sort((a, b) => a - b);
}

/**
 * Price of `minutes` real minutes from `startMs`: Σ rate(minute)/60, each minute at the rate of its local start time.
 * Walks segments where both the slot and the UTC offset are constant, so a 12-hour price is a handful of steps.
 * Throws RangeError unless `minutes` is a whole number ≥ 0.
 */
export function priceCents(rules: ZoneRules, startMs: number, minutes: number): number {
  if (!Number.isSafeInteger(minutes) || minutes < 0) throw new RangeError(`minutes must be a whole number >= 0, got ${minutes}`);
  const slots = compileSlots(rules);
  if (minutes === 0 || slots.length === 0) return 0;
  const bounds = boundaries(slots);
  const tz = rules.timezone;
  const endMs = startMs + minutes * MINUTE;
  let centMinutes = 0;
  let i = 0;
  while (i < minutes) {
    const t = startMs + i * MINUTE;
    const offset = utcOffsetMs(tz, t);
    const local = t + offset;
    const dayNum = Math.floor(local / DAY_MS);
    const dayStart = dayNum * DAY_MS;
    const dayIndex = (((dayNum + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    const minuteOfDay = Math.floor((local - dayStart) / MINUTE);
    let next = 1440;
    for (const b of bounds) {
      if (b > minuteOfDay) {
        next = b;
        break;
      }
    }
    const boundaryMs = dayStart + next * MINUTE - offset;
    // The segment also ends where the offset changes (DST), since local time jumps there.
    const { untilMs } = offsetRun(tz, t, Math.min(boundaryMs, endMs));
    const j = Math.min(minutes, Math.ceil((untilMs - startMs) / MINUTE));
    centMinutes += slotRate(slots, dayIndex, minuteOfDay) * (j - i);
    i = j;
  }
  return Math.floor((centMinutes + 30) / 60);
}

/** null when `minutes` may be bought now; otherwise a message for the driver. */
export function checkDuration(rules: ZoneRules, minutes: number, alreadyMinutes = 0, startMs?: number): string | null {
  const inc = rules.incrementMinutes;
  if (!Number.isSafeInteger(minutes) || minutes <= 0) return "Duration must be a positive whole number of minutes.";
  if (minutes % inc !== 0) return `Duration must be a multiple of ${inc} minutes.`;
  // The maximum of the time slot the session starts in, where a slot sets its own.
  const max = startMs === undefined ? rules.maxStayMinutes : maxStayMinutesAt(rules, startMs);
  if (alreadyMinutes + minutes > max) {
    const left = Math.max(0, max - alreadyMinutes);
    return `Maximum stay is ${max} minutes; ${left} minutes left in this session.`;
  }
  return null;
}

/** Price of adding time, as the difference of totals so that a session's total never drifts from one purchase. */
export function extensionCents(rules: ZoneRules, startMs: number, oldMinutes: number, addMinutes: number): number {
  return priceCents(rules, startMs, oldMinutes + addMinutes) - priceCents(rules, startMs, oldMinutes);
}

export interface Refund {
  refundCents: number;
  usedMinutes: number;
  unusedIncrements: number;
}

/**
 * Refund for ending early: time used is rounded up to whole increments and charged at the zone's rates;
 * the rest of what was paid comes back. Pass the rules the session was bought under.
 */
export function proRatedRefund(
  rules: ZoneRules,
  session: { startMs: number; paidMinutes: number; amountCents: number },
  endedAtMs: number,
): Refund {
  const inc = rules.incrementMinutes;
  const { startMs, paidMinutes, amountCents } = session;
  if (endedAtMs <= startMs) {
    return { refundCents: Math.max(0, amountCents), usedMinutes: 0, unusedIncrements: Math.floor(paidMinutes / inc) };
  }
  if (endedAtMs >= startMs + paidMinutes * MINUTE) return { refundCents: 0, usedMinutes: paidMinutes, unusedIncrements: 0 };
  const usedMinutes = Math.min(paidMinutes, Math.ceil((endedAtMs - startMs) / (inc * MINUTE)) * inc);
  const refundCents = Math.max(0, amountCents - priceCents(rules, startMs, usedMinutes));
  return { refundCents, usedMinutes, unusedIncrements: Math.floor((paidMinutes - usedMinutes) / inc) };
}
