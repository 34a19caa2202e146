// A zone's rules read at an instant: is it enforced, what does an hour cost, and are the rules sane.
import { compileWindow, isValidTimeZone, localParts, parseClock, windowCovers } from "./clock";
import type { CompiledWindow } from "./clock";
import { DAYS } from "./types";
import type { ZoneRules } from "./types";

export interface CompiledSlot extends CompiledWindow {
  rate: number;
  maxStayMinutes?: number;
  graceMinutes?: number;
}

/** Rate slots parsed once, in order (first match wins); malformed slots are dropped. */
export function compileSlots(rules: ZoneRules): CompiledSlot[] {
  const out: CompiledSlot[] = [];
  for (const slot of rules.rateSlots) {
    const w = compileWindow(slot);
    if (w) out.push({ ...w, rate: slot.rateCentsPerHour, maxStayMinutes: slot.maxStayMinutes, graceMinutes: slot.graceMinutes });
  }
  return out;
}

/** The slot in force at instant `ms` (first match wins), or undefined. */
function slotAt(rules: ZoneRules, ms: number): CompiledSlot | undefined {
  const local = localParts(ms, rules.timezone);
  return compileSlots(rules).find((s) => windowCovers(s, local.dayIndex, local.minuteOfDay));
}

// Most zones have no per-slot limits; they skip the local-time lookup (the plate check is hot).
const hasSlotLimits = (rules: ZoneRules) =>
  rules.rateSlots.some((s) => s.maxStayMinutes !== undefined || s.graceMinutes !== undefined);

/** The maximum stay, in minutes, of a stay that began at `stayStartMs`. */
export function maxStayMinutesAt(rules: ZoneRules, stayStartMs: number): number {
  if (!hasSlotLimits(rules)) return rules.maxStayMinutes;
  return slotAt(rules, stayStartMs)?.maxStayMinutes ?? rules.maxStayMinutes;
}

/** The grace, in minutes, after paid time that ended at `endMs`. */
export function graceMinutesAt(rules: ZoneRules, endMs: number): number {
  if (!hasSlotLimits(rules)) return rules.graceMinutes;
  return slotAt(rules, endMs)?.graceMinutes ?? rules.graceMinutes;
}

/** The shortest grace any part of the day has: sessions ended this long ago may have lapsed. */
export const shortestGraceMinutes = (rules: ZoneRules): number =>
  Math.min(rules.graceMinutes, ...rules.rateSlots.map((s) => s.graceMinutes ?? rules.graceMinutes));

/** Cents per hour at a local moment; 0 where no slot applies. */
export function slotRate(slots: readonly CompiledSlot[], dayIndex: number, minuteOfDay: number): number {
  for (const s of slots) if (windowCovers(s, dayIndex, minuteOfDay)) return s.rate;
  return 0;
}

export function isEnforced(rules: ZoneRules, ms: number): boolean {
  const local = localParts(ms, rules.timezone);
  return rules.enforcement.some((w) => {
    const cw = compileWindow(w);
    return cw !== null && windowCovers(cw, local.dayIndex, local.minuteOfDay);
  });
}

/** Cents per hour at instant `ms` in the zone's local time; first matching slot wins, 0 where none applies. */
export function rateAt(rules: ZoneRules, ms: number): number {
  const local = localParts(ms, rules.timezone);
  return slotRate(compileSlots(rules), local.dayIndex, local.minuteOfDay);
}

/** Whether two sets of rules say the same thing, whatever order their keys were written in. */
export const sameRules = (a: ZoneRules, b: ZoneRules): boolean => canonical(a) === canonical(b);

const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([p], [q]) => (p < q ? -1 : 1)))
      : v,
  );

export interface RuleProblem {
  path: string;
  message: string;
}

const WEEK_MINUTES = 7 * 24 * 60;
const VIOLATION_CODE = /^[A-Za-z0-9-]{1,20}$/;

function isIntIn(n: unknown, min: number, max: number): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;
}

