import { describe, expect, it } from "vitest";
import { A1, ALL, B2 } from "./zones";
import { checkDuration, extensionCents, priceCents, proRatedRefund } from "../../../src/domain/pricing";
import { rateAt } from "../../../src/domain/rules";
import type { ZoneRules } from "../../../src/domain/types";

// Expected prices are worked out by hand as cent-minutes (rate × minutes), divided by 60, rounded half up.
const at = (iso: string) => Date.parse(iso);
const NIGHT: ZoneRules = {
  ...A1,
  code: "N1",
  rateSlots: [
    { days: ["FRI", "SAT"], start: "20:00", end: "02:00", rateCentsPerHour: 300 },
    { days: ALL, start: "00:00", end: "24:00", rateCentsPerHour: 100 },
  ],
};
const flat = (rate: number): ZoneRules => ({
  ...A1,
  rateSlots: [{ days: ALL, start: "00:00", end: "24:00", rateCentsPerHour: rate }],
});
const SPLIT: ZoneRules = {
  ...A1,
  rateSlots: [
    { days: ALL, start: "00:00", end: "09:00", rateCentsPerHour: 130 },
    { days: ALL, start: "09:00", end: "24:00", rateCentsPerHour: 170 },
  ],
};

describe("priceCents", () => {
  it.each<[string, ZoneRules, string, number, number]>([
    ["A1 15 min", A1, "2026-03-03T15:00:00Z", 15, 50], // 15×200 = 3000 → 50
    ["A1 1 h", A1, "2026-03-03T15:00:00Z", 60, 200],
    ["A1 4 h", A1, "2026-03-03T15:00:00Z", 240, 800],
    ["A1 1 min rounds down", A1, "2026-03-03T15:00:00Z", 1, 3], // 200/60 = 3.33
    ["A1 7 min", A1, "2026-03-03T15:00:00Z", 7, 23], // 1400/60 = 23.33
    ["A1 0 min", A1, "2026-03-03T15:00:00Z", 0, 0],
    ["A1 17:00 for 2 h, free after 18:00", A1, "2026-03-03T22:00:00Z", 120, 200],
    ["A1 07:00 for 2 h, free before 08:00", A1, "2026-03-03T12:00:00Z", 120, 200],
    ["A1 12 h from 08:00", A1, "2026-03-03T13:00:00Z", 720, 2000], // 600×200
    ["A1 Sunday is free", A1, "2026-03-01T15:00:00Z", 240, 0],
    ["A1 Sat 12:00 for 48 h skips Sunday", A1, "2026-02-28T17:00:00Z", 2880, 2000], // 360×200 + 240×200
    // same over the DST weekend: 48 real hours end at Mon 13:00 EDT, so Monday has 300 paid minutes
    ["A1 Sat 12:00 for 48 h over spring forward", A1, "2026-03-07T17:00:00Z", 2880, 2200], // 360×200 + 300×200
    ["A1 start 07:59:30 for 2 min", A1, "2026-03-03T12:59:30Z", 2, 3], // 0 + 200 → 3.33
    ["B2 17:30 for 2 h across 18:00", B2, "2026-03-03T22:30:00Z", 120, 250], // 30×200 + 90×100
    ["B2 23:30 for 1 h across midnight", B2, "2026-03-04T04:30:00Z", 60, 100],
    ["B2 07:00 for 12 h", B2, "2026-03-03T12:00:00Z", 720, 2200], // 60×100 + 600×200 + 60×100
    ["B2 whole ordinary day", B2, "2026-03-03T05:00:00Z", 1440, 3400], // 840×100 + 600×200
    // spring forward: 01:00 EST + 8 real hours = 10:00 EDT; 01–02 and 03–08 at 100, 08–10 at 200
    ["B2 spring forward 8 h", B2, "2026-03-08T06:00:00Z", 480, 1000],
    // fall back: 00:00 EDT + 10 real hours = 09:00 EST; 9 real hours before 08:00 at 100, 1 h at 200
    ["B2 fall back 10 h", B2, "2026-11-01T04:00:00Z", 600, 1100],
    ["B2 the 23-hour day", B2, "2026-03-08T05:00:00Z", 1380, 3300], // 420×100 + 600×200 + 360×100
    ["B2 the 25-hour day", B2, "2026-11-01T04:00:00Z", 1500, 3500], // 540×100 + 600×200 + 360×100
    ["flat 150, 1 min: 2.5 rounds up", flat(150), "2026-03-03T15:00:00Z", 1, 3],
    ["flat 150, 2 min", flat(150), "2026-03-03T15:00:00Z", 2, 5],
    ["flat 150, 3 min: 7.5 rounds up", flat(150), "2026-03-03T15:00:00Z", 3, 8],
    ["flat 250, 15 min: 62.5 rounds up", flat(250), "2026-03-03T15:00:00Z", 15, 63],
    ["flat 1, 29 min: 0.48 rounds down", flat(1), "2026-03-03T15:00:00Z", 29, 0],
    ["flat 1, 30 min: 0.5 rounds up", flat(1), "2026-03-03T15:00:00Z", 30, 1],
    // 9×130 + 9×170 = 2700 → 45; rounding each slot would give 20 + 26 = 46
    ["rounded once across a slot boundary", SPLIT, "2026-03-03T13:51:00Z", 18, 45],
    ["Friday night slot covers Sat 01:00", NIGHT, "2026-03-07T06:00:00Z", 120, 400], // 60×300 + 60×100
    ["Saturday night slot on the DST night", NIGHT, "2026-03-08T06:00:00Z", 120, 400], // 01–02 EST ×300, 03–04 EDT ×100
    ["no Sunday-night slot", NIGHT, "2026-03-09T05:00:00Z", 120, 200],
    ["into the Friday night slot", NIGHT, "2026-03-07T00:00:00Z", 120, 400], // Fri 19–20 ×100, 20–21 ×300
    ["free zone", { ...A1, rateSlots: [] }, "2026-03-03T15:00:00Z", 120, 0],
  ])("%s", (_name, rules, iso, minutes, cents) => {
    expect(priceCents(rules, at(iso), minutes)).toBe(cents);
  });

  it.each([-15, 1.5, Number.NaN])("rejects %d minutes", (minutes) => {
    expect(() => priceCents(A1, 0, minutes)).toThrow(RangeError);
  });

  it("equals the minute-by-minute sum of rateAt on random starts, DST days included", () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const base = at("2026-01-01T00:00:00Z");
    const dstStarts = [at("2026-03-07T20:00:00Z"), at("2026-10-31T20:00:00Z")];
    for (let n = 0; n < 60; n++) {
      const rules = [A1, B2, NIGHT, SPLIT][n % 4]!;
      const start =
        n % 3 === 0
          ? dstStarts[n % 2]! + Math.floor(rand() * 24) * 3_600_000 + Math.floor(rand() * 60_000)
          : base + Math.floor(rand() * 365 * 86_400_000);
      const minutes = 1 + Math.floor(rand() * 1500);
      let centMinutes = 0;
      for (let i = 0; i < minutes; i++) centMinutes += rateAt(rules, start + i * 60_000);
      expect(priceCents(rules, start, minutes), `${rules.code} ${new Date(start).toISOString()} ${minutes}`).toBe(
        Math.floor((centMinutes + 30) / 60),
      );
    }
  });

  it("prices 10 000 twelve-hour sessions in under 2 s", () => {
    const start = at("2026-03-02T05:00:00Z");
    const t0 = performance.now();
    let total = 0;
    for (let i = 0; i < 10_000; i++) total += priceCents(B2, start + i * 60_000, 720);
    const ms = performance.now() - t0;
    expect(total).toBeGreaterThan(0);
    expect(ms).toBeLessThan(2000);
  });
});

