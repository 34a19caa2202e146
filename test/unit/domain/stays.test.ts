import { describe, expect, it } from "vitest";
import { maxStayRefusal, stays } from "../../../src/domain/stays";

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0); // 09:00
const at = (minutes: number) => T0 + minutes * MIN;
const span = (from: number, to: number) => ({ startMs: at(from), endMs: at(to) });
const GAP = 5 * MIN;
const MAX = 240; // four hours

describe("stays", () => {
  it("joins sessions that start no later than the previous end plus the gap, in time order", () => {
    expect(stays([span(60, 120), span(0, 60), span(125, 180), span(186, 200)], GAP)).toEqual([span(0, 180), span(186, 200)]);
  });

  it("keeps the later end when a session lies inside another, and is empty for no sessions", () => {
    expect(stays([span(0, 120), span(30, 60)], GAP)).toEqual([span(0, 120)]);
    expect(stays([], GAP)).toEqual([]);
  });

  it("does not change the sessions it is given", () => {
    const given = [span(60, 120), span(0, 60)];
    stays(given, GAP);
    expect(given).toEqual([span(60, 120), span(0, 60)]);
  });
});

describe("no time sold past the maximum stay", () => {
  it("feeding the meter up to exactly the maximum stay is sold", () => {
    expect(maxStayRefusal([span(0, 120)], span(120, MAX), MAX, GAP)).toBeNull();
  });

  it("one minute past it is refused, naming when the stay began and when a new one may", () => {
    expect(maxStayRefusal([span(0, 120)], span(120, MAX + 1), MAX, GAP)).toEqual({ stayStartMs: at(0), newStayAfterMs: at(125) });
  });

  it("coming back within the gap is the same stay; after the gap it is a new one", () => {
    expect(maxStayRefusal([span(0, 200)], span(205, 250), MAX, GAP)).toEqual({ stayStartMs: at(0), newStayAfterMs: at(205) });
    expect(maxStayRefusal([span(0, 200)], span(206, 206 + MAX), MAX, GAP)).toBeNull();
  });

  it("an extension is judged with the session's new span against the vehicle's other sessions", () => {
    // Two hours bought earlier, then this session 11:00–12:00 asks to run to 13:01.
    expect(maxStayRefusal([span(0, 120)], span(120, 241), MAX, GAP)).toMatchObject({ newStayAfterMs: at(125) });
    expect(maxStayRefusal([span(0, 120)], span(120, 240), MAX, GAP)).toBeNull();
  });

  it("a single sale longer than the maximum is refused on its own", () => {
    expect(maxStayRefusal([], span(0, MAX + 1), MAX, GAP)).toEqual({ stayStartMs: at(0), newStayAfterMs: at(0) + GAP });
  });

  it("sessions of an earlier, separate stay do not count", () => {
    expect(maxStayRefusal([span(0, 200)], span(300, 300 + MAX), MAX, GAP)).toBeNull();
  });
});
