import { describe, expect, it } from "vitest";
import { A1, B2 } from "./zones";
import { evaluatePlate } from "../../../src/domain/verdict";
import type { LiveSession, PermitView, VerdictStatus, ZoneRules } from "../../../src/domain/types";

// Times are UTC; comments give New York local time (EST = UTC−5 until 2026-03-08, EDT = UTC−4 until 2026-11-01).
const T = (iso: string) => Date.parse(iso);
const MIN = 60_000;

let ids = 0;
function s(plate: string, startIso: string, minutes: number, extra: Partial<LiveSession> = {}): LiveSession {
  const startMs = T(startIso);
  return {
    id: `s${++ids}`,
    plate,
    state: "CT",
    zone: "A1",
    startMs,
    endMs: startMs + minutes * MIN,
    status: "active",
    amountCents: 0,
    ...extra,
  };
}
function p(plate: string, fromIso: string, untilIso: string, extra: Partial<PermitView> = {}): PermitView {
  return {
    id: `p${++ids}`,
    plate,
    state: "CT",
    type: "RESIDENTIAL",
    number: "RES-2026-001",
    zones: ["A1"],
    validFromMs: T(fromIso),
    validUntilMs: T(untilIso),
    ...extra,
  };
}
const YEAR = ["2026-01-01T05:00:00Z", "2027-01-01T04:59:59Z"] as const; // a permit for all of 2026
const CT = (plate = "ABC123", state: string | null = "CT") => ({ plate, state });
const TUE10 = "2026-03-03T15:00:00Z"; // Tue 10:00 EST; a 120-minute session ends 12:00 (17:00Z)
const paid = s("ABC123", TUE10, 120);

interface Expect {
  status: VerdictStatus;
  valid: boolean;
  rec: "NO_ACTION" | "WARN" | "CITE";
  match: "exact" | "fuzzy" | null;
  plate: string | null;
  secs?: number; // seconds remaining on the reported session; absent when no session is reported
}
const E = (
  status: VerdictStatus,
  valid: boolean,
  rec: Expect["rec"],
  match: Expect["match"],
  plate: string | null,
  secs?: number,
): Expect => (secs === undefined ? { status, valid, rec, match, plate } : { status, valid, rec, match, plate, secs });

type Row = [string, ZoneRules, string, { plate: string; state: string | null }, LiveSession[], PermitView[], Expect];

