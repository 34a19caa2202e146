// WebhookInbox: the durable first stop of every verified delivery. One object per tenant, provider
// and shard (the shard comes from the vendor's event id, so a duplicate always meets its original).
// Accepting is one SQLite statement: the event is recorded (or found to be a duplicate) before the
// vendor gets its 2xx. Everything else happens off the vendor's clock, in batches: the object's alarm
// flushes what is waiting, writing the operators' "received" rows to D1 in one batch and handing the
// events to the processing queue with one sendBatch. Under load a flush carries every event that
// arrived while the previous one ran, so the per-event cost of D1 and the queue falls as load grows.
//
// What is durable when, and what a fault does:
// - A row's bookkeeping is keyed by its own rowid, never by the vendor's id, so whatever a vendor
//   string turns into on its way through SQLite, the row it was read from is the row that is marked.
// - The message is kept until the event is both queued and recorded in D1 (`recorded`), so every
//   acknowledged event is always either here, whole, or in D1, where the stranded-event sweep
//   (src/webhooks/recovery.ts) finds it if its queue message is lost.
// - A batch the queue refuses is split and sent one by one. An event the queue refuses while it takes
//   others (or a probe) is poison: after REFUSED_LIMIT refusals, or at once if it is larger than any
//   queue message can be, it is dead-lettered in D1 with the reason, where operators see and replay
//   it, and the rest of the shard keeps flowing. When the queue takes nothing it is an outage: events
//   wait with backoff and are never dead-lettered for it.
import { DurableObject } from "cloudflare:workers";
import { exponentialBackoff } from "../src/lib/backoff";
import { log } from "../src/lib/log";
import {
  messageBytes,
  QUEUE_MESSAGE_LIMIT,
  queueProbe,
  SEND_BATCH_BYTES as BATCH_BYTES,
  SEND_BATCH_MESSAGES as BATCH_MESSAGES,
} from "../src/lib/queues";
import type { WebhookMessage } from "../src/webhooks/message";
import type { Bindings } from "../src/env";
import { db } from "../src/storage/db";
import { recordReceivedMany } from "../src/storage/webhook-events";
import { deadLetterFromInbox } from "../src/webhooks/dead-letters";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  external_id TEXT PRIMARY KEY, id TEXT NOT NULL, received_at_ms INTEGER NOT NULL,
  message TEXT, enqueued INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS events_pending ON events (enqueued, received_at_ms);
