// The wire shape of a verdict: ISO instants, zone details, nothing internal.
import type { CheckOutcome } from "../../../durable/zone-state";
import { iso } from "../common";

export function presentVerdict(o: CheckOutcome, q: { plate: string; state: string | null; atMs: number }) {
  const v = o.verdict;
  return {
    plate: q.plate,
    state: q.state,
    zone: o.zone.code,
    checkedAt: iso(q.atMs),
    valid: v.valid,
    status: v.status,
    matchType: v.matchType,
    matchedPlate: v.matchedPlate,
    session: v.session && {
      id: v.session.id,
      plate: v.session.plate,
      state: v.session.state,
      startTime: iso(v.session.startMs),
      endTime: iso(v.session.endMs),
      secondsRemaining: v.session.secondsRemaining,
      matchType: v.session.matchType,
      zone: { code: o.zone.code, name: o.zone.name, rateCentsPerHour: o.zone.rateCentsPerHour },
    },
    permits: v.permits.map((p) => ({
      id: p.id,
      type: p.type,
      number: p.number,
      plate: p.plate,
      validFrom: iso(p.validFromMs),
      validUntil: iso(p.validUntilMs),
      matchType: p.matchType,
    })),
    enforcementRecommendation: v.enforcementRecommendation,
    reason: v.reason,
  };
}
export type PresentedVerdict = ReturnType<typeof presentVerdict>;
