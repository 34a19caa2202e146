// Session history on its way to D1. Every session write queues the session's new version here in the
// same transaction (ZoneStore.putSession); the alarm drains it in batches of 100 upserts, one D1 round
// trip each, and acknowledges only what D1 accepted. A failed flush keeps the rows and backs off, so a
// D1 outage delays history but never loses it; D1 applies only newer versions, so a resent row is harmless.
import type { StoredSession } from "../../src/domain/sessions";
import { log } from "../../src/lib/log";
import { upsertSessionHistory } from "../../src/storage/session-history";
import { retryDelayMs, type WakeReport } from "./wake";

const BATCH = 100;

export class HistoryOutbox {
  private failures = 0;

  constructor(private readonly sql: SqlStorage) {}

  record(s: StoredSession) {
    this.sql.exec("INSERT INTO outbox (payload) VALUES (?)", JSON.stringify(s));
  }
  size(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox").one().n;
  }
  lastSeq(): number {
    return this.sql.exec<{ m: number | null }>("SELECT MAX(seq) AS m FROM outbox").one().m ?? 0;
  }
  /** Drops rows written after `seq` (bulk fixtures that must not reach D1). */
  dropAfter(seq: number) {
    this.sql.exec("DELETE FROM outbox WHERE seq > ?", seq);
  }

  /** Sends what is waiting until none is left or D1 refuses a batch. Returns how many rows still wait. */
  async drain(d1: D1Database, tenantId: string, zoneCode: string): Promise<number> {
    for (;;) {
      const batch = this.batch(BATCH);
      if (batch.length === 0) break;
      try {
        await upsertSessionHistory(
          d1,
          tenantId,
          batch.map((b) => b.session),
        );
      } catch (err) {
        this.failures++;
        log.warn("session history flush failed", { zone: zoneCode, attempt: this.failures, error: String(err) });
        break;
      }
      this.failures = 0;
      this.ack(batch[batch.length - 1]!.seq);
    }
    return this.size();
  }

  /** At once while rows wait, after a growing pause once D1 has refused them; null when empty. */
  nextWakeMs(nowMs: number): WakeReport {
    if (this.size() === 0) return null;
    return nowMs + (this.failures ? retryDelayMs(this.failures) : 0);
  }

  private batch(limit: number): { seq: number; session: StoredSession }[] {
    return this.sql
      .exec<{ seq: number; payload: string }>("SELECT seq, payload FROM outbox ORDER BY seq LIMIT ?", limit)
      .toArray()
      .map((r) => ({ seq: r.seq, session: JSON.parse(r.payload) as StoredSession }));
  }
  private ack(upToSeq: number) {
    this.sql.exec("DELETE FROM outbox WHERE seq <= ?", upToSeq);
  }
}
