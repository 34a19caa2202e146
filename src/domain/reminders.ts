// Expiry reminders: when one is due, and what it says. Times are UTC instants; the driver reads the end
// time in the zone's own time zone.
import type { Channel } from "./contacts";

export interface ReminderRequest {
  channel: Channel;
  to: string;
  minutesBefore: number;
}

/** A session's reminder as its zone reports it. */
export interface ReminderView extends ReminderRequest {
  remindAtMs: number;
  /** The end time a reminder was last handled for; equal to the session's end once this one is done. */
  sentForEndMs: number | null;
  jobId: string | null;
  lastError: string | null;
}

export const reminderDueAt = (endMs: number, minutesBefore: number) => endMs - minutesBefore * 60_000;

export function reminderText(s: { plate: string; zoneCode: string; zoneName: string; timezone: string; endMs: number }): {
  subject: string;
  text: string;
} {
  const at = new Intl.DateTimeFormat("en-US", {
    timeZone: s.timezone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(s.endMs));
  return {
    subject: `Your parking in ${s.zoneCode} ends at ${at}`,
    text: `Parking reminder: the session for ${s.plate} in ${s.zoneName} (${s.zoneCode}) ends at ${at}. Extend it before then to avoid a citation.`,
  };
}