describe("extensionCents", () => {
  it.each<[string, ZoneRules, string, number, number, number]>([
    ["A1 30 + 60 at 17:00", A1, "2026-03-03T22:00:00Z", 30, 60, 100], // 200 − 100
    ["B2 15 + 45 at 17:30", B2, "2026-03-03T22:30:00Z", 15, 45, 100], // (30×200 + 30×100)/60 = 150, minus 50
    ["flat 150, 1 + 1", flat(150), "2026-03-03T15:00:00Z", 1, 1, 2], // 5 − 3: parts still add up to the total
    ["A1 adding free time", A1, "2026-03-03T23:00:00Z", 60, 60, 0],
  ])("%s", (_name, rules, iso, oldMinutes, addMinutes, cents) => {
    expect(extensionCents(rules, at(iso), oldMinutes, addMinutes)).toBe(cents);
  });
});

describe("checkDuration (15 min increments, 240 min max)", () => {
  it.each<[number, number | undefined, boolean]>([
    [15, undefined, true],
    [240, undefined, true],
    [60, 180, true],
    [0, undefined, false],
    [-15, undefined, false],
    [10, undefined, false],
    [15.5, undefined, false],
    [255, undefined, false],
    [75, 180, false],
    [15, 240, false],
  ])("%d minutes after %s -> ok %j", (minutes, already, ok) => {
    const message = already === undefined ? checkDuration(A1, minutes) : checkDuration(A1, minutes, already);
    if (ok) expect(message).toBeNull();
    else expect(message).toMatch(/\w/);
  });
});

