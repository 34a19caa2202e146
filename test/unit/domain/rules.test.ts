import { describe, expect, it } from "vitest";
import { A1, ALL, B2 } from "./zones";
import {
  graceMinutesAt,
  isEnforced,
  maxStayMinutesAt,
  rateAt,
  sameRules,
  shortestGraceMinutes,
  validateZoneRules,
} from "../../../src/domain/rules";
import type { ZoneRules } from "../../../src/domain/types";

const at = (iso: string) => Date.parse(iso);

const SATURDAY_MARKET: ZoneRules = {
  ...A1,
  code: "M1",
  rateSlots: [
    { days: ["SAT"], start: "10:00", end: "14:00", rateCentsPerHour: 500 },
    { days: ALL, start: "08:00", end: "18:00", rateCentsPerHour: 200 },
    { days: ["FRI"], start: "20:00", end: "02:00", rateCentsPerHour: 300 },
  ],
};

describe("isEnforced (A1, 08:00–18:00 Mon–Sat, New York)", () => {
  it.each([
    ["2026-03-03T15:00:00Z", true], // Tue 10:00 EST
    ["2026-03-03T12:59:00Z", false], // 07:59
    ["2026-03-03T13:00:00Z", true], // 08:00
    ["2026-03-03T22:59:59Z", true], // 17:59:59
    ["2026-03-03T23:00:00Z", false], // 18:00
    ["2026-03-01T16:00:00Z", false], // Sunday 11:00
    ["2026-03-07T16:00:00Z", true], // Saturday 11:00
    ["2026-03-09T11:59:00Z", false], // Mon after spring forward: 07:59 EDT
    ["2026-03-09T12:00:00Z", true], // 08:00 EDT
    ["2026-11-02T12:30:00Z", false], // Mon after fall back: 07:30 EST
    ["2026-11-02T13:00:00Z", true], // 08:00 EST
    ["2026-10-31T21:59:00Z", true], // Sat 17:59 EDT
    ["2026-10-31T22:00:00Z", false], // Sat 18:00 EDT
  ])("%s -> %j", (iso, expected) => {
    expect(isEnforced(A1, at(iso))).toBe(expected);
  });

  it("a zone with no enforcement windows is never enforced", () => {
    expect(isEnforced({ ...A1, enforcement: [] }, at("2026-03-03T15:00:00Z"))).toBe(false);
  });
});

describe("rateAt", () => {
  it.each([
    [A1, "2026-03-03T15:00:00Z", 200],
    [A1, "2026-03-01T16:00:00Z", 0], // Sunday
    [A1, "2026-03-03T23:00:00Z", 0], // 18:00
    [B2, "2026-03-03T22:59:00Z", 200], // 17:59 EST
    [B2, "2026-03-03T23:00:00Z", 100], // 18:00
    [B2, "2026-03-04T08:00:00Z", 100], // 03:00 next day, wrapped slot
    [B2, "2026-03-04T13:00:00Z", 200], // 08:00
    [B2, "2026-03-08T07:00:00Z", 100], // 03:00 EDT, right after spring forward
    [B2, "2026-03-08T11:59:00Z", 100], // 07:59 EDT
    [B2, "2026-03-08T12:00:00Z", 200], // 08:00 EDT (13:00Z the day before)
    [B2, "2026-11-01T12:59:00Z", 100], // 07:59 EST
    [B2, "2026-11-01T13:00:00Z", 200], // 08:00 EST
    [SATURDAY_MARKET, "2026-03-07T16:00:00Z", 500], // Sat 11:00: first slot wins over the all-day one
    [SATURDAY_MARKET, "2026-03-06T16:00:00Z", 200], // Fri 11:00
    [SATURDAY_MARKET, "2026-03-07T06:00:00Z", 300], // Sat 01:00 belongs to Friday night
    [SATURDAY_MARKET, "2026-03-07T07:00:00Z", 0], // Sat 02:00
  ])("%#: %s -> %i", (rules, iso, cents) => {
    expect(rateAt(rules, at(iso))).toBe(cents);
  });
});