function checkWindow(w: unknown, path: string, problems: RuleProblem[]): void {
  const win = (w ?? {}) as { days?: unknown; start?: unknown; end?: unknown };
  if (!Array.isArray(win.days) || win.days.length === 0) {
    problems.push({ path: `${path}.days`, message: "at least one day is required" });
  } else {
    win.days.forEach((d, i) => {
      if (!(DAYS as readonly unknown[]).includes(d)) {
        problems.push({ path: `${path}.days.${i}`, message: `must be one of ${DAYS.join(", ")}` });
      }
    });
  }
  const start = parseClock(win.start as string);
  const end = parseClock(win.end as string);
  if (start === null) problems.push({ path: `${path}.start`, message: "must be HH:MM between 00:00 and 24:00" });
  else if (start === 1440) problems.push({ path: `${path}.start`, message: "must be before 24:00" });
  if (end === null) problems.push({ path: `${path}.end`, message: "must be HH:MM between 00:00 and 24:00" });
  // start == end would mean either nothing or 24 h; only 00:00–00:00 (a whole day, like 00:00–24:00) is accepted.
  if (start !== null && start === end && start !== 0) {
    problems.push({ path: `${path}.end`, message: "must differ from start (use 00:00-24:00 for a whole day)" });
  }
}

/** Every problem with a zone's rules, with dotted paths like "rateSlots.0.start"; [] when valid. */
export function validateZoneRules(rules: ZoneRules): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const r = (rules ?? {}) as Partial<Record<keyof ZoneRules, unknown>>;
  if (typeof r.code !== "string" || r.code.trim() === "") problems.push({ path: "code", message: "is required" });
  if (typeof r.name !== "string" || r.name.trim() === "") problems.push({ path: "name", message: "is required" });
  if (typeof r.timezone !== "string" || !isValidTimeZone(r.timezone)) {
    problems.push({ path: "timezone", message: "must be an IANA time zone such as America/New_York" });
  }
  if (!Array.isArray(r.rateSlots)) {
    problems.push({ path: "rateSlots", message: "must be a list" });
  } else {
    r.rateSlots.forEach((slot: unknown, i) => {
      checkWindow(slot, `rateSlots.${i}`, problems);
      const {
        rateCentsPerHour: rate,
        maxStayMinutes: max,
        graceMinutes: grace,
      } = (slot ?? {}) as Partial<Record<string, unknown>>;
      if (!isIntIn(rate, 0, Number.MAX_SAFE_INTEGER)) {
        problems.push({ path: `rateSlots.${i}.rateCentsPerHour`, message: "must be a non-negative whole number of cents" });
      }
      if (max !== undefined) checkMaxStay(max, r.incrementMinutes, `rateSlots.${i}.maxStayMinutes`, problems);
      if (grace !== undefined && !isIntIn(grace, 0, 120)) {
        problems.push({ path: `rateSlots.${i}.graceMinutes`, message: "must be a whole number from 0 to 120" });
      }
    });
  }
  if (!Array.isArray(r.enforcement)) problems.push({ path: "enforcement", message: "must be a list" });
  else r.enforcement.forEach((w: unknown, i) => checkWindow(w, `enforcement.${i}`, problems));
  if (!isIntIn(r.graceMinutes, 0, 120)) {
    problems.push({ path: "graceMinutes", message: "must be a whole number from 0 to 120" });
  }
  const inc = r.incrementMinutes;
  if (!isIntIn(inc, 1, 240)) {
    problems.push({ path: "incrementMinutes", message: "must be a whole number from 1 to 240" });
  }
  checkMaxStay(r.maxStayMinutes, inc, "maxStayMinutes", problems);
  if (r.meterAlertSeconds !== undefined && !isIntIn(r.meterAlertSeconds, 0, 86_400)) {
    problems.push({ path: "meterAlertSeconds", message: "must be a whole number of seconds from 0 to 86400" });
  }
  const code = r.defaultViolationCode;
  if (code !== undefined && (typeof code !== "string" || !VIOLATION_CODE.test(code))) {
    problems.push({ path: "defaultViolationCode", message: "must be 1-20 letters, digits or dashes" });
  }
  return problems;
}

function checkMaxStay(max: unknown, inc: unknown, path: string, problems: RuleProblem[]) {
  if (!isIntIn(max, 1, WEEK_MINUTES)) {
    problems.push({ path, message: `must be a whole number from 1 to ${WEEK_MINUTES} (7 days)` });
  } else if (isIntIn(inc, 1, 240) && max % inc !== 0) {
    problems.push({ path, message: `must be a multiple of incrementMinutes (${inc})` });
  }
}
