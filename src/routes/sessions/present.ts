import { maskContact } from "../../domain/contacts";
import type { ReminderView } from "../../domain/reminders";
import type { StoredSession } from "../../domain/sessions";
import { iso } from "../common";

export function presentSession(s: StoredSession, nowMs = Date.now(), reminder: ReminderView | null = null) {
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
    ...(reminder ? { reminder: presentReminder(reminder, s) } : {}),
  };
}

/** A session's reminder as responses show it: the contact masked, the status for the current end time. */
function presentReminder(r: ReminderView, s: StoredSession) {
  const handled = r.sentForEndMs === s.endMs;
  return {
    channel: r.channel,
    to: maskContact(r.to),
    minutesBefore: r.minutesBefore,
    remindAt: iso(r.remindAtMs),
    status: !handled ? ("scheduled" as const) : r.jobId ? ("queued" as const) : ("not_sent" as const),
    detail: handled ? r.lastError : null,
  };
}
