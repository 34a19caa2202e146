import { describe, expect, it } from "vitest";
import {
  applyAction,
  amountDueCents,
  CITATION_STATUSES,
  checkStatusText,
  citationEventType,
  type CitationAction,
  type CitationState,
  type CitationStatus,
  collectionsDue,
  escalationDue,
  generatedCitationNumber,
  issueBlocker,
  TRANSITIONS,
  type ViolationCode,
} from "../../../src/domain/citations";

const DAY = 86_400_000;
const ISSUED_AT = Date.UTC(2026, 0, 5, 12, 15);
const ACTIONS: CitationAction[] = ["pay", "void", "appeal", "uphold", "dismiss", "escalate", "collect"];
const PKG001: ViolationCode = {
  code: "PKG-001",
  name: "Expired meter",
  fineCents: 2500,
  escalateAfterDays: 30,
  lateFeeCents: 1500,
};

const citation = (status: CitationStatus, lateFeeCents = 0): CitationState => ({
  status,
  fineCents: 2500,
  lateFeeCents,
  issuedAtMs: ISSUED_AT,
});

// Written out by hand, independently of TRANSITIONS, so a change to the table has to change this too.
const ALLOWED: [CitationStatus, CitationAction, CitationStatus][] = [
  ["issued", "pay", "paid"],
  ["issued", "void", "voided"],
  ["issued", "appeal", "appealed"],
  ["issued", "escalate", "escalated"],
  ["appealed", "uphold", "upheld"],
  ["appealed", "dismiss", "dismissed"],
  ["upheld", "pay", "paid"],
  ["upheld", "escalate", "escalated"],
  ["escalated", "pay", "paid"],
  ["escalated", "collect", "in_collections"],
  ["in_collections", "pay", "paid"],
];

describe("citation lifecycle", () => {
  it.each(ALLOWED)("%s --%s--> %s", (from, action, to) => {
    const r = applyAction(citation(from), action, ISSUED_AT + DAY, { reason: "officer noted", lateFeeCents: 1500 });
    expect(r).toMatchObject({ ok: true, citation: { status: to }, transition: { from, to, action, atMs: ISSUED_AT + DAY } });
  });

  it("refuses every other pair, naming the state and what it allows", () => {
    const allowed = new Set(ALLOWED.map(([from, action]) => `${from}:${action}`));
    let refused = 0;
    for (const from of CITATION_STATUSES)
      for (const action of ACTIONS) {
        if (allowed.has(`${from}:${action}`)) continue;
        const r = applyAction(citation(from), action, ISSUED_AT, { reason: "x" });
        expect(r).toEqual({ ok: false, refusal: "not-allowed", from, action, allowed: Object.keys(TRANSITIONS[from]) });
        refused++;
      }
    expect(refused).toBe(CITATION_STATUSES.length * ACTIONS.length - ALLOWED.length);
  });

  it("paid, voided and dismissed are final: nothing is due and nothing moves them", () => {
    for (const s of ["paid", "voided", "dismissed"] as const) {
      expect(amountDueCents(citation(s, 1500))).toBe(0);
      for (const action of ACTIONS) expect(applyAction(citation(s), action, ISSUED_AT, { reason: "x" }).ok).toBe(false);
    }
  });

  it("a void, an appeal and a dismissal need a reason; blank counts as none and the reason is kept trimmed", () => {
    expect(applyAction(citation("issued"), "void", ISSUED_AT)).toEqual({ ok: false, refusal: "reason-required", action: "void" });
    expect(applyAction(citation("issued"), "appeal", ISSUED_AT, { reason: "   " })).toEqual({
      ok: false,
      refusal: "reason-required",
      action: "appeal",
    });
    expect(applyAction(citation("appealed"), "dismiss", ISSUED_AT, { reason: null })).toMatchObject({
      refusal: "reason-required",
    });
    const voided = applyAction(citation("issued"), "void", ISSUED_AT, { reason: "  wrong plate read  " });
    expect(voided).toMatchObject({ ok: true, transition: { reason: "wrong plate read" } });
    expect(applyAction(citation("issued"), "pay", ISSUED_AT)).toMatchObject({ ok: true, transition: { reason: null } });
  });

  it("escalation adds the late fee once, and only escalation does", () => {
    const escalated = applyAction(citation("issued"), "escalate", ISSUED_AT, { lateFeeCents: 1500 });
    expect(escalated).toMatchObject({ ok: true, citation: { status: "escalated", lateFeeCents: 1500 } });
    if (!escalated.ok) throw new Error("unreachable");
    expect(amountDueCents(escalated.citation)).toBe(4000);
    expect(applyAction(escalated.citation, "escalate", ISSUED_AT, { lateFeeCents: 1500 }).ok).toBe(false);
    expect(applyAction(citation("issued"), "pay", ISSUED_AT, { lateFeeCents: 1500 })).toMatchObject({
      citation: { lateFeeCents: 0 },
    });
    expect(applyAction(citation("issued"), "escalate", ISSUED_AT, { lateFeeCents: -5 })).toMatchObject({
      citation: { lateFeeCents: 0 },
    });
  });
});

