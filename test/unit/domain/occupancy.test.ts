import { describe, expect, it } from "vitest";
import { occupancyRate, occupancySeries } from "../../../src/domain/occupancy";

const MIN = 60_000;

describe("occupancySeries", () => {
  it("counts the sessions running at each step, start inclusive and end exclusive", () => {
    const sessions = [
      { startMs: 0, endMs: 30 * MIN },
      { startMs: 15 * MIN, endMs: 45 * MIN },
      { startMs: 15 * MIN, endMs: 15 * MIN + 1 },
    ];
    expect(occupancySeries(sessions, 0, 60 * MIN, 15 * MIN)).toEqual([
      { at: 0, occupied: 1 },
      { at: 15 * MIN, occupied: 3 },
      { at: 30 * MIN, occupied: 1 },
      { at: 45 * MIN, occupied: 0 },
      { at: 60 * MIN, occupied: 0 },
    ]);
  });

  it("counts sessions that began before the window and ignores empty or inverted ones", () => {
    const sessions = [
      { startMs: -100 * MIN, endMs: 10 * MIN },
      { startMs: 5 * MIN, endMs: 5 * MIN },
      { startMs: 8 * MIN, endMs: 2 * MIN },
    ];
    expect(occupancySeries(sessions, 0, 10 * MIN, 5 * MIN).map((p) => p.occupied)).toEqual([1, 1, 0]);
  });

  it("is independent of the order sessions arrive in", () => {
    const sessions = Array.from({ length: 200 }, (_, i) => ({
      startMs: ((i * 37) % 100) * MIN,
      endMs: ((i * 37) % 100) * MIN + ((i % 7) + 1) * 10 * MIN,
    }));
    const shuffled = [...sessions].reverse();
    const naive = (t: number) => sessions.filter((s) => s.startMs <= t && t < s.endMs).length;
    const series = occupancySeries(shuffled, 0, 180 * MIN, 5 * MIN);
    expect(series).toHaveLength(37);
    for (const p of series) expect(p.occupied).toBe(naive(p.at));
  });

  it("gives nothing for a bad step or an inverted window", () => {
    expect(occupancySeries([{ startMs: 0, endMs: 1 }], 0, 10, 0)).toEqual([]);
    expect(occupancySeries([{ startMs: 0, endMs: 1 }], 10, 0, 1)).toEqual([]);
  });
});

describe("occupancyRate", () => {
  it("is a share of capacity, rounded to a tenth of a percent, or null without a capacity", () => {
    expect(occupancyRate(3, 120)).toBe(0.025);
    expect(occupancyRate(130, 120)).toBe(1.083);
    expect(occupancyRate(3, null)).toBeNull();
    expect(occupancyRate(3, 0)).toBeNull();
  });
});
