// WebhookInbox: the durable first stop of every verified delivery. One object per tenant, provider
// and shard (the shard comes from the vendor's event id, so a duplicate always meets its original).
// It records the event in its SQLite before the vendor gets a 2xx, drops duplicates, and hands new
// events to the processing queue; anything it could not enqueue is retried by its alarm.
import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../src/env";
import type { WebhookMessage } from "../queues/messages";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  external_id TEXT PRIMARY KEY, id TEXT NOT NULL, received_at_ms INTEGER NOT NULL,
  message TEXT, enqueued INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS events_pending ON events (enqueued, received_at_ms);
`;
const DEDUPE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000; // vendors redeliver for days (Stripe: 3 days), never a month
const RETRY_MS = 5_000;

export interface Acceptance {
  id: string;
  duplicate: boolean;
}

export class WebhookInbox extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
  }

  /** Stores the event (unless its vendor id was seen before) and queues it for processing. */
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
    try {
      await this.env.WEBHOOK_QUEUE.send(message, { contentType: "json" });
      sql.exec("UPDATE events SET enqueued = 1, message = NULL WHERE external_id = ?", message.externalId);
    } catch (err) {
      // Stored is what the vendor needs to hear; the alarm enqueues it as soon as the queue answers.
      console.warn(JSON.stringify({ level: "warn", msg: "webhook enqueue deferred", provider: message.provider, error: String(err) }));
      await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
    }
    await this.ensureHousekeeping();
    return { id: message.eventId, duplicate: false };
  }

  pendingCount(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE enqueued = 0").one().n;
  }

  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const pending = sql.exec<{ external_id: string; message: string }>("SELECT external_id, message FROM events WHERE enqueued = 0 LIMIT 100").toArray();
    let failed = false;
    for (const row of pending) {
      try {
        await this.env.WEBHOOK_QUEUE.send(JSON.parse(row.message) as WebhookMessage, { contentType: "json" });
        sql.exec("UPDATE events SET enqueued = 1, message = NULL WHERE external_id = ?", row.external_id);
      } catch {
        failed = true;
        break;
      }
    }
    sql.exec("DELETE FROM events WHERE enqueued = 1 AND received_at_ms < ?", Date.now() - DEDUPE_WINDOW_MS);
    const more = failed || this.pendingCount() > 0;
    await this.ctx.storage.setAlarm(Date.now() + (more ? RETRY_MS : 24 * 60 * 60 * 1000));
  }

  private housekeepingScheduled = false;
  private async ensureHousekeeping() {
    if (this.housekeepingScheduled) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + 24 * 60 * 60 * 1000);
    this.housekeepingScheduled = true;
  }
}
