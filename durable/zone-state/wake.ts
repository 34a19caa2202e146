// The object's one alarm. Each capability (expiry, outbox, reminders) reports when it next needs to
// run; the alarm is set to the earliest of those, never in the past. After a session change the alarm
// only ever moves earlier; at the end of an alarm run it is set afresh from the reports.
import { exponentialBackoff } from "../../src/lib/backoff";

export const MAX_RETRY_MS = 5 * 60 * 1000;

/**
 * The wait after `failures` failed attempts in a row: 1 s·2^failures, so 2 s, 4 s, 8 s … capped at 5
 * minutes. The first failure already counts as the second step of the backoff (hence failures + 1).
 */
export const retryDelayMs = (failures: number): number => exponentialBackoff(failures + 1, 1000, MAX_RETRY_MS);

/** A capability's report: when it next needs the alarm, or null when it has nothing waiting. */
export type WakeReport = number | null;

export async function wakeAtEarliest(
  storage: DurableObjectStorage,
  nowMs: number,
  reports: readonly WakeReport[],
  afterAlarm: boolean,
): Promise<void> {
  let earliest = Infinity;
  for (const at of reports) if (at !== null && at < earliest) earliest = at;
  if (earliest === Infinity) return;
  const next = Math.max(nowMs, earliest);
  const current = await storage.getAlarm();
  if (afterAlarm || current === null || next < current) await storage.setAlarm(next);
}
