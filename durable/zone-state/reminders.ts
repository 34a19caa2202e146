// Expiry reminders inside one ZoneState: which running sessions asked for one, where to send it, and
// for which end time it was last sent. A reminder is due `minutes_before` the session's current end, so
// an extension moves it without touching this table; `sent_for_end_ms` makes it once per end time.
// The contact is personal data: it stays in the zone's own storage and goes only to sendMessage.
import { type ReminderRequest, type ReminderView, reminderDueAt, reminderText } from "../../src/domain/reminders";
import type { ZoneRules } from "../../src/domain/types";
import type { Bindings } from "../../src/env";
import { isFailure } from "../../src/lib/failure";
import { log } from "../../src/lib/log";
import { type Connectors, sendMessage } from "../../src/sync/requests";
import { retryDelayMs, type WakeReport } from "./wake";

const BATCH = 50;

interface DueReminder extends ReminderRequest {
  sessionId: string;
  plate: string;
  endMs: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS reminders (
  session_id TEXT PRIMARY KEY, channel TEXT NOT NULL, contact TEXT NOT NULL, minutes_before INTEGER NOT NULL,
  sent_for_end_ms INTEGER, job_id TEXT, last_error TEXT);
`;
// Pending: the session still runs and this end time has not been handled.
const PENDING = "s.status = 'active' AND (r.sent_for_end_ms IS NULL OR r.sent_for_end_ms != s.end_ms)";

type Row = Record<string, SqlStorageValue>;

export class ZoneReminders {
  private failures = 0;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /** Sets (or replaces) the session's reminder; a replaced one is pending again. */
  put(sessionId: string, r: ReminderRequest) {
    this.sql.exec(
      `INSERT INTO reminders (session_id, channel, contact, minutes_before) VALUES (?,?,?,?)
       ON CONFLICT (session_id) DO UPDATE SET channel = excluded.channel, contact = excluded.contact,
         minutes_before = excluded.minutes_before, sent_for_end_ms = NULL, job_id = NULL, last_error = NULL`,
      sessionId,
      r.channel,
      r.to,
      r.minutesBefore,
    );
  }

  remove(sessionId: string) {
    this.sql.exec("DELETE FROM reminders WHERE session_id = ?", sessionId);
  }

  view(sessionId: string): ReminderView | null {
    const row = this.sql
      .exec<Row>("SELECT r.*, s.end_ms FROM reminders r JOIN sessions s ON s.id = r.session_id WHERE r.session_id = ?", sessionId)
      .toArray()[0];
    if (!row) return null;
    const minutesBefore = row.minutes_before as number;
    return {
      channel: row.channel as ReminderRequest["channel"],
      to: row.contact as string,
      minutesBefore,
      remindAtMs: reminderDueAt(row.end_ms as number, minutesBefore),
      sentForEndMs: (row.sent_for_end_ms as number | null) ?? null,
      jobId: (row.job_id as string | null) ?? null,
      lastError: (row.last_error as string | null) ?? null,
    };
  }

  /**
   * Drops reminders whose sessions are gone, then hands each due one to sendMessage (a sync job on the
   * tenant's messaging provider). Its dedupe key names the session and end time, so two alarms racing
   * queue one message. When nothing can send it (no provider connected) it is given up for this end
   * time; any other failure stops the round and waits for the backoff.
   */
  async send(env: Bindings, connectors: Connectors, tenantId: string, rules: ZoneRules, nowMs: number) {
    this.purge();
    for (const r of this.due(nowMs, BATCH)) {
      const { subject, text } = reminderText({
        plate: r.plate,
        zoneCode: rules.code,
        zoneName: rules.name,
        timezone: rules.timezone,
        endMs: r.endMs,
      });
      try {
        const job = await sendMessage(env, connectors, tenantId, {
          channel: r.channel,
          to: r.to,
          subject,
          text,
          purpose: "expiry_reminder",
          dedupeKey: `reminder:${r.sessionId}:${r.endMs}`,
        });
        this.handled(r.sessionId, r.endMs, job.jobId, null);
        this.failures = 0;
      } catch (err) {
        if (isFailure(err, "conflict", "invalid")) this.handled(r.sessionId, r.endMs, null, err.message);
        else {
          this.failures++;
          // The session id only: the contact is personal data and stays out of logs.
          log.warn("reminder not queued", { zone: rules.code, session: r.sessionId, attempt: this.failures, error: String(err) });
          return;
        }
      }
    }
  }

  /** When the next pending reminder falls due, but not before the backoff after failures; null when none. */
  nextWakeMs(nowMs: number): WakeReport {
    const due = this.nextDueMs();
    if (due === null) return null;
    return Math.max(due, this.failures ? nowMs + retryDelayMs(this.failures) : 0);
  }

  /** Reminders due at `nowMs` whose session has not ended yet. */
  private due(nowMs: number, limit: number): DueReminder[] {
    return this.sql
      .exec<Row>(
        `SELECT r.*, s.plate, s.end_ms FROM reminders r JOIN sessions s ON s.id = r.session_id
         WHERE ${PENDING} AND s.end_ms > ? AND s.end_ms - r.minutes_before * 60000 <= ? ORDER BY s.end_ms LIMIT ?`,
        nowMs,
        nowMs,
        limit,
      )
      .toArray()
      .map((r) => ({
        sessionId: r.session_id as string,
        channel: r.channel as ReminderRequest["channel"],
        to: r.contact as string,
        minutesBefore: r.minutes_before as number,
        plate: r.plate as string,
        endMs: r.end_ms as number,
      }));
  }

  private nextDueMs(): number | null {
    const row = this.sql
      .exec<{ m: number | null }>(
        `SELECT MIN(s.end_ms - r.minutes_before * 60000) AS m FROM reminders r JOIN sessions s ON s.id = r.session_id WHERE ${PENDING}`,
      )
      .one();
    return row.m ?? null;
  }

  /** This end time is handled: queued as `jobId`, or given up with `error` (nothing can send it). */
  private handled(sessionId: string, endMs: number, jobId: string | null, error: string | null) {
    this.sql.exec(
      "UPDATE reminders SET sent_for_end_ms = ?, job_id = ?, last_error = ? WHERE session_id = ?",
      endMs,
      jobId,
      error,
      sessionId,
    );
  }

  /** Drops reminders whose sessions are gone. */
  private purge() {
    this.sql.exec("DELETE FROM reminders WHERE session_id NOT IN (SELECT id FROM sessions)");
  }
}