describe("proRatedRefund", () => {
  const tue10 = { startMs: at("2026-03-03T15:00:00Z"), paidMinutes: 120, amountCents: 400 };
  it.each<[string, ZoneRules, { startMs: number; paidMinutes: number; amountCents: number }, string, number, number, number]>([
    ["ended 31 min in: 45 min used", A1, tue10, "2026-03-03T15:31:00Z", 250, 45, 5], // 400 − 45×200/60
    ["ended right at start", A1, tue10, "2026-03-03T15:00:00Z", 400, 0, 8],
    ["ended before start", A1, tue10, "2026-03-03T14:00:00Z", 400, 0, 8],
    ["ended 1 s in", A1, tue10, "2026-03-03T15:00:01Z", 350, 15, 7],
    ["ended exactly 15 min in", A1, tue10, "2026-03-03T15:15:00Z", 350, 15, 7],
    ["ended 15 min and 1 ms in", A1, tue10, "2026-03-03T15:15:00.001Z", 300, 30, 6],
    ["ended in the last increment", A1, tue10, "2026-03-03T16:59:59Z", 0, 120, 0],
    ["ended at paid end", A1, tue10, "2026-03-03T17:00:00Z", 0, 120, 0],
    ["ended after paid end", A1, tue10, "2026-03-03T18:00:00Z", 0, 120, 0],
    ["discounted session never refunds below zero", A1, { ...tue10, amountCents: 50 }, "2026-03-03T15:31:00Z", 0, 45, 5],
    // A1 from 17:00, 2 h paid for 200 (only the first hour costs)
    [
      "A1 ended 18:10 in free time",
      A1,
      { startMs: at("2026-03-03T22:00:00Z"), paidMinutes: 120, amountCents: 200 },
      "2026-03-03T23:10:00Z",
      0,
      75,
      3,
    ],
    [
      "A1 ended 17:20",
      A1,
      { startMs: at("2026-03-03T22:00:00Z"), paidMinutes: 120, amountCents: 200 },
      "2026-03-03T22:20:00Z",
      100,
      30,
      6,
    ],
    // B2 from 17:30, 2 h paid for 250
    [
      "B2 ended 17:50",
      B2,
      { startMs: at("2026-03-03T22:30:00Z"), paidMinutes: 120, amountCents: 250 },
      "2026-03-03T22:50:00Z",
      150,
      30,
      6,
    ],
    [
      "B2 ended 18:20 across the slot",
      B2,
      { startMs: at("2026-03-03T22:30:00Z"), paidMinutes: 120, amountCents: 250 },
      "2026-03-03T23:20:00Z",
      100,
      60,
      4,
    ],
    // DST: 7 real hours from 01:00 EST is 09:00 EDT; used (60 + 300)×100 + 60×200 = 48000 → 800
    [
      "B2 spring forward",
      B2,
      { startMs: at("2026-03-08T06:00:00Z"), paidMinutes: 480, amountCents: 1000 },
      "2026-03-08T13:00:00Z",
      200,
      420,
      4,
    ],
    // 150 real minutes from 00:00 EDT is the second 01:30 (EST), all at 100 → 250
    [
      "B2 fall back",
      B2,
      { startMs: at("2026-11-01T04:00:00Z"), paidMinutes: 600, amountCents: 1100 },
      "2026-11-01T06:30:00Z",
      850,
      150,
      30,
    ],
  ])("%s", (_name, rules, session, endedIso, refundCents, usedMinutes, unusedIncrements) => {
    expect(proRatedRefund(rules, session, at(endedIso))).toEqual({ refundCents, usedMinutes, unusedIncrements });
  });
});
