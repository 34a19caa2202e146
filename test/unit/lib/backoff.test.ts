// The one backoff formula, with the numbers each caller has always used.
import { describe, expect, it } from "vitest";
import { exponentialBackoff, retryDelaySeconds } from "../../../src/lib/backoff";

describe("exponentialBackoff", () => {
  it("waits the base on the first retry, doubles, and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 60].map((n) => exponentialBackoff(n, 5_000, 300_000))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000,
    ]);
  });

  it("counts a retry below 1 as the first", () => {
    expect([-3, 0, 1].map((n) => exponentialBackoff(n, 10, 3600))).toEqual([10, 10, 10]);
  });
});

describe("retryDelaySeconds", () => {
  it("shaves at most half off the exponential wait, never below a second", () => {
    expect(retryDelaySeconds(1, 10, 3600, () => 0)).toBe(5);
    expect(retryDelaySeconds(1, 10, 3600, () => 1)).toBe(10);
    expect(retryDelaySeconds(4, 15, 3600, () => 0.5)).toBe(90);
    expect(retryDelaySeconds(30, 10, 3600, () => 1)).toBe(3600);
    expect(retryDelaySeconds(1, 1, 3600, () => 0)).toBe(1);
  });
});