`;
// Columns added after the first release; an inbox created before them gets them on its next start.
const ADDED_COLUMNS: Record<string, string> = {
  bytes: "INTEGER NOT NULL DEFAULT 0",
  recorded: "INTEGER NOT NULL DEFAULT 1",
  refusals: "INTEGER NOT NULL DEFAULT 0",
  next_send_ms: "INTEGER NOT NULL DEFAULT 0",
  last_error: "TEXT",
  dead_reason: "TEXT",
};
/** enqueued: 0 while waiting to be sent, then handed to the queue (SENT) or to operators as a dead letter (DEAD). */
const SENT = 1;
const DEAD = 2;

const DEDUPE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000; // vendors redeliver for days (Stripe: 3 days), never a month
const RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
const HOUSEKEEPING_MS = 24 * 60 * 60 * 1000;
const REFUSED_LIMIT = 3;

export interface Acceptance {
  id: string;
  duplicate: boolean;
}

type Row = { rowid: number; id: string; message: string; bytes: number; refusals: number; dead_reason: string | null };

// A refused event waits 5 s after its first refusal, doubling up to 5 minutes.
const backoffMs = (failures: number) => exponentialBackoff(failures, RETRY_MS, MAX_RETRY_MS);
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

export class WebhookInbox extends DurableObject<Bindings> {
  /** A flush alarm is set (or running and will look again before it ends). In memory only: a fresh instance checks storage. */
  private flushPending = false;
  /** When the pending alarm fires; an accept moves a far-off retry alarm forward unless the queue is down. */
  private alarmAtMs = 0;
  private queueDown = false;
  /** Since when the queue has taken nothing (0: it works); the retry waits as long as the outage has lasted, 5 s to 5 min. */
  private outageSinceMs = 0;
  private flushing: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(SCHEMA);
    const present = new Set(
      sql
        .exec<{ name: string }>("SELECT name FROM pragma_table_info('events')")
        .toArray()
        .map((c) => c.name),
    );
    for (const [name, type] of Object.entries(ADDED_COLUMNS))
      if (!present.has(name)) sql.exec(`ALTER TABLE events ADD COLUMN ${name} ${type}`);
  }

  /** Stores the event unless its vendor id was seen before; the next flush queues it for processing. */
  async accept(message: WebhookMessage): Promise<Acceptance> {
    const sql = this.ctx.storage.sql;
    const text = JSON.stringify(message);
    // One statement decides new versus duplicate; only a duplicate pays for a second look-up.
    const inserted = sql
      .exec(
        "INSERT INTO events (external_id, id, received_at_ms, message, enqueued, bytes, recorded) VALUES (?, ?, ?, ?, 0, ?, 0) ON CONFLICT (external_id) DO NOTHING RETURNING id",
        message.externalId,
        message.eventId,
        message.receivedAt,
        text,
        messageBytes(text),
      )
      .toArray();
    if (inserted.length === 0) {
      const seen = sql.exec<{ id: string }>("SELECT id FROM events WHERE external_id = ?", message.externalId).one();
      return { id: seen.id, duplicate: true };
    }
    const now = Date.now();
    if (!this.flushPending || (!this.queueDown && this.alarmAtMs > now + 1_000)) {
      this.flushPending = true;
      this.alarmAtMs = now;
      // Written in the same output-gate window as the row, so the event and its flush are durable together.
      await this.ctx.storage.setAlarm(now);
    }
    return { id: message.eventId, duplicate: false };
  }

  /** Events not yet handed on: waiting for the queue, or for their dead letter to reach D1. */
  pendingCount(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE enqueued = 0").one().n;
  }

  /** Operators' and tests' view of one event's bookkeeping here (null once forgotten). */
  inspect(eventId: string) {
    const rows = this.ctx.storage.sql
      .exec<{
        enqueued: number;
        recorded: number;
        refusals: number;
        last_error: string | null;
        dead_reason: string | null;
        kept: number;
      }>(
        "SELECT enqueued, recorded, refusals, last_error, dead_reason, message IS NOT NULL AS kept FROM events WHERE id = ?",
        eventId,
      )
      .toArray();
    const row = rows[0];
    if (!row) return null;
    const state = row.enqueued === SENT ? "sent" : row.enqueued === DEAD ? "dead" : "waiting";
    return {
      state,
      recorded: row.recorded === 1,
      refusals: row.refusals,
      lastError: row.last_error,
      deadReason: row.dead_reason,
      messageKept: row.kept === 1,
    };
  }

  override async alarm(): Promise<void> {
    // One flush at a time: a test (or a retried alarm) that runs it again waits for the one under way.
    while (this.flushing) await this.flushing;
    this.flushing = this.flush().finally(() => (this.flushing = null));
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    await this.recordSent();
    let sentAny = false;
    const refused = new Map<number, Row>();
    for (;;) {
      const rows = sql
        .exec<Row>(
          "SELECT rowid, id, message, bytes, refusals, dead_reason FROM events WHERE enqueued = 0 AND next_send_ms <= ? ORDER BY received_at_ms LIMIT ?",
          now,
          BATCH_MESSAGES,
        )
        .toArray()
        .filter((r) => !refused.has(r.rowid));
      if (rows.length === 0) break;
      const batch: Row[] = [];
      let bytes = 0;
      for (const row of rows) {
        if (row.dead_reason !== null || row.bytes > QUEUE_MESSAGE_LIMIT) {
          await this.deadLetter(
            row,
            row.dead_reason ?? `its queue message is ${row.bytes} bytes, over the queue's ${QUEUE_MESSAGE_LIMIT}-byte limit`,
            now,
          );
          continue;
        }
        if (batch.length && bytes + row.bytes > BATCH_BYTES) break;
        batch.push(row);
        bytes += row.bytes;
      }
      if (batch.length === 0) continue;
      const messages = batch.map((r) => JSON.parse(r.message) as WebhookMessage);
      const recorded = await this.recordReceived(messages);
      try {
        await this.env.WEBHOOK_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: "json" as const })));
        this.markSent(batch, recorded);
        sentAny = true;
      } catch (err) {
        if (batch.length === 1) this.refuse(refused, batch[0]!, err);
        else {
          // Split, so one event the queue will not take cannot hold back the rest of its batch.
          for (const [k, row] of batch.entries()) {
            try {
              await this.env.WEBHOOK_QUEUE.send(messages[k]!, { contentType: "json" });
              this.markSent([row], recorded);
              sentAny = true;
            } catch (one) {
              this.refuse(refused, row, one);
            }
          }
        }
        if (!sentAny) break; // nothing goes through: perhaps an outage, not worth hammering
      }
    }
    const notBefore = refused.size ? await this.judgeRefusals([...refused.values()], sentAny, now) : now;
    sql.exec(
      "DELETE FROM events WHERE enqueued IN (1, 2) AND message IS NULL AND received_at_ms < ?",
      Date.now() - DEDUPE_WINDOW_MS,
    );
    await this.schedule(now, notBefore);
  }

  private refuse(refused: Map<number, Row>, row: Row, err: unknown) {
    refused.set(row.rowid, row);
    this.ctx.storage.sql.exec("UPDATE events SET last_error = ? WHERE rowid = ?", errorText(err), row.rowid);
  }

  /**
   * After refusals: if nothing went through, a probe message tells an outage from poison. In an outage
   * every event waits (backoff, no count against it); poison (the queue works, these events it will
   * not take) is counted, and dead-lettered at REFUSED_LIMIT. Returns when the next flush may run.
   */
  private async judgeRefusals(rows: Row[], sentAny: boolean, now: number): Promise<number> {
    const sql = this.ctx.storage.sql;
    const queueWorks =
      sentAny ||
      (await this.env.WEBHOOK_QUEUE.send(queueProbe(), { contentType: "json" }).then(
        () => true,
        () => false,
      ));
    if (!queueWorks) {
      this.outageSinceMs ||= now;
      // The wait lives in the alarm alone, not on the rows: whenever the next flush runs, all may go.
      const retryAt = now + Math.min(MAX_RETRY_MS, Math.max(RETRY_MS, now - this.outageSinceMs));
      log.warn("webhook enqueue deferred: the queue takes nothing", { waiting: this.pendingCount(), retryInMs: retryAt - now });
      this.queueDown = true;
      return retryAt;
    }
    this.outageSinceMs = 0;
    this.queueDown = false;
    for (const row of rows) {
      const refusals = row.refusals + 1;
      const lastError = sql.exec<{ e: string | null }>("SELECT last_error AS e FROM events WHERE rowid = ?", row.rowid).one().e;
      log.warn("webhook enqueue refused", { eventId: row.id, refusals, error: lastError });
      if (refusals >= REFUSED_LIMIT) {
        await this.deadLetter(
          { ...row, refusals },
          `the queue refused it ${refusals} times while taking other messages: ${lastError ?? "no error given"}`,
          now,
        );
      } else
        sql.exec(
          "UPDATE events SET refusals = ?, next_send_ms = ? WHERE rowid = ?",
          refusals,
          now + backoffMs(refusals),
          row.rowid,
        );
    }
    return now;
  }

  /** The operators' "received" rows; the consumer creates a row itself if this fails, so it must not hold events back. */
  private async recordReceived(messages: WebhookMessage[]): Promise<boolean> {
    try {
      await recordReceivedMany(db(this.env.DB), messages);
      return true;
    } catch (err) {
      log.warn("webhook received rows not written", { count: messages.length, error: errorText(err) });
      return false;
    }
  }

  /** Writes the D1 rows an earlier flush could not, so a sent event whose message is lost can still be found. */
  private async recordSent(): Promise<void> {
    const sql = this.ctx.storage.sql;
    for (;;) {
      const rows = sql
        .exec<{ rowid: number; message: string }>(
          "SELECT rowid, message FROM events WHERE enqueued = 1 AND recorded = 0 LIMIT ?",
          BATCH_MESSAGES,
        )
        .toArray();
      if (rows.length === 0) return;
      if (!(await this.recordReceived(rows.map((r) => JSON.parse(r.message) as WebhookMessage)))) return;
      sql.exec(
        `UPDATE events SET recorded = 1, message = NULL WHERE rowid IN (${rows.map(() => "?").join(",")})`,
        ...rows.map((r) => r.rowid),
      );
    }
  }

  private markSent(rows: Row[], recorded: boolean) {
    const ids = rows.map((r) => r.rowid);
    this.ctx.storage.sql.exec(
      `UPDATE events SET enqueued = 1, recorded = ?, message = CASE WHEN ? THEN NULL ELSE message END, last_error = NULL WHERE rowid IN (${ids.map(() => "?").join(",")})`,
      recorded ? 1 : 0,
      recorded ? 1 : 0,
      ...ids,
    );
  }

  /** Hands an event that can never be queued to operators (D1 dead letter, payload kept for replay). */
  private async deadLetter(row: Row, reason: string, now: number) {
    const sql = this.ctx.storage.sql;
    sql.exec("UPDATE events SET dead_reason = ? WHERE rowid = ?", reason, row.rowid);
    try {
      await deadLetterFromInbox(this.env, JSON.parse(row.message) as WebhookMessage, row.refusals, reason, now);
    } catch (err) {
      // D1 or R2 is down: the row keeps its message and reason, and the next flush tries again.
      sql.exec("UPDATE events SET last_error = ?, next_send_ms = ? WHERE rowid = ?", errorText(err), now + RETRY_MS, row.rowid);
      return;
    }
    sql.exec("UPDATE events SET enqueued = 2, recorded = 1, message = NULL WHERE rowid = ?", row.rowid);
    log.warn("webhook dead-lettered by its inbox", { eventId: row.id, reason });
  }

  /** One alarm for everything: the earliest waiting event, a D1 retry, or the daily housekeeping. */
  private async schedule(now: number, notBefore: number) {
    const sql = this.ctx.storage.sql;
    const next = sql.exec<{ at: number | null }>("SELECT MIN(next_send_ms) AS at FROM events WHERE enqueued = 0").one().at;
    const unrecorded = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE enqueued = 1 AND recorded = 0").one().n;
    const candidates: number[] = [];
    if (next !== null) candidates.push(Math.max(next, notBefore)); // whatever arrived during the flush is still waiting here
    if (unrecorded > 0) candidates.push(now + RETRY_MS); // D1 refused a moment ago: give it time
    if (candidates.length === 0) {
      // Only an empty inbox may let the next accept set a fresh flush alarm.
      this.flushPending = false;
      this.queueDown = false;
      this.alarmAtMs = now + HOUSEKEEPING_MS;
      await this.ctx.storage.setAlarm(this.alarmAtMs);
      return;
    }
    this.alarmAtMs = Math.min(...candidates);
    await this.ctx.storage.setAlarm(this.alarmAtMs);
  }
}
