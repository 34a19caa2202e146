// The parking world's vocabulary, shared by the domain functions, the Durable Objects and the routes.
// Money is integer cents; instants are epoch milliseconds (UTC); local rules use the zone's IANA time zone.

export const DAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"] as const;
export type Day = (typeof DAYS)[number];

/** "HH:MM", 00:00–24:00. A window whose end is not after its start wraps past midnight. */
export type ClockTime = string;

/**
 * What an hour of parking costs during a local time window on the given days (the day the window starts).
 * A slot may carry its own maximum stay and grace (a meter's remote configuration sets them per time
 * slot); where it does not, the zone's apply. A stay is held to the maximum of the slot it began in,
 * and lapsed paid time gets the grace of the slot it ended in.
 */
export interface RateSlot {
  days: Day[];
  start: ClockTime;
  end: ClockTime;
  rateCentsPerHour: number;
  maxStayMinutes?: number;
  graceMinutes?: number;
}

/** When officers enforce the zone: local time window on the given days (the day the window starts). */
export interface EnforcementWindow {
  days: Day[];
  start: ClockTime;
  end: ClockTime;
}

export interface ZoneRules {
  code: string;
  name: string;
  timezone: string;
  rateSlots: RateSlot[];
  enforcement: EnforcementWindow[];
  graceMinutes: number;
  maxStayMinutes: number;
  /** Sessions are bought and refunded in whole increments of this many minutes. */
  incrementMinutes: number;
  /** Seconds after paid time runs out before the zone's meters alert enforcement (a meter's `alertThreshold`). */
  meterAlertSeconds?: number;
  /** The violation code meters and officers use here by default (a meter's `violationCode`). */
  defaultViolationCode?: string;
}

export type MatchType = "exact" | "fuzzy";

export interface LiveSession {
  id: string;
  plate: string; // normalised
  state: string | null;
  zone: string;
  startMs: number;
  endMs: number; // paid-until, or when it was ended early
  status: "active" | "ended" | "expired";
  amountCents: number;
}

export type PermitType = "RESIDENTIAL" | "BUSINESS" | "VISITOR";

export interface PermitView {
  id: string;
  plate: string; // normalised
  state: string | null;
  type: PermitType;
  number: string;
  zones: string[];
  validFromMs: number;
  validUntilMs: number;
}

export type VerdictStatus = "ACTIVE" | "GRACE" | "EXPIRED" | "OVERSTAY" | "PERMITTED" | "NO_RECORD" | "NOT_ENFORCED";

export type EnforcementRecommendation = "NO_ACTION" | "WARN" | "CITE";

export interface Verdict {
  valid: boolean;
  status: VerdictStatus;
  matchType: MatchType | null;
  /** The plate as stored on the matching record (differs from the query when fuzzy). */
  matchedPlate: string | null;
  session: (LiveSession & { secondsRemaining: number; matchType: MatchType }) | null;
  permits: (PermitView & { matchType: MatchType })[];
  enforcementRecommendation: EnforcementRecommendation;
  /** One short human sentence for the officer, e.g. "Paid until 14:00; 1h20m remaining". */
  reason: string;
}
