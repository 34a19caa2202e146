// Local wall-clock time in a zone's IANA time zone, from UTC instants.
// Intl is the only source of time-zone data in Workers, and it is slow (about a microsecond a call),
// so offsets are sampled once per UTC hour and cached; a change inside an hour is located to the second.
import { DAYS } from "./types";
import type { ClockTime, Day } from "./types";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY_MS = 86_400_000;

export interface LocalParts {
  day: Day;
  /** 0..6, Monday first (index into DAYS). */
  dayIndex: number;
  /** Minutes since local midnight, 0..1439. */
  minuteOfDay: number;
  /** Local calendar date, "YYYY-MM-DD". */
  ymd: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    // Throws RangeError for an unknown zone; hourCycle h23 avoids "24" at midnight.
    const n = "numeric";
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: n,
      month: n,
      day: n,
      hour: n,
      minute: n,
      second: n,
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.trim() === "") return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** The zone's UTC offset at `ms`, straight from Intl (whole seconds). */
function intlOffsetMs(tz: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(whole)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const local = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return local - whole;
}

/** Offset at the start of UTC hour k (a), at the start of hour k+1 (b), and the instant it switches. */
interface HourInfo {
  a: number;
  b: number;
  switchAt: number; // Infinity when a === b
}

interface ZoneCache {
  samples: Map<number, number>;
  hours: Map<number, HourInfo>;
}
const zoneCaches = new Map<string, ZoneCache>();
const CACHE_LIMIT = 100_000; // about 11 years of hours per zone; cleared rather than grown forever

function cacheFor(tz: string): ZoneCache {
  let c = zoneCaches.get(tz);
  if (!c) {
    formatterFor(tz); // fail fast on an unknown zone
    c = { samples: new Map(), hours: new Map() };
    zoneCaches.set(tz, c);
  }
  return c;
}

function sample(tz: string, c: ZoneCache, k: number): number {
  let v = c.samples.get(k);
  if (v === undefined) {
    if (c.samples.size >= CACHE_LIMIT) c.samples.clear();
    v = intlOffsetMs(tz, k * HOUR);
    c.samples.set(k, v);
  }
  return v;
}

// Assumes at most one offset change per UTC hour, which holds for every zone in the tz database.
function hourInfo(tz: string, c: ZoneCache, k: number): HourInfo {
  let info = c.hours.get(k);
  if (info) return info;
  const a = sample(tz, c, k);
  const b = sample(tz, c, k + 1);
  let switchAt = Infinity;
  if (a !== b) {
    let lo = k * HOUR; // offset a here
    let hi = (k + 1) * HOUR; // offset b here
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (intlOffsetMs(tz, mid) === a) lo = mid;
      else hi = mid;
    }
    switchAt = hi;
  }
  info = { a, b, switchAt };
  if (c.hours.size >= CACHE_LIMIT) c.hours.clear();
  c.hours.set(k, info);
  return info;
}

/** UTC offset of `tz` at instant `ms`, in milliseconds (local = ms + offset). Throws RangeError for an unknown zone. */
export function utcOffsetMs(tz: string, ms: number): number {
  const info = hourInfo(tz, cacheFor(tz), Math.floor(ms / HOUR));
  return ms >= info.switchAt ? info.b : info.a;
}

/** The offset at `ms` and the first instant (capped at `limitMs`) where it changes: lets pricing walk whole segments. */
export function offsetRun(tz: string, ms: number, limitMs: number): { offsetMs: number; untilMs: number } {
  const c = cacheFor(tz);
  let k = Math.floor(ms / HOUR);
  const first = hourInfo(tz, c, k);
  const offsetMs = ms >= first.switchAt ? first.b : first.a;
  if (ms < first.switchAt && first.switchAt !== Infinity) return { offsetMs, untilMs: Math.min(limitMs, first.switchAt) };
  for (k++; k * HOUR < limitMs; k++) {
    const info = hourInfo(tz, c, k);
    if (info.switchAt !== Infinity) return { offsetMs, untilMs: Math.min(limitMs, info.switchAt) };
  }
  return { offsetMs, untilMs: limitMs };
}

/** Split a "local epoch" (ms + offset) into weekday, minute of day and date. */
function partsOfLocal(localMs: number): LocalParts {
  const dayNum = Math.floor(localMs / DAY_MS);
  const dayIndex = (((dayNum + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const minuteOfDay = Math.floor((localMs - dayNum * DAY_MS) / MINUTE);
  const ymd = new Date(dayNum * DAY_MS).toISOString().slice(0, 10);
  return { day: DAYS[dayIndex] as Day, dayIndex, minuteOfDay, ymd };
}

export function localParts(ms: number, tz: string): LocalParts {
  return partsOfLocal(ms + utcOffsetMs(tz, ms));
}

/** "HH:MM" (00:00–24:00) to minutes since midnight; null when malformed. */
export function parseClock(text: ClockTime): number | null {
  if (typeof text !== "string" || !/^\d\d:\d\d$/.test(text)) return null;
  const h = Number(text.slice(0, 2));
  const m = Number(text.slice(3));
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return null;
  return h * 60 + m;
}

/** Minutes since midnight to "HH:MM". */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

export function dayMask(days: readonly Day[]): number {
  let mask = 0;
  for (const d of days) {
    const i = DAYS.indexOf(d);
    if (i >= 0) mask |= 1 << i;
  }
  return mask;
}

/** A window parsed once: day bitmask (Monday = bit 0) and minutes. */
export interface CompiledWindow {
  mask: number;
  start: number;
  end: number;
}

export function compileWindow(w: { days: readonly Day[]; start: ClockTime; end: ClockTime }): CompiledWindow | null {
  const start = parseClock(w.start);
  const end = parseClock(w.end);
  if (start === null || end === null || !Array.isArray(w.days)) return null;
  return { mask: dayMask(w.days), start, end };
}

/** A window with end <= start runs past midnight and belongs to the day it starts on (FRI 20:00–02:00 covers SAT 01:00). */
export function windowCovers(w: CompiledWindow, dayIndex: number, minuteOfDay: number): boolean {
  const today = (w.mask >> dayIndex) & 1;
  if (w.start < w.end) return today === 1 && minuteOfDay >= w.start && minuteOfDay < w.end;
  const yesterday = (w.mask >> ((dayIndex + 6) % 7)) & 1;
  return (today === 1 && minuteOfDay >= w.start) || (yesterday === 1 && minuteOfDay < w.end);
}

/** Whether a local moment falls in a window given as clock strings; malformed windows cover nothing. */
export function inWindow(
  w: { days: readonly Day[]; start: ClockTime; end: ClockTime },
  local: { day: Day; minuteOfDay: number },
): boolean {
  const cw = compileWindow(w);
  return cw !== null && windowCovers(cw, DAYS.indexOf(local.day), local.minuteOfDay);
}
