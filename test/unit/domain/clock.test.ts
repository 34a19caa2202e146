import { describe, expect, it } from "vitest";
import {
  formatClock,
  inWindow,
  isValidTimeZone,
  localParts,
  offsetRun,
  parseClock,
  utcOffsetMs,
} from "../../../src/domain/clock";
import type { Day } from "../../../src/domain/types";

const at = (iso: string) => Date.parse(iso);
const NY = "America/New_York";
const H = 3_600_000;

describe("parseClock", () => {
  it.each([
    ["00:00", 0],
    ["08:00", 480],
    ["12:34", 754],
    ["23:59", 1439],
    ["24:00", 1440],
    ["24:01", null],
    ["25:00", null],
    ["12:60", null],
    ["8:00", null],
    ["08:0", null],
    ["0800", null],
    ["ab:cd", null],
    ["", null],
    [" 08:00", null],
  ])("%j -> %j", (text, minutes) => {
    expect(parseClock(text)).toBe(minutes);
  });

  it.each([
    [0, "00:00"],
    [480, "08:00"],
    [1439, "23:59"],
    [1440, "24:00"],
  ])("formatClock(%i) -> %s", (m, s) => {
    expect(formatClock(m)).toBe(s);
  });
});

describe("isValidTimeZone", () => {
  it.each([
    [NY, true],
    ["Europe/London", true],
    ["UTC", true],
    ["Asia/Kolkata", true],
    ["Mars/Olympus_Mons", false],
    ["", false],
    ["   ", false],
    ["New York", false],
  ])("%j -> %j", (tz, ok) => {
    expect(isValidTimeZone(tz)).toBe(ok);
  });
});

describe("localParts", () => {
  it.each([
    // ordinary winter and summer days
    [NY, "2026-03-03T15:00:00Z", "TUE", 10 * 60, "2026-03-03"],
    [NY, "2026-07-04T16:30:00Z", "SAT", 12 * 60 + 30, "2026-07-04"],
    // new year: still Wednesday 31 December locally
    [NY, "2026-01-01T04:59:00Z", "WED", 23 * 60 + 59, "2025-12-31"],
    [NY, "2026-01-01T05:00:00Z", "THU", 0, "2026-01-01"],
    // spring forward 2026-03-08: 01:59 EST is followed by 03:00 EDT
    [NY, "2026-03-08T06:59:00Z", "SUN", 60 + 59, "2026-03-08"],
    [NY, "2026-03-08T07:00:00Z", "SUN", 3 * 60, "2026-03-08"],
    [NY, "2026-03-09T12:00:00Z", "MON", 8 * 60, "2026-03-09"],
    // fall back 2026-11-01: 01:30 happens twice
    [NY, "2026-11-01T05:30:00Z", "SUN", 90, "2026-11-01"],
    [NY, "2026-11-01T05:59:59Z", "SUN", 119, "2026-11-01"],
    [NY, "2026-11-01T06:00:00Z", "SUN", 60, "2026-11-01"],
    [NY, "2026-11-01T06:30:00Z", "SUN", 90, "2026-11-01"],
    [NY, "2026-11-02T13:00:00Z", "MON", 8 * 60, "2026-11-02"],
    // half-hour zone and a half-hour DST shift that happens at hh:30 UTC
    ["Asia/Kolkata", "2026-03-03T00:00:00Z", "TUE", 5 * 60 + 30, "2026-03-03"],
    ["Australia/Lord_Howe", "2026-10-03T15:29:59Z", "SUN", 60 + 59, "2026-10-04"],
    ["Australia/Lord_Howe", "2026-10-03T15:30:00Z", "SUN", 2 * 60 + 30, "2026-10-04"],
    ["Australia/Lord_Howe", "2026-04-04T14:59:59Z", "SUN", 60 + 59, "2026-04-05"],
    ["Australia/Lord_Howe", "2026-04-04T15:00:00Z", "SUN", 60 + 30, "2026-04-05"],
    // Samoa skipped Friday 30 December 2011
    ["Pacific/Apia", "2011-12-30T09:59:59Z", "THU", 23 * 60 + 59, "2011-12-29"],
    ["Pacific/Apia", "2011-12-30T10:00:00Z", "SAT", 0, "2011-12-31"],
    ["UTC", "1969-12-31T23:59:00Z", "WED", 23 * 60 + 59, "1969-12-31"],
  ])("%s %s -> %s %i %s", (tz, iso, day, minuteOfDay, ymd) => {
    const p = localParts(at(iso), tz);
    expect({ day: p.day, minuteOfDay: p.minuteOfDay, ymd: p.ymd }).toEqual({ day, minuteOfDay, ymd });
  });

  it("throws for an unknown time zone", () => {
    expect(() => localParts(0, "Nowhere/Land")).toThrow(RangeError);
  });
});

