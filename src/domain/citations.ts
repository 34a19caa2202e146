// A citation's lifecycle as a table of allowed transitions, the escalation rule of a city's violation
// codes, and what a plate check must say before a citation may be issued at all. Pure: storage keeps the citation, routes and the cron ask this what an action does,
// and a refusal is a value naming the state and the action (the route answers it with 409).
//
//   issued ──pay──▶ paid            issued ──void(reason)──▶ voided
//   issued ──appeal──▶ appealed ──uphold──▶ upheld ──pay──▶ paid
//                               └─dismiss─▶ dismissed
//   issued | upheld ──escalate (unpaid past the code's days)──▶ escalated ──pay──▶ paid
//   escalated ──collect──▶ in_collections ──pay──▶ paid
//
// paid, voided and dismissed are final. An appeal, a void and a dismissal need a reason; escalation adds
// the code's late fee once.

import type { MatchType, VerdictStatus } from "./types";

export const CITATION_STATUSES = [
  "issued",
  "appealed",
  "upheld",
  "escalated",
  "in_collections",
  "paid",
  "voided",
  "dismissed",
] as const;
export type CitationStatus = (typeof CITATION_STATUSES)[number];

export type CitationAction = "pay" | "void" | "appeal" | "uphold" | "dismiss" | "escalate" | "collect";

/** For each status, the actions it allows and where each leads. A missing entry is a refused action. */
export const TRANSITIONS: Readonly<Record<CitationStatus, Readonly<Partial<Record<CitationAction, CitationStatus>>>>> = {
  issued: { pay: "paid", void: "voided", appeal: "appealed", escalate: "escalated" },
  appealed: { uphold: "upheld", dismiss: "dismissed" },
  upheld: { pay: "paid", escalate: "escalated" },
  escalated: { pay: "paid", collect: "in_collections" },
  in_collections: { pay: "paid" },
  paid: {},
  voided: {},
  dismissed: {},
};

/** Actions a person must explain; the reason is kept on the transition. */
const NEEDS_REASON: ReadonlySet<CitationAction> = new Set(["void", "appeal", "dismiss"]);

/** A city's violation code: its fine, and when and by how much an unpaid citation escalates. */
export interface ViolationCode {
  code: string;
  name: string;
  fineCents: number;
  /** Days after issue an unpaid citation escalates; null: it never does. */
  escalateAfterDays: number | null;
  lateFeeCents: number;
}

export interface CitationState {
  status: CitationStatus;
  fineCents: number;
  lateFeeCents: number;
  issuedAtMs: number;
}

export interface Transition {
  from: CitationStatus;
  to: CitationStatus;
  action: CitationAction;
  atMs: number;
  reason: string | null;
}

export type TransitionResult =
  | { ok: true; citation: CitationState; transition: Transition }
  | { ok: false; refusal: "not-allowed"; from: CitationStatus; action: CitationAction; allowed: CitationAction[] }
  | { ok: false; refusal: "reason-required"; action: CitationAction };

export const isFinal = (status: CitationStatus): boolean => Object.keys(TRANSITIONS[status]).length === 0;

export const allowedActions = (status: CitationStatus): CitationAction[] => Object.keys(TRANSITIONS[status]) as CitationAction[];

/** What the amount due is: the fine plus any late fee, nothing once paid, voided or dismissed. */
export const amountDueCents = (c: CitationState): number => (isFinal(c.status) ? 0 : c.fineCents + c.lateFeeCents);

/**
 * Applies one action. `lateFeeCents` is what escalation adds (the code's late fee); it is ignored for
 * every other action. A reason is trimmed; an empty one counts as none.
 */
export function applyAction(
  c: CitationState,
  action: CitationAction,
  atMs: number,
  opts: { reason?: string | null; lateFeeCents?: number } = {},
): TransitionResult {
  const to = TRANSITIONS[c.status][action];
  if (!to) return { ok: false, refusal: "not-allowed", from: c.status, action, allowed: allowedActions(c.status) };
  const reason = opts.reason?.trim() || null;
  if (NEEDS_REASON.has(action) && !reason) return { ok: false, refusal: "reason-required", action };
  const lateFeeCents = action === "escalate" ? c.lateFeeCents + Math.max(0, opts.lateFeeCents ?? 0) : c.lateFeeCents;
  return {
    ok: true,
    citation: { ...c, status: to, lateFeeCents },
    transition: { from: c.status, to, action, atMs, reason },
  };
}

const DAY = 86_400_000;

/**
 * Whether the escalation cron should escalate this citation now: it can still escalate (issued or
 * upheld), its code escalates, and the code's days have passed since issue. Escalated citations never
 * qualify again, which is what makes a second cron run harmless.
 */
export function escalationDue(c: CitationState, code: ViolationCode, nowMs: number): boolean {
  if (code.escalateAfterDays === null) return false;
  if (!TRANSITIONS[c.status].escalate) return false;
  return nowMs >= c.issuedAtMs + code.escalateAfterDays * DAY;
}

/** Whether the collections hand-off is due: escalated and not yet handed over (the transition makes it once). */
export const collectionsDue = (c: CitationState): boolean => Boolean(TRANSITIONS[c.status].collect);

/**
 * The event a citation publishes when it reaches `status`: "citation.issued", "citation.paid", …,
 * "citation.escalated", "citation.in_collections". Derived from the status, so a new transition brings
 * its event with it.
 */
export const citationEventType = (status: CitationStatus) => `citation.${status}`;

/** What the plate check said at the issue time, as far as issuing cares. */
export interface IssueCheck {
  status: VerdictStatus;
  matchType: MatchType | null;
}

/**
 * Why a plate check stops a citation, or null when it does not. A plate that is paid (ACTIVE), in its
 * grace minutes (GRACE) or permitted (PERMITTED) is legal by the city's own records; a record that
 * matches only fuzzily may be this car misread, and the officer must look again. The officer can still
 * issue with a reason (an override). NOT_ENFORCED does not stop a citation: standing violations (a
 * hydrant, a bus stop) apply at all hours, and the status is kept on the citation for review.
 */
export function issueBlocker(check: IssueCheck): string | null {
  if (check.matchType === "fuzzy") return `the plate matches a ${check.status} record only fuzzily (a misread plate is possible)`;
  switch (check.status) {
    case "ACTIVE":
      return "the plate has paid time running in this zone";
    case "GRACE":
      return "the plate's paid time ended within the zone's grace minutes";
    case "PERMITTED":
      return "the plate holds a permit valid in this zone";
    default:
      return null;
  }
}

/** How a plate check is kept on a citation: the status, with ":fuzzy" when the match was fuzzy. */
export const checkStatusText = (check: IssueCheck) => (check.matchType === "fuzzy" ? `${check.status}:fuzzy` : check.status);

/**
 * A citation number for a citation whose sender gave none: the tenant, the issue year (UTC) and a random
 * part, e.g. "DEMO-2026-7KQ2M9XV". The random part is the caller's (from Crockford's alphabet, so it
 * reads aloud without O/0 or I/1 confusion); numbers are unique per tenant, which storage enforces.
 */
export function generatedCitationNumber(tenantId: string, issuedAtMs: number, random: string): string {
  const tenant =
    tenantId
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "")
      .slice(0, 12) || "CIT";
  return `${tenant}-${new Date(issuedAtMs).getUTCFullYear()}-${random}`;
}