const rows: Row[] = [
  // sessions and grace edges
  ["active, mid-session", A1, "2026-03-03T16:00:00Z", CT(), [paid], [], E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600)],
  ["active, at start", A1, TUE10, CT(), [paid], [], E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 7200)],
  [
    "active, last half second",
    A1,
    "2026-03-03T16:59:59.500Z",
    CT(),
    [paid],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 0),
  ],
  ["grace, exactly at end", A1, "2026-03-03T17:00:00Z", CT(), [paid], [], E("GRACE", true, "WARN", "exact", "ABC123", 0)],
  ["grace, end + grace − 1 s", A1, "2026-03-03T17:04:59Z", CT(), [paid], [], E("GRACE", true, "WARN", "exact", "ABC123", 0)],
  ["expired, end + grace", A1, "2026-03-03T17:05:00Z", CT(), [paid], [], E("EXPIRED", false, "CITE", "exact", "ABC123", 0)],
  ["expired, an hour later", A1, "2026-03-03T18:00:00Z", CT(), [paid], [], E("EXPIRED", false, "CITE", "exact", "ABC123", 0)],
  ["no record", A1, "2026-03-03T16:00:00Z", CT(), [], [], E("NO_RECORD", false, "CITE", null, null)],
  [
    "ended early, within grace",
    A1,
    "2026-03-03T15:33:00Z",
    CT(),
    [s("ABC123", TUE10, 30, { status: "ended" })],
    [],
    E("GRACE", true, "WARN", "exact", "ABC123", 0),
  ],
  [
    "ended early, after grace",
    A1,
    "2026-03-03T15:40:00Z",
    CT(),
    [s("ABC123", TUE10, 30, { status: "ended" })],
    [],
    E("EXPIRED", false, "CITE", "exact", "ABC123", 0),
  ],
  [
    "only a future session",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("ABC123", "2026-03-03T18:00:00Z", 60)],
    [],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  [
    "yesterday's expired and today's active",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("ABC123", "2026-03-02T15:00:00Z", 60), paid],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  [
    "overlapping sessions: the later end counts",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [paid, s("ABC123", "2026-03-03T15:30:00Z", 120)],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 5400),
  ],
  [
    "expired status but still inside its time",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("ABC123", TUE10, 120, { status: "expired" })],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  // enforcement hours and days
  ["07:59, before hours", A1, "2026-03-03T12:59:00Z", CT(), [], [], E("NOT_ENFORCED", true, "NO_ACTION", null, null)],
  ["08:00, hours start", A1, "2026-03-03T13:00:00Z", CT(), [], [], E("NO_RECORD", false, "CITE", null, null)],
  ["17:59:59, last enforced second", A1, "2026-03-03T22:59:59Z", CT(), [], [], E("NO_RECORD", false, "CITE", null, null)],
  ["18:00, hours end", A1, "2026-03-03T23:00:00Z", CT(), [], [], E("NOT_ENFORCED", true, "NO_ACTION", null, null)],
  [
    "Sunday, session still reported",
    A1,
    "2026-03-01T16:00:00Z",
    CT(),
    [s("ABC123", "2026-03-01T15:00:00Z", 120)],
    [],
    E("NOT_ENFORCED", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  ["Sunday, nothing", A1, "2026-03-01T16:00:00Z", CT(), [], [], E("NOT_ENFORCED", true, "NO_ACTION", null, null)],
  ["Saturday is enforced", A1, "2026-03-07T16:00:00Z", CT(), [], [], E("NO_RECORD", false, "CITE", null, null)],
  [
    "evening after an expired session",
    A1,
    "2026-03-04T00:00:00Z",
    CT(),
    [paid],
    [],
    E("NOT_ENFORCED", true, "NO_ACTION", "exact", "ABC123", 0),
  ],
  // overstay: back-to-back sessions (each starting by previous end + 5 min) past 240 minutes
  [
    "chain of 210 min",
    A1,
    "2026-03-03T18:30:00Z",
    CT(),
    [paid, s("ABC123", "2026-03-03T17:00:00Z", 120)],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 1800),
  ],
  [
    "chain re-fed 3 min after end",
    A1,
    "2026-03-03T19:10:00Z",
    CT(),
    [paid, s("ABC123", "2026-03-03T17:00:00Z", 120), s("ABC123", "2026-03-03T19:03:00Z", 60)],
    [],
    E("OVERSTAY", false, "CITE", "exact", "ABC123", 53 * 60),
  ],
  [
    "chain re-fed exactly at grace",
    A1,
    "2026-03-03T19:10:00Z",
    CT(),
    [paid, s("ABC123", "2026-03-03T17:00:00Z", 120), s("ABC123", "2026-03-03T19:05:00Z", 60)],
    [],
    E("OVERSTAY", false, "CITE", "exact", "ABC123", 55 * 60),
  ],
  [
    "gap of 6 min breaks the chain",
    A1,
    "2026-03-03T19:10:00Z",
    CT(),
    [paid, s("ABC123", "2026-03-03T17:00:00Z", 120), s("ABC123", "2026-03-03T19:06:00Z", 60)],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 56 * 60),
  ],
  [
    "chain of exactly 240 min",
    A1,
    "2026-03-03T19:00:00Z",
    CT(),
    [paid, s("ABC123", "2026-03-03T17:00:00Z", 150)],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 1800),
  ],
  [
    "chain of 240 min + 1 s",
    A1,
    "2026-03-03T19:00:01Z",
    CT(),
    [paid, s("ABC123", "2026-03-03T17:00:00Z", 150)],
    [],
    E("OVERSTAY", false, "CITE", "exact", "ABC123", 1799),
  ],
  [
    "early-ended session still starts the chain",
    A1,
    "2026-03-03T19:30:00Z",
    CT(),
    [
      s("ABC123", TUE10, 60, { status: "ended" }),
      s("ABC123", "2026-03-03T16:02:00Z", 120),
      s("ABC123", "2026-03-03T18:02:00Z", 120),
    ],
    [],
    E("OVERSTAY", false, "CITE", "exact", "ABC123", 32 * 60),
  ],
  [
    "fuzzy overstay only warns",
    A1,
    "2026-03-03T19:10:00Z",
    CT(),
    [s("A8C123", TUE10, 120), s("A8C123", "2026-03-03T17:00:00Z", 120), s("A8C123", "2026-03-03T19:03:00Z", 60)],
    [],
    E("OVERSTAY", false, "WARN", "fuzzy", "A8C123", 53 * 60),
  ],
  // permits
  [
    "valid permit",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("ABC123", ...YEAR)],
    E("PERMITTED", true, "NO_ACTION", "exact", "ABC123"),
  ],
  [
    "valid permit beats an expired session",
    A1,
    "2026-03-03T18:00:00Z",
    CT(),
    [paid],
    [p("ABC123", ...YEAR)],
    E("PERMITTED", true, "NO_ACTION", "exact", "ABC123", 0),
  ],
  [
    "permit on Sunday",
    A1,
    "2026-03-01T16:00:00Z",
    CT(),
    [],
    [p("ABC123", ...YEAR)],
    E("PERMITTED", true, "NO_ACTION", "exact", "ABC123"),
  ],
  [
    "expired permit",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("ABC123", "2026-01-01T05:00:00Z", "2026-02-01T05:00:00Z")],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  [
    "permit not yet valid",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("ABC123", "2026-04-01T04:00:00Z", "2026-05-01T04:00:00Z")],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  [
    "permit ends exactly now",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("ABC123", "2026-01-01T05:00:00Z", "2026-03-03T16:00:00Z")],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  [
    "permit starts exactly now",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("ABC123", "2026-03-03T16:00:00Z", "2026-03-04T16:00:00Z")],
    E("PERMITTED", true, "NO_ACTION", "exact", "ABC123"),
  ],
  [
    "permit for another zone",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("ABC123", ...YEAR, { zones: ["B1"] })],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  [
    "other-zone permit, expired session",
    A1,
    "2026-03-03T18:00:00Z",
    CT(),
    [paid],
    [p("ABC123", ...YEAR, { zones: ["B1"] })],
    E("EXPIRED", false, "CITE", "exact", "ABC123", 0),
  ],
  [
    "revoked permit is not passed: the session decides",
    A1,
    "2026-03-03T18:00:00Z",
    CT(),
    [paid],
    [],
    E("EXPIRED", false, "CITE", "exact", "ABC123", 0),
  ],
  [
    "permit in several zones",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("ABC123", ...YEAR, { type: "VISITOR", zones: ["B1", "A1"] })],
    E("PERMITTED", true, "NO_ACTION", "exact", "ABC123"),
  ],
  [
    "permit for another state",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("ABC123", ...YEAR, { state: "NY" })],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  [
    "fuzzy permit only",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("A8C123", ...YEAR)],
    E("PERMITTED", true, "WARN", "fuzzy", "A8C123"),
  ],
  [
    "fuzzy permit, exact active session",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [paid],
    [p("A8C123", ...YEAR)],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  [
    "fuzzy permit, exact expired session",
    A1,
    "2026-03-03T18:00:00Z",
    CT(),
    [paid],
    [p("A8C123", ...YEAR)],
    E("PERMITTED", true, "WARN", "fuzzy", "A8C123", 0),
  ],
  [
    "fuzzy permit outside hours",
    A1,
    "2026-03-01T16:00:00Z",
    CT(),
    [],
    [p("A8C123", ...YEAR)],
    E("NOT_ENFORCED", true, "NO_ACTION", null, null),
  ],
  [
    "exact and fuzzy permits",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [],
    [p("A8C123", ...YEAR), p("ABC123", ...YEAR)],
    E("PERMITTED", true, "NO_ACTION", "exact", "ABC123"),
  ],
  // fuzzy sessions: every confusable pair, never exact, never CITE
  ...(
    [
      ["7OX420", "70X420"],
      ["I23ABC", "123ABC"],
      ["B12XYZ", "812XYZ"],
      ["S12XYZ", "512XYZ"],
      ["Z12XYZ", "212XYZ"],
      ["D12XYZ", "012XYZ"],
      ["Q12XYZ", "012XYZ"],
      ["D12XYZ", "Q12XYZ"],
      ["O12XYZ", "D12XYZ"],
    ] as const
  ).map(
    ([read, stored]): Row => [
      `misread ${read} for ${stored}`,
      A1,
      "2026-03-03T16:00:00Z",
      CT(read),
      [s(stored, TUE10, 120)],
      [],
      E("ACTIVE", true, "WARN", "fuzzy", stored, 3600),
    ],
  ),
  [
    "fuzzy expired only warns",
    A1,
    "2026-03-03T18:00:00Z",
    CT(),
    [s("A8C123", TUE10, 120)],
    [],
    E("EXPIRED", false, "WARN", "fuzzy", "A8C123", 0),
  ],
  [
    "fuzzy grace",
    A1,
    "2026-03-03T17:02:00Z",
    CT(),
    [s("A8C123", TUE10, 120)],
    [],
    E("GRACE", true, "WARN", "fuzzy", "A8C123", 0),
  ],
  [
    "exact preferred to fuzzy",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("A8C123", TUE10, 240), paid],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  [
    "exact expired, fuzzy active",
    A1,
    "2026-03-03T18:00:00Z",
    CT(),
    [paid, s("A8C123", "2026-03-03T17:30:00Z", 60)],
    [],
    E("ACTIVE", true, "WARN", "fuzzy", "A8C123", 1800),
  ],
  [
    "exact expired, fuzzy expired",
    A1,
    "2026-03-03T18:00:00Z",
    CT(),
    [paid, s("A8C123", TUE10, 60)],
    [],
    E("EXPIRED", false, "CITE", "exact", "ABC123", 0),
  ],
  [
    "query typed with dashes and lowercase",
    A1,
    "2026-03-03T16:00:00Z",
    CT("abc-123"),
    [paid],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  [
    "query misread twice",
    A1,
    "2026-03-03T16:00:00Z",
    CT("A8C-I23"),
    [paid],
    [],
    E("ACTIVE", true, "WARN", "fuzzy", "ABC123", 3600),
  ],
  [
    "unrelated plate passed anyway",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("ABC124", TUE10, 120)],
    [],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  // states
  [
    "state mismatch is another vehicle",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("ABC123", TUE10, 120, { state: "NY" })],
    [],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  [
    "query without state",
    A1,
    "2026-03-03T16:00:00Z",
    CT("ABC123", null),
    [s("ABC123", TUE10, 120, { state: "NY" })],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  [
    "session without state",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("ABC123", TUE10, 120, { state: null })],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  [
    "state in lowercase",
    A1,
    "2026-03-03T16:00:00Z",
    CT("ABC123", "ct"),
    [paid],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 3600),
  ],
  [
    "other state exact, same state fuzzy",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("ABC123", TUE10, 120, { state: "NY" }), s("A8C123", TUE10, 120)],
    [],
    E("ACTIVE", true, "WARN", "fuzzy", "A8C123", 3600),
  ],
  [
    "session recorded in another zone",
    A1,
    "2026-03-03T16:00:00Z",
    CT(),
    [s("ABC123", TUE10, 120, { zone: "B1" })],
    [],
    E("NO_RECORD", false, "CITE", null, null),
  ],
  // DST switch days in New York (both are Sundays, so A1 is not enforced on them)
  ["spring-forward Sunday in A1", A1, "2026-03-08T16:00:00Z", CT(), [], [], E("NOT_ENFORCED", true, "NO_ACTION", null, null)],
  [
    "Monday after spring forward, 07:30 EDT",
    A1,
    "2026-03-09T11:30:00Z",
    CT(),
    [],
    [],
    E("NOT_ENFORCED", true, "NO_ACTION", null, null),
  ],
  ["Monday after spring forward, 08:00 EDT", A1, "2026-03-09T12:00:00Z", CT(), [], [], E("NO_RECORD", false, "CITE", null, null)],
  [
    "Monday after spring forward, paid 08:00–10:00 EDT",
    A1,
    "2026-03-09T13:30:00Z",
    CT(),
    [s("ABC123", "2026-03-09T12:00:00Z", 120)],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 1800),
  ],
  ["Saturday before fall back, 17:59 EDT", A1, "2026-10-31T21:59:00Z", CT(), [], [], E("NO_RECORD", false, "CITE", null, null)],
  [
    "Saturday before fall back, 18:00 EDT",
    A1,
    "2026-10-31T22:00:00Z",
    CT(),
    [],
    [],
    E("NOT_ENFORCED", true, "NO_ACTION", null, null),
  ],
  [
    "Monday after fall back, 07:30 EST",
    A1,
    "2026-11-02T12:30:00Z",
    CT(),
    [],
    [],
    E("NOT_ENFORCED", true, "NO_ACTION", null, null),
  ],
  ["Monday after fall back, 08:00 EST", A1, "2026-11-02T13:00:00Z", CT(), [], [], E("NO_RECORD", false, "CITE", null, null)],
  // B2 is enforced around the clock; 01:00 EST + 120 real minutes ends at 04:00 EDT (08:00Z)
  [
    "spring forward, 03:30 EDT",
    B2,
    "2026-03-08T07:30:00Z",
    CT(),
    [s("ABC123", "2026-03-08T06:00:00Z", 120, { zone: "B2" })],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 1800),
  ],
  [
    "spring forward, grace − 1 s",
    B2,
    "2026-03-08T08:09:59Z",
    CT(),
    [s("ABC123", "2026-03-08T06:00:00Z", 120, { zone: "B2" })],
    [],
    E("GRACE", true, "WARN", "exact", "ABC123", 0),
  ],
  [
    "spring forward, grace over",
    B2,
    "2026-03-08T08:10:00Z",
    CT(),
    [s("ABC123", "2026-03-08T06:00:00Z", 120, { zone: "B2" })],
    [],
    E("EXPIRED", false, "CITE", "exact", "ABC123", 0),
  ],
  // 01:30 EDT + 60 real minutes ends at the second 01:30 (EST, 06:30Z)
  [
    "fall back, second 01:15",
    B2,
    "2026-11-01T06:15:00Z",
    CT(),
    [s("ABC123", "2026-11-01T05:30:00Z", 60, { zone: "B2" })],
    [],
    E("ACTIVE", true, "NO_ACTION", "exact", "ABC123", 900),
  ],
  [
    "fall back, grace − 1 s",
    B2,
    "2026-11-01T06:39:59Z",
    CT(),
    [s("ABC123", "2026-11-01T05:30:00Z", 60, { zone: "B2" })],
    [],
    E("GRACE", true, "WARN", "exact", "ABC123", 0),
  ],
  [
    "fall back, grace over",
    B2,
    "2026-11-01T06:40:00Z",
    CT(),
    [s("ABC123", "2026-11-01T05:30:00Z", 60, { zone: "B2" })],
    [],
    E("EXPIRED", false, "CITE", "exact", "ABC123", 0),
  ],
  // max stay counts real minutes: 00:00 EDT to 11:00 EST is 12 h, plus 30 min
  [
    "overstay across fall back",
    B2,
    "2026-11-01T16:30:00Z",
    CT(),
    [s("ABC123", "2026-11-01T04:00:00Z", 720, { zone: "B2" }), s("ABC123", "2026-11-01T16:00:00Z", 60, { zone: "B2" })],
    [],
    E("OVERSTAY", false, "CITE", "exact", "ABC123", 1800),
  ],
];

