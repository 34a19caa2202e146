// An event its inbox could never hand to the queue (durable/webhook-inbox.ts) goes to operators: recorded
// as dead with the reason, where GET /v1/dead-letters lists it and a replay sends it again. A payload that
// made its message too large moves to R2 first, so the replayed message fits.
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { recordDeadEvent } from "../storage/webhook-events";
import { fitForQueue, type WebhookMessage } from "./message";

export async function deadLetterFromInbox(
  env: Bindings,
  m: WebhookMessage,
  refusals: number,
  reason: string,
  nowMs = Date.now(),
) {
  await recordDeadEvent(db(env.DB), await fitForQueue(env, m), refusals, reason, nowMs);
}
