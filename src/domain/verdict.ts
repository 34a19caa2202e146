// The officer's question, "is this plate paid or permitted here, right now?", answered from a zone's live records.
//
// Precedence, first that applies decides (exact matches are always preferred to fuzzy ones):
// 1. an exact-match permit valid at `at` for this zone -> PERMITTED, valid, NO_ACTION
// 2. outside enforcement hours/days -> NOT_ENFORCED, valid, NO_ACTION (the best session is still reported)
// 3. an exact-match session covering `at` -> ACTIVE, NO_ACTION; but if the vehicle's chain of back-to-back
//    sessions (a stay: each starting by the previous end + the tenant's stay gap, stays.ts) has lasted
//    over the maximum stay of the slot it began in -> OVERSTAY, CITE
// 4. an exact-match session that ended less than the grace (of the slot it ended in) ago -> GRACE, valid, WARN
// 5. a fuzzy-only record that would make the car legal (permit, covering session, grace) -> same status, WARN:
//    the officer must confirm the plate. It is tried after the exact steps so a confusable neighbour's
//    permit never hides this plate's own session, and before CITE so a misread never gets a ticket.
// 6. exact sessions otherwise: OVERSTAY (step 3) or EXPIRED -> not valid, CITE
// 7. fuzzy sessions that overstayed or expired -> not valid, WARN (never CITE on a fuzzy match)
// 8. nothing -> NO_RECORD, not valid, CITE
import { formatClock, localParts } from "./clock";
import { classifyMatch } from "./plates";
import { graceMinutesAt, isEnforced, maxStayMinutesAt } from "./rules";
import { type Span, stays } from "./stays";
import type { EnforcementRecommendation, LiveSession, MatchType, PermitView, Verdict, VerdictStatus, ZoneRules } from "./types";

export interface PlateCheck {
  rules: ZoneRules;
  atMs: number;
  query: { plate: string; state: string | null };
  /** Every stored session of this zone whose plate key equals the query's (may include other vehicles). */
  sessions: LiveSession[];
  /** Every stored, unrevoked permit whose plate key equals the query's. */
  permits: PermitView[];
  /** Minutes away that start a new stay (the tenant's setting; the sale uses the same). Default: the zone's grace. */
  stayGapMinutes?: number;
}

const MINUTE = 60_000;
type SessionStatus = "ACTIVE" | "OVERSTAY" | "GRACE" | "EXPIRED";
const RANK: Record<SessionStatus, number> = { ACTIVE: 0, GRACE: 1, OVERSTAY: 2, EXPIRED: 3 };

interface Standing {
  status: SessionStatus;
  session: LiveSession;
  chainStartMs: number;
}

/** Where one vehicle (one plate) stands at `at`, from its sessions that have started by then. */
function vehicleStanding(started: LiveSession[], rules: ZoneRules, at: number, gapMs: number): Standing {
  const covering = started.filter((s) => at < s.endMs).sort((a, b) => b.endMs - a.endMs)[0];
  if (covering) {
    // The last stay holds the covering session, since nothing starts after `at` (stays.ts: the same rule
    // refuses a sale that would overstay).
    const blockStart = (stays(started, gapMs).at(-1) as Span).startMs;
    const over = at - blockStart > maxStayMinutesAt(rules, blockStart) * MINUTE;
    return { status: over ? "OVERSTAY" : "ACTIVE", session: covering, chainStartMs: blockStart };
  }
  const latest = [...started].sort((a, b) => b.endMs - a.endMs)[0] as LiveSession;
  const graceMs = graceMinutesAt(rules, latest.endMs) * MINUTE;
  return { status: at < latest.endMs + graceMs ? "GRACE" : "EXPIRED", session: latest, chainStartMs: latest.startMs };
}

/** The best standing among the vehicles in a match set (a fuzzy set can hold several plates). */
function bestStanding(sessions: LiveSession[], rules: ZoneRules, at: number, gapMs: number): Standing | null {
  const byPlate = new Map<string, LiveSession[]>();
  for (const s of sessions) {
    if (s.startMs > at) continue; // future bookings say nothing about now
    const list = byPlate.get(s.plate);
    if (list) list.push(s);
    else byPlate.set(s.plate, [s]);
  }
  let best: Standing | null = null;
  for (const group of byPlate.values()) {
    const st = vehicleStanding(group, rules, at, gapMs);
    const better =
      !best ||
      RANK[st.status] < RANK[best.status] ||
      (RANK[st.status] === RANK[best.status] && st.session.endMs > best.session.endMs);
    if (better) best = st;
  }
  return best;
}

function durationLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}m` : `${h}h${String(m).padStart(2, "0")}m`;
}

export function evaluatePlate(input: PlateCheck): Verdict {
  const { rules, atMs: at, query } = input;
  const tz = rules.timezone;
  const atYmd = localParts(at, tz).ymd;
  const when = (ms: number): string => {
    const p = localParts(ms, tz);
    return p.ymd === atYmd ? formatClock(p.minuteOfDay) : `${p.ymd} ${formatClock(p.minuteOfDay)}`;
  };

  const permits: (PermitView & { matchType: MatchType })[] = [];
  for (const p of input.permits) {
    const matchType = classifyMatch(query, p);
    if (matchType && p.zones.includes(rules.code) && p.validFromMs <= at && at < p.validUntilMs)
      permits.push({ ...p, matchType });
  }
  permits.sort((a, b) => (a.matchType === b.matchType ? b.validUntilMs - a.validUntilMs : a.matchType === "exact" ? -1 : 1));
  const exact: LiveSession[] = [];
  const fuzzy: LiveSession[] = [];
  for (const s of input.sessions) {
    if (s.zone !== rules.code) continue;
    const m = classifyMatch(query, s);
    if (m === "exact") exact.push(s);
    else if (m === "fuzzy") fuzzy.push(s);
  }
  const gapMs = (input.stayGapMinutes ?? rules.graceMinutes) * MINUTE;
  const exactSt = bestStanding(exact, rules, at, gapMs);
  const fuzzySt = bestStanding(fuzzy, rules, at, gapMs);
  const report = (st: Standing, matchType: MatchType) => ({
    ...st.session,
    secondsRemaining: Math.max(0, Math.floor((st.session.endMs - at) / 1000)),
    matchType,
  });
  const session = exactSt ? report(exactSt, "exact") : fuzzySt ? report(fuzzySt, "fuzzy") : null;

  const out = (
    status: VerdictStatus,
    rec: EnforcementRecommendation,
    matchType: MatchType | null,
    matchedPlate: string | null,
    base: string,
    reported: Verdict["session"] = session,
  ): Verdict => ({
    valid: status === "PERMITTED" || status === "NOT_ENFORCED" || status === "ACTIVE" || status === "GRACE",
    status,
    matchType,
    matchedPlate,
    session: reported,
    permits,
    enforcementRecommendation: rec,
    reason:
      matchType === "fuzzy" && rec === "WARN"
        ? `Confirm plate ${matchedPlate}: ${base.charAt(0).toLowerCase()}${base.slice(1)}`
        : base,
  });

  const permitVerdict = (p: PermitView & { matchType: MatchType }): Verdict => {
    const type = p.type.charAt(0) + p.type.slice(1).toLowerCase();
    const rec = p.matchType === "exact" ? "NO_ACTION" : "WARN";
    return out("PERMITTED", rec, p.matchType, p.plate, `${type} permit ${p.number} valid until ${when(p.validUntilMs)}.`);
  };
  const sessionVerdict = (st: Standing, m: MatchType): Verdict => {
    const s = st.session;
    const reported = report(st, m);
    const cite: EnforcementRecommendation = m === "exact" ? "CITE" : "WARN";
    switch (st.status) {
      case "ACTIVE":
        return out(
          "ACTIVE",
          m === "exact" ? "NO_ACTION" : "WARN",
          m,
          s.plate,
          `Paid until ${when(s.endMs)}; ${durationLabel(Math.floor(reported.secondsRemaining / 60))} remaining.`,
          reported,
        );
      case "GRACE":
        return out(
          "GRACE",
          "WARN",
          m,
          s.plate,
          `Paid time ended at ${when(s.endMs)}; within the ${graceMinutesAt(rules, s.endMs)}-minute grace period.`,
          reported,
        );
      case "OVERSTAY":
        return out(
          "OVERSTAY",
          cite,
          m,
          s.plate,
          `Parked since ${when(st.chainStartMs)}, over the ${durationLabel(maxStayMinutesAt(rules, st.chainStartMs))} maximum stay.`,
          reported,
        );
      case "EXPIRED":
        return out("EXPIRED", cite, m, s.plate, `Paid time expired at ${when(s.endMs)}.`, reported);
    }
  };

  const exactPermit = permits.find((p) => p.matchType === "exact");
  if (exactPermit) return permitVerdict(exactPermit);
  if (!isEnforced(rules, at)) {
    return out("NOT_ENFORCED", "NO_ACTION", session?.matchType ?? null, session?.plate ?? null, "Not enforced at this time.");
  }
  const legal = (st: Standing | null): st is Standing => st !== null && (st.status === "ACTIVE" || st.status === "GRACE");
  if (legal(exactSt)) return sessionVerdict(exactSt, "exact");
  const fuzzyPermit = permits.find((p) => p.matchType === "fuzzy");
  if (fuzzyPermit) return permitVerdict(fuzzyPermit);
  if (legal(fuzzySt)) return sessionVerdict(fuzzySt, "fuzzy");
  if (exactSt) return sessionVerdict(exactSt, "exact");
  if (fuzzySt) return sessionVerdict(fuzzySt, "fuzzy");
  return out("NO_RECORD", "CITE", null, null, "No paid session or permit for this plate.", null);
}
