// WebhookInbox: the durable first stop of every verified delivery. One object per tenant, provider
// and shard (the shard comes from the vendor's event id, so a duplicate always meets its original).
// Accepting is one SQLite statement: the event is recorded (or found to be a duplicate) before the
// vendor gets its 2xx. Everything else happens off the vendor's clock, in batches: the object's alarm
// flushes what is waiting, writing the operators' "received" rows to D1 in one batch and handing the
// events to the processing queue with one sendBatch. Under load a flush carries every event that
// arrived while the previous one ran, so the per-event cost of D1 and the queue falls as load grows.
import { DurableObject } from "cloudflare:workers";
import type { WebhookMessage } from "../queues/messages";
import type { Bindings } from "../src/env";
import { db } from "../src/storage/db";
import { recordReceivedMany } from "../src/storage/webhook-events";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  external_id TEXT PRIMARY KEY, id TEXT NOT NULL, received_at_ms INTEGER NOT NULL,
  message TEXT, enqueued INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS events_pending ON events (enqueued, received_at_ms);
`;
const DEDUPE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000; // vendors redeliver for days (Stripe: 3 days), never a month
const RETRY_MS = 5_000;
const HOUSEKEEPING_MS = 24 * 60 * 60 * 1000;
// Queues take at most 100 messages and 256 KB per sendBatch; a message is at most 128 KB (a payload
// over 96 KB travels through R2), so a batch stops before its bytes could pass the limit.
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200 * 1024;

export interface Acceptance {
  id: string;
  duplicate: boolean;
}

export class WebhookInbox extends DurableObject<Bindings> {
  /** A flush alarm is set (or running and will look again before it ends). In memory only: a fresh instance checks storage. */
  private flushPending = false;
  private flushing: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
  }

  /** Stores the event unless its vendor id was seen before; the next flush queues it for processing. */
  async accept(message: WebhookMessage): Promise<Acceptance> {
    const sql = this.ctx.storage.sql;
    // One statement decides new versus duplicate; only a duplicate pays for a second look-up.
    const inserted = sql.exec(
      "INSERT INTO events (external_id, id, received_at_ms, message, enqueued) VALUES (?, ?, ?, ?, 0) ON CONFLICT (external_id) DO NOTHING RETURNING id",
      message.externalId, message.eventId, message.receivedAt, JSON.stringify(message),
    ).toArray();
    if (inserted.length === 0) {
      const seen = sql.exec<{ id: string }>("SELECT id FROM events WHERE external_id = ?", message.externalId).one();
      return { id: seen.id, duplicate: true };
    }
    if (!this.flushPending) {
      this.flushPending = true;
      // Written in the same output-gate window as the row, so the event and its flush are durable together.
      await this.ctx.storage.setAlarm(Date.now());
    }
    return { id: message.eventId, duplicate: false };
  }

  pendingCount(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE enqueued = 0").one().n;
  }

  override async alarm(): Promise<void> {
    // One flush at a time: a test (or a retried alarm) that runs it again waits for the one under way.
    while (this.flushing) await this.flushing;
    this.flushing = this.flush().finally(() => (this.flushing = null));
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const sql = this.ctx.storage.sql;
    let failed = false;
    for (;;) {
      const rows = sql.exec<{ external_id: string; message: string }>("SELECT external_id, message FROM events WHERE enqueued = 0 ORDER BY received_at_ms LIMIT ?", BATCH_MESSAGES).toArray();
      if (rows.length === 0) break;
      const batch: typeof rows = [];
      let bytes = 0;
      for (const row of rows) {
        if (batch.length && bytes + row.message.length > BATCH_BYTES) break;
        batch.push(row);
        bytes += row.message.length;
      }
      const messages = batch.map((r) => JSON.parse(r.message) as WebhookMessage);
      try {
        // The "received" rows only make waiting events visible to operators; the consumer creates the row
        // itself if this fails, so a D1 hiccup must not hold the events back from processing.
        await recordReceivedMany(db(this.env.DB), messages).catch((err: unknown) =>
          console.warn(JSON.stringify({ level: "warn", msg: "webhook received rows not written", count: messages.length, error: String(err) })),
        );
        await this.env.WEBHOOK_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: "json" as const })));
      } catch (err) {
        console.warn(JSON.stringify({ level: "warn", msg: "webhook enqueue deferred", count: messages.length, error: String(err) }));
        failed = true;
        break;
      }
      const ids = batch.map((r) => r.external_id);
      sql.exec(`UPDATE events SET enqueued = 1, message = NULL WHERE external_id IN (${ids.map(() => "?").join(",")})`, ...ids);
    }
    sql.exec("DELETE FROM events WHERE enqueued = 1 AND received_at_ms < ?", Date.now() - DEDUPE_WINDOW_MS);
    // Whatever arrived during the flush was inserted under flushPending = true, so it is still waiting
    // here; only an empty inbox may let the next accept set a fresh flush alarm.
    if (failed || this.pendingCount() > 0) {
      await this.ctx.storage.setAlarm(Date.now() + (failed ? RETRY_MS : 0));
    } else {
      this.flushPending = false;
      await this.ctx.storage.setAlarm(Date.now() + HOUSEKEEPING_MS);
    }
  }
}
