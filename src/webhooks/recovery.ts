// The stranded-event sweep (cron): an accepted event must reach its effect even when its queue message
// is lost (a local queue does not survive a restart; a consumer can crash mid-attempt). Every event
// its inbox handed on has a D1 row, so rows that made no progress within 10 minutes (or
// WEBHOOK_STRANDED_AFTER_SECONDS) are queued again. Processing is idempotent (the consumer skips what
// is done; effects key on vendors' ids), so an event that was only slow is not applied twice.
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { STRANDED_AFTER_MS, strandedEvents, touchEvents } from "../storage/webhook-events";
import { fitForQueue, messageOf } from "./message";
import { sendBatches } from "../lib/queues";
import { log } from "../lib/log";

const SWEEP_LIMIT = 500;

export async function recoverStrandedWebhooks(env: Bindings, nowMs = Date.now()): Promise<number> {
  const database = db(env.DB);
  const after = Number(env.WEBHOOK_STRANDED_AFTER_SECONDS);
  const rows = await strandedEvents(database, nowMs, SWEEP_LIMIT, after > 0 ? after * 1000 : STRANDED_AFTER_MS);
  const messages = await Promise.all(rows.map((row) => fitForQueue(env, messageOf(row, false))));
  for (const batch of sendBatches(messages)) {
    await env.WEBHOOK_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: "json" as const })));
    // Touched only once queued: a sweep that fails half way leaves the rest for the next one.
    await touchEvents(
      database,
      batch.map((m) => ({ id: m.eventId, tenantId: m.tenantId })),
      nowMs,
    );
  }
  if (rows.length) log.warn("stranded webhook events queued again", { count: rows.length });
  return rows.length;
}