describe("evaluatePlate", () => {
  it("has at least 40 cases", () => expect(rows.length).toBeGreaterThanOrEqual(40));

  it.each(rows)("%s", (_name, rules, atIso, query, sessions, permits, e) => {
    const v = evaluatePlate({ rules, atMs: T(atIso), query, sessions, permits });
    const got: Expect = {
      status: v.status,
      valid: v.valid,
      rec: v.enforcementRecommendation,
      match: v.matchType,
      plate: v.matchedPlate,
    };
    if (v.session) got.secs = v.session.secondsRemaining;
    expect(got).toEqual(e);
    if (v.matchType === "fuzzy") expect(v.enforcementRecommendation).not.toBe("CITE");
    expect(v.reason.length).toBeGreaterThan(0);
  });
});

describe("evaluatePlate reasons and permit list", () => {
  const chain = [paid, s("ABC123", "2026-03-03T17:00:00Z", 120), s("ABC123", "2026-03-03T19:03:00Z", 60)];
  it.each<[string, string, LiveSession[], PermitView[], string]>([
    ["active", "2026-03-03T16:00:00Z", [paid], [], "Paid until 12:00; 1h00m remaining."],
    ["active, minutes only", "2026-03-03T16:35:30Z", [paid], [], "Paid until 12:00; 24m remaining."],
    ["grace", "2026-03-03T17:00:00Z", [paid], [], "Paid time ended at 12:00; within the 5-minute grace period."],
    ["expired today", "2026-03-03T18:00:00Z", [paid], [], "Paid time expired at 12:00."],
    ["expired yesterday", "2026-03-04T16:00:00Z", [paid], [], "Paid time expired at 2026-03-03 12:00."],
    ["overstay", "2026-03-03T19:10:00Z", chain, [], "Parked since 10:00, over the 4h00m maximum stay."],
    ["no record", "2026-03-03T16:00:00Z", [], [], "No paid session or permit for this plate."],
    ["not enforced", "2026-03-01T16:00:00Z", [], [], "Not enforced at this time."],
    [
      "not enforced, fuzzy session only",
      "2026-03-01T16:00:00Z",
      [s("A8C123", "2026-03-01T15:00:00Z", 120)],
      [],
      "Not enforced at this time.",
    ],
    [
      "permit",
      "2026-03-03T16:00:00Z",
      [],
      [p("ABC123", ...YEAR)],
      "Residential permit RES-2026-001 valid until 2026-12-31 23:59.",
    ],
    [
      "fuzzy session",
      "2026-03-03T16:00:00Z",
      [s("A8C123", TUE10, 120)],
      [],
      "Confirm plate A8C123: paid until 12:00; 1h00m remaining.",
    ],
  ])("%s", (_name, atIso, sessions, permits, reason) => {
    expect(evaluatePlate({ rules: A1, atMs: T(atIso), query: CT(), sessions, permits }).reason).toBe(reason);
  });

  it("lists the permits valid here and now, exact first", () => {
    const permits = [
      p("A8C123", ...YEAR, { number: "F" }),
      p("ABC123", ...YEAR, { number: "E" }),
      p("ABC123", "2025-01-01T05:00:00Z", "2026-01-01T05:00:00Z", { number: "OLD" }),
      p("ABC123", ...YEAR, { number: "ELSEWHERE", zones: ["B1"] }),
    ];
    const v = evaluatePlate({ rules: A1, atMs: T("2026-03-03T16:00:00Z"), query: CT(), sessions: [], permits });
    expect(v.permits.map((x) => [x.number, x.matchType])).toEqual([
      ["E", "exact"],
      ["F", "fuzzy"],
    ]);
  });

  it("reports the session with its match type and remaining seconds", () => {
    const v = evaluatePlate({ rules: A1, atMs: T("2026-03-03T16:00:00Z"), query: CT(), sessions: [paid], permits: [] });
    expect(v.session).toEqual({ ...paid, secondsRemaining: 3600, matchType: "exact" });
  });
});