describe("utcOffsetMs and offsetRun", () => {
  it.each([
    [NY, "2026-03-08T06:59:59.999Z", -5 * H],
    [NY, "2026-03-08T07:00:00Z", -4 * H],
    [NY, "2026-11-01T05:59:59Z", -4 * H],
    [NY, "2026-11-01T06:00:00Z", -5 * H],
    ["Australia/Lord_Howe", "2026-10-03T15:29:59Z", 10.5 * H],
    ["Australia/Lord_Howe", "2026-10-03T15:30:00Z", 11 * H],
    ["Asia/Kolkata", "2026-06-01T00:00:00Z", 5.5 * H],
  ])("%s at %s -> %i", (tz, iso, offset) => {
    expect(utcOffsetMs(tz, at(iso))).toBe(offset);
  });

  it.each([
    // the run stops exactly at the switch, wherever inside the hour it falls
    [NY, "2026-03-07T12:00:00Z", "2026-03-10T00:00:00Z", -5 * H, "2026-03-08T07:00:00Z"],
    [NY, "2026-11-01T05:10:00Z", "2026-11-02T00:00:00Z", -4 * H, "2026-11-01T06:00:00Z"],
    [NY, "2026-11-01T06:00:00Z", "2026-11-02T00:00:00Z", -5 * H, "2026-11-02T00:00:00Z"],
    ["Australia/Lord_Howe", "2026-10-03T15:10:00Z", "2026-10-04T00:00:00Z", 10.5 * H, "2026-10-03T15:30:00Z"],
    [NY, "2026-06-01T00:00:00Z", "2026-06-01T05:00:00Z", -4 * H, "2026-06-01T05:00:00Z"],
  ])("%s from %s to %s", (tz, from, limit, offsetMs, until) => {
    expect(offsetRun(tz, at(from), at(limit))).toEqual({ offsetMs, untilMs: at(until) });
  });
});

describe("inWindow", () => {
  const weekdays: Day[] = ["MON", "TUE", "WED", "THU", "FRI"];
  const fridayNight = { days: ["FRI"] as Day[], start: "20:00", end: "02:00" };
  const daytime = { days: weekdays, start: "08:00", end: "18:00" };
  const allDay = { days: ["SUN"] as Day[], start: "00:00", end: "24:00" };
  const midnightToMidnight = { days: ["SUN"] as Day[], start: "00:00", end: "00:00" };
  it.each([
    [daytime, "MON", 8 * 60, true],
    [daytime, "MON", 7 * 60 + 59, false],
    [daytime, "FRI", 17 * 60 + 59, true],
    [daytime, "FRI", 18 * 60, false],
    [daytime, "SAT", 12 * 60, false],
    [fridayNight, "FRI", 19 * 60 + 59, false],
    [fridayNight, "FRI", 20 * 60, true],
    [fridayNight, "FRI", 23 * 60 + 59, true],
    [fridayNight, "SAT", 0, true],
    [fridayNight, "SAT", 60, true],
    [fridayNight, "SAT", 2 * 60, false],
    [fridayNight, "SAT", 21 * 60, false],
    [fridayNight, "FRI", 60, false], // Thursday's night is not Friday's
    [allDay, "SUN", 0, true],
    [allDay, "SUN", 1439, true],
    [allDay, "MON", 0, false],
    [midnightToMidnight, "SUN", 0, true],
    [midnightToMidnight, "SUN", 1439, true],
    [midnightToMidnight, "MON", 0, false],
    [{ days: ["MON"] as Day[], start: "8:00", end: "18:00" }, "MON", 600, false],
  ])("%j on %s at minute %i -> %j", (w, day, minuteOfDay, expected) => {
    expect(inWindow(w, { day: day as Day, minuteOfDay })).toBe(expected);
  });
});
