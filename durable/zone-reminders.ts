// Expiry reminders inside one ZoneState: which running sessions asked for one, where to send it, and
// for which end time it was last sent. A reminder is due `minutes_before` the session's current end, so
// an extension moves it without touching this table; `sent_for_end_ms` makes it once per end time.
// The contact is personal data: it stays in the zone's own storage and goes only to sendMessage.
import type { ReminderRequest } from "../src/domain/reminders";

export interface DueReminder extends ReminderRequest {
  sessionId: string;
  plate: string;
  endMs: number;
}

export interface ReminderView extends ReminderRequest {
  remindAtMs: number;
  /** The end time a reminder was last handled for; equal to the session's end once this one is done. */
  sentForEndMs: number | null;
  jobId: string | null;
  lastError: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS reminders (
  session_id TEXT PRIMARY KEY, channel TEXT NOT NULL, contact TEXT NOT NULL, minutes_before INTEGER NOT NULL,
  sent_for_end_ms INTEGER, job_id TEXT, last_error TEXT);
`;
// Pending: the session still runs and this end time has not been handled.
const PENDING = "s.status = 'active' AND (r.sent_for_end_ms IS NULL OR r.sent_for_end_ms != s.end_ms)";

type Row = Record<string, SqlStorageValue>;

export class ReminderStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  /** Sets (or replaces) the session's reminder; a replaced one is pending again. */
  put(sessionId: string, r: ReminderRequest) {
    this.sql.exec(
      `INSERT INTO reminders (session_id, channel, contact, minutes_before) VALUES (?,?,?,?)
       ON CONFLICT (session_id) DO UPDATE SET channel = excluded.channel, contact = excluded.contact,
         minutes_before = excluded.minutes_before, sent_for_end_ms = NULL, job_id = NULL, last_error = NULL`,
      sessionId, r.channel, r.to, r.minutesBefore,
    );
  }

  remove(sessionId: string) {
    this.sql.exec("DELETE FROM reminders WHERE session_id = ?", sessionId);
  }

  view(sessionId: string): ReminderView | null {
    const row = this.sql.exec<Row>("SELECT r.*, s.end_ms FROM reminders r JOIN sessions s ON s.id = r.session_id WHERE r.session_id = ?", sessionId).toArray()[0];
    if (!row) return null;
    const minutesBefore = row.minutes_before as number;
    return {
      channel: row.channel as ReminderRequest["channel"], to: row.contact as string, minutesBefore, remindAtMs: (row.end_ms as number) - minutesBefore * 60_000,
      sentForEndMs: (row.sent_for_end_ms as number | null) ?? null, jobId: (row.job_id as string | null) ?? null, lastError: (row.last_error as string | null) ?? null,
    };
  }

  /** Reminders due at `nowMs` whose session has not ended yet. */
  due(nowMs: number, limit: number): DueReminder[] {
    return this.sql
      .exec<Row>(
        `SELECT r.*, s.plate, s.end_ms FROM reminders r JOIN sessions s ON s.id = r.session_id
         WHERE ${PENDING} AND s.end_ms > ? AND s.end_ms - r.minutes_before * 60000 <= ? ORDER BY s.end_ms LIMIT ?`,
        nowMs, nowMs, limit,
      )
      .toArray()
      .map((r) => ({ sessionId: r.session_id as string, channel: r.channel as ReminderRequest["channel"], to: r.contact as string, minutesBefore: r.minutes_before as number, plate: r.plate as string, endMs: r.end_ms as number }));
  }

  /** When the next pending reminder falls due, or null. */
  nextDueMs(): number | null {
    const row = this.sql.exec<{ m: number | null }>(`SELECT MIN(s.end_ms - r.minutes_before * 60000) AS m FROM reminders r JOIN sessions s ON s.id = r.session_id WHERE ${PENDING}`).one();
    return row.m ?? null;
  }

  /** This end time is handled: queued as `jobId`, or given up with `error` (nothing can send it). */
  handled(sessionId: string, endMs: number, jobId: string | null, error: string | null) {
    this.sql.exec("UPDATE reminders SET sent_for_end_ms = ?, job_id = ?, last_error = ? WHERE session_id = ?", endMs, jobId, error, sessionId);
  }

  /** Drops reminders whose sessions are gone. */
  purge() {
    this.sql.exec("DELETE FROM reminders WHERE session_id NOT IN (SELECT id FROM sessions)");
  }
}