describe("validateZoneRules", () => {
  const slot = (patch: object) => ({ ...A1, rateSlots: [{ ...A1.rateSlots[0]!, ...patch }] });
  const win = (patch: object) => ({ ...A1, enforcement: [{ ...A1.enforcement[0]!, ...patch }] });
  it.each<[string, ZoneRules, string[]]>([
    ["demo zone", A1, []],
    ["two-slot zone", B2, []],
    ["whole day as 00:00-00:00", win({ start: "00:00", end: "00:00" }), []],
    ["overnight window", win({ start: "20:00", end: "02:00" }), []],
    ["grace 0", { ...A1, graceMinutes: 0 }, []],
    ["grace 120", { ...A1, graceMinutes: 120 }, []],
    ["max stay of 7 days", { ...A1, maxStayMinutes: 10080 }, []],
    ["free zone", { ...A1, rateSlots: [] }, []],
    ["unknown time zone", { ...A1, timezone: "Mars/Base" }, ["timezone"]],
    ["empty code", { ...A1, code: " " }, ["code"]],
    ["H:MM start", slot({ start: "8:00" }), ["rateSlots.0.start"]],
    ["end past 24:00", slot({ end: "24:30" }), ["rateSlots.0.end"]],
    ["start at 24:00", slot({ start: "24:00" }), ["rateSlots.0.start"]],
    ["empty window", win({ start: "08:00", end: "08:00" }), ["enforcement.0.end"]],
    ["negative rate", slot({ rateCentsPerHour: -1 }), ["rateSlots.0.rateCentsPerHour"]],
    ["fractional rate", slot({ rateCentsPerHour: 2.5 }), ["rateSlots.0.rateCentsPerHour"]],
    ["rate as a string", slot({ rateCentsPerHour: "200" }), ["rateSlots.0.rateCentsPerHour"]],
    ["no days", slot({ days: [] }), ["rateSlots.0.days"]],
    ["unknown day", win({ days: ["MON", "FUN"] }), ["enforcement.0.days.1"]],
    ["increment 0", { ...A1, incrementMinutes: 0 }, ["incrementMinutes"]],
    ["increment 241", { ...A1, incrementMinutes: 241, maxStayMinutes: 482 }, ["incrementMinutes"]],
    ["fractional increment", { ...A1, incrementMinutes: 7.5 }, ["incrementMinutes"]],
    ["max stay not a multiple", { ...A1, maxStayMinutes: 250 }, ["maxStayMinutes"]],
    ["max stay over 7 days", { ...A1, maxStayMinutes: 10095 }, ["maxStayMinutes"]],
    ["max stay 0", { ...A1, maxStayMinutes: 0 }, ["maxStayMinutes"]],
    ["negative grace", { ...A1, graceMinutes: -1 }, ["graceMinutes"]],
    ["grace over 120", { ...A1, graceMinutes: 121 }, ["graceMinutes"]],
    ["fractional grace", { ...A1, graceMinutes: 1.5 }, ["graceMinutes"]],
    [
      "several problems at once",
      { ...A1, timezone: "", graceMinutes: 500, rateSlots: [{ days: [], start: "x", end: "18:00", rateCentsPerHour: -5 }] },
      ["timezone", "rateSlots.0.days", "rateSlots.0.start", "rateSlots.0.rateCentsPerHour", "graceMinutes"],
    ],
  ])("%s", (_name, rules, paths) => {
    const problems = validateZoneRules(rules);
    expect(problems.map((p) => p.path)).toEqual(paths);
    for (const p of problems) expect(p.message).not.toBe("");
  });
});

describe("per-slot maximum stay and grace (a meter's remote configuration)", () => {
  const METERED: ZoneRules = {
    ...B2,
    rateSlots: [
      { days: ALL, start: "08:00", end: "18:00", rateCentsPerHour: 200, maxStayMinutes: 240, graceMinutes: 5 },
      { days: ALL, start: "18:00", end: "08:00", rateCentsPerHour: 100, maxStayMinutes: 720, graceMinutes: 10 },
    ],
    graceMinutes: 0,
    maxStayMinutes: 720,
    incrementMinutes: 15,
  };

  it("answers the slot's own values at an instant, and the zone's where no slot sets them", () => {
    expect(maxStayMinutesAt(METERED, at("2026-03-03T15:00:00Z"))).toBe(240); // 10:00 local
    expect(maxStayMinutesAt(METERED, at("2026-03-04T02:00:00Z"))).toBe(720); // 21:00 local
    expect(graceMinutesAt(METERED, at("2026-03-03T15:00:00Z"))).toBe(5);
    expect(graceMinutesAt(METERED, at("2026-03-04T02:00:00Z"))).toBe(10);
    expect(shortestGraceMinutes(METERED)).toBe(0);
    expect(maxStayMinutesAt(A1, at("2026-03-03T15:00:00Z"))).toBe(A1.maxStayMinutes);
    expect(graceMinutesAt(A1, at("2026-03-03T15:00:00Z"))).toBe(A1.graceMinutes);
  });

  it("validates a slot's maximum stay and grace like the zone's", () => {
    const bad: ZoneRules = {
      ...METERED,
      rateSlots: [{ days: ALL, start: "08:00", end: "18:00", rateCentsPerHour: 200, maxStayMinutes: 50, graceMinutes: 121 }],
    };
    expect(validateZoneRules(bad)).toEqual([
      { path: "rateSlots.0.maxStayMinutes", message: "must be a multiple of incrementMinutes (15)" },
      { path: "rateSlots.0.graceMinutes", message: "must be a whole number from 0 to 120" },
    ]);
    expect(validateZoneRules(METERED)).toEqual([]);
  });
});

describe("what a meter's configuration sets besides rates", () => {
  it("validates the meter alert threshold and the default violation code when present", () => {
    expect(validateZoneRules({ ...A1, meterAlertSeconds: 300, defaultViolationCode: "PKG-001" })).toEqual([]);
    expect(validateZoneRules({ ...A1, meterAlertSeconds: 86_401, defaultViolationCode: "PKG 001" }).map((p) => p.path)).toEqual([
      "meterAlertSeconds",
      "defaultViolationCode",
    ]);
  });
});

describe("sameRules", () => {
  it("compares what the rules say, not the order their keys were written in", () => {
    const reordered = Object.fromEntries(Object.entries(A1).reverse()) as unknown as typeof A1;
    expect(sameRules(A1, reordered)).toBe(true);
    expect(sameRules(A1, { ...A1, graceMinutes: 6 })).toBe(false);
    expect(sameRules(A1, { ...A1, rateSlots: [{ ...A1.rateSlots[0]!, maxStayMinutes: 60 }] })).toBe(false);
  });
});
