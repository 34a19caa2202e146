import type { StoredSession } from "../../../durable/zone-store";
import { iso } from "../common";

export const zoneOfSessionId = (id: string) => id.split("_")[1]!;

export function presentSession(s: StoredSession, nowMs = Date.now()) {
  return {
    id: s.id,
    zone: s.zone,
    plate: s.plate,
    state: s.state,
    status: s.status,
    startTime: iso(s.startMs),
    endTime: iso(s.endMs),
    paidMinutes: s.paidMinutes,
    amountCents: s.amountCents,
    refundCents: s.refundCents,
    paidCents: s.paidCents ?? 0,
    currency: "USD" as const,
    endedAt: s.endedAtMs === null ? null : iso(s.endedAtMs),
    secondsRemaining: s.status === "active" ? Math.max(0, Math.floor((s.endMs - Math.max(nowMs, s.startMs)) / 1000)) : 0,
  };
}
