// Webhook processing consumer. Each message is one stored delivery: its effect is applied once,
// failures retry with exponential backoff and jitter, and a message that fails WEBHOOK_MAX_ATTEMPTS
// times goes to the dead-letter queue with its last error.
import type { Bindings } from "../src/env";
import { db } from "../src/storage/db";
import { failAttempt, finishAttempt, startAttempt } from "../src/storage/webhook-events";
import { retryDelaySeconds } from "../src/lib/backoff";
import { log } from "../src/lib/log";
import { applyEvent, type ProcessEvent } from "../src/webhooks/process";
import { vendorById } from "../src/vendors";
import { isProbe, type QueueProbe } from "../src/lib/queues";
import type { WebhookMessage } from "../src/webhooks/message";

export const DEFAULT_MAX_ATTEMPTS = 8;

/** The effect of a stored delivery, by the vendor that sent it (the one place the consumer needs the registry). */
export const processEvent: ProcessEvent = (env, m) => {
  const vendor = vendorById(m.provider);
  return applyEvent(env, m, vendor?.webhook ? { ...vendor, webhook: vendor.webhook } : undefined);
};

export interface ConsumerOptions {
  process?: ProcessEvent; // tests inject failures here
  random?: () => number;
}

export async function handleWebhookBatch(
  batch: MessageBatch<WebhookMessage | QueueProbe>,
  env: Bindings,
  options: ConsumerOptions = {},
) {
  const process = options.process ?? processEvent;
  const maxAttempts = Number(env.WEBHOOK_MAX_ATTEMPTS ?? DEFAULT_MAX_ATTEMPTS);
  const baseSeconds = Number(env.WEBHOOK_RETRY_BASE_SECONDS ?? 10);
  const database = db(env.DB);
  for (const message of batch.messages) {
    const m = message.body;
    if (isProbe(m)) {
      message.ack();
      continue;
    }
    const attempt = message.attempts;
    const started = Date.now();
    try {
      const row = await startAttempt(database, m, started);
      if (!row || (!m.replay && (row.status === "processed" || row.status === "unhandled"))) {
        message.ack(); // the same vendor event under another id, or a redelivered message for an event already done
        continue;
      }
      let error: string | null = null;
      try {
        await finishAttempt(database, m, attempt, started, await process(env, m));
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      if (error === null) message.ack();
      else {
        await failAttempt(database, m, attempt, started, error.slice(0, 1000));
        if (attempt >= maxAttempts) {
          await env.WEBHOOK_DLQ.send({ ...m, attempts: attempt, lastError: error.slice(0, 1000) }, { contentType: "json" });
          message.ack();
        } else message.retry({ delaySeconds: retryDelaySeconds(attempt, baseSeconds, 3600, options.random) });
      }
    } catch (err) {
      // Our own bookkeeping failed (D1 unavailable): try the whole message again later.
      log.error("webhook consumer bookkeeping failed", { eventId: m.eventId, error: String(err) });
      message.retry({ delaySeconds: retryDelaySeconds(attempt, baseSeconds, 3600, options.random) });
    }
  }
}