describe("the stay gap and per-slot limits", () => {
  // Two hours, then 20 minutes away, then three hours: one 5h20 stay if 20 minutes is within the gap.
  const first = s("GAP100", "2026-03-03T14:00:00Z", 120); // 09:00–11:00 local
  const second = s("GAP100", "2026-03-03T16:20:00Z", 180); // 11:20–14:20 local
  const check = (stayGapMinutes: number, rules: ZoneRules = A1) =>
    evaluatePlate({
      rules,
      atMs: T("2026-03-03T18:30:00Z"), // 13:30 local
      query: CT("GAP100"),
      sessions: [first, second],
      permits: [],
      stayGapMinutes,
    }).status;

  it("joins sessions into one stay by the tenant's gap, not the zone's grace", () => {
    expect(check(30)).toBe("OVERSTAY"); // parked since 09:00: 4h30 is over 4 h
    expect(check(15)).toBe("ACTIVE"); // the stay began at 11:20
  });

  it("holds the stay to the maximum of the slot it began in", () => {
    const longMornings: ZoneRules = {
      ...A1,
      rateSlots: [{ days: ["TUE"], start: "08:00", end: "18:00", rateCentsPerHour: 200, maxStayMinutes: 480 }],
    };
    expect(check(30, longMornings)).toBe("ACTIVE");
  });

  it("gives lapsed time the grace of the slot it ended in", () => {
    const lapsed = s("GRC100", "2026-03-03T15:00:00Z", 60); // ended 11:00 local
    const graceful: ZoneRules = {
      ...A1,
      rateSlots: [{ days: ["TUE"], start: "08:00", end: "18:00", rateCentsPerHour: 200, graceMinutes: 20 }],
    };
    const at = T("2026-03-03T16:15:00Z"); // 15 minutes after the end
    const status = (rules: ZoneRules) =>
      evaluatePlate({ rules, atMs: at, query: CT("GRC100"), sessions: [lapsed], permits: [] }).status;
    expect(status(A1)).toBe("EXPIRED"); // the zone's 5 minutes
    expect(status(graceful)).toBe("GRACE");
  });
});
