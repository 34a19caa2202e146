// Dead-letter consumer: records each exhausted event with its last error, where operators can
// see and replay it (GET /v1/dead-letters, POST /v1/dead-letters/replay).
import type { Bindings } from "../src/env";
import { log } from "../src/lib/log";
import { db } from "../src/storage/db";
import { recordDeadLetter } from "../src/storage/webhook-events";
import type { DeadLetterMessage } from "../src/webhooks/message";
import { isProbe, type QueueProbe } from "../src/lib/queues";

export async function handleDeadLetterBatch(batch: MessageBatch<DeadLetterMessage | QueueProbe>, env: Bindings) {
  const database = db(env.DB);
  for (const message of batch.messages) {
    const m = message.body;
    if (isProbe(m)) {
      message.ack();
      continue;
    }
    try {
      await recordDeadLetter(database, m, m.attempts ?? message.attempts, m.lastError ?? "exhausted retries");
      message.ack();
    } catch (err) {
      log.error("dead letter not recorded", { eventId: m.eventId, error: String(err) });
      message.retry({ delaySeconds: 30 });
    }
  }
}