describe("escalation and collections are due once", () => {
  it("escalates an unpaid citation from exactly the code's days after issue", () => {
    expect(escalationDue(citation("issued"), PKG001, ISSUED_AT + 30 * DAY - 1)).toBe(false);
    expect(escalationDue(citation("issued"), PKG001, ISSUED_AT + 30 * DAY)).toBe(true);
    expect(escalationDue(citation("upheld"), PKG001, ISSUED_AT + 31 * DAY)).toBe(true);
  });

  it("never escalates what is under appeal, final, already escalated, or under a code that does not escalate", () => {
    const late = ISSUED_AT + 365 * DAY;
    for (const s of ["appealed", "escalated", "in_collections", "paid", "voided", "dismissed"] as const)
      expect(escalationDue(citation(s), PKG001, late)).toBe(false);
    expect(escalationDue(citation("issued"), { ...PKG001, escalateAfterDays: null }, late)).toBe(false);
  });

  it("a second cron run finds nothing: escalation and the hand-off each change the state they test", () => {
    const now = ISSUED_AT + 40 * DAY;
    let c = citation("issued");
    const runCron = () => {
      let changed = 0;
      if (escalationDue(c, PKG001, now)) {
        const r = applyAction(c, "escalate", now, { lateFeeCents: PKG001.lateFeeCents });
        if (r.ok) (c = r.citation), changed++;
      }
      if (collectionsDue(c)) {
        const r = applyAction(c, "collect", now);
        if (r.ok) (c = r.citation), changed++;
      }
      return changed;
    };
    expect(runCron()).toBe(2);
    expect(c).toEqual({ status: "in_collections", fineCents: 2500, lateFeeCents: 1500, issuedAtMs: ISSUED_AT });
    expect(runCron()).toBe(0);
    expect(c.lateFeeCents).toBe(1500);
  });
});

describe("issuing checks the plate first", () => {
  it("a paid, graced or permitted plate stops a citation, each with its own reason", () => {
    expect(issueBlocker({ status: "ACTIVE", matchType: "exact" })).toContain("paid time running");
    expect(issueBlocker({ status: "GRACE", matchType: "exact" })).toContain("grace minutes");
    expect(issueBlocker({ status: "PERMITTED", matchType: "exact" })).toContain("permit valid");
  });

  it("a fuzzy match stops a citation whatever it says, since the plate may be misread", () => {
    for (const status of ["ACTIVE", "GRACE", "PERMITTED", "EXPIRED", "OVERSTAY", "NOT_ENFORCED"] as const)
      expect(issueBlocker({ status, matchType: "fuzzy" }), status).toContain("fuzzily");
  });

  it("expired, overstayed, unknown and unenforced plates may be cited", () => {
    for (const status of ["EXPIRED", "OVERSTAY", "NOT_ENFORCED"] as const)
      expect(issueBlocker({ status, matchType: "exact" }), status).toBeNull();
    expect(issueBlocker({ status: "NO_RECORD", matchType: null })).toBeNull();
    expect(issueBlocker({ status: "NOT_ENFORCED", matchType: null })).toBeNull();
  });

  it("keeps the check on the citation as its status, marked when fuzzy", () => {
    expect(checkStatusText({ status: "NO_RECORD", matchType: null })).toBe("NO_RECORD");
    expect(checkStatusText({ status: "ACTIVE", matchType: "fuzzy" })).toBe("ACTIVE:fuzzy");
  });
});

describe("citation events and numbers", () => {
  it("names each event after the status it reaches, so escalation and collections need no new code", () => {
    expect(CITATION_STATUSES.map(citationEventType)).toEqual([
      "citation.issued",
      "citation.appealed",
      "citation.upheld",
      "citation.escalated",
      "citation.in_collections",
      "citation.paid",
      "citation.voided",
      "citation.dismissed",
    ]);
  });

  it("a generated number carries the tenant and the issue year (UTC)", () => {
    expect(generatedCitationNumber("demo", Date.UTC(2026, 11, 31, 23, 59), "7KQ2M9XV")).toBe("DEMO-2026-7KQ2M9XV");
    expect(generatedCitationNumber("city_of-x.y", Date.UTC(2027, 0, 1), "AB")).toBe("CITYOFXY-2027-AB");
    expect(generatedCitationNumber("__", Date.UTC(2027, 0, 1), "AB")).toBe("CIT-2027-AB");
  });
});
