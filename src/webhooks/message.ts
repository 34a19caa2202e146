// What travels on the webhook queues. A body rides in the message while the whole message stays within
// INLINE_PAYLOAD_LIMIT; a larger one is kept in R2 and the message carries its key, so a message
// always fits the queue's own limit (QUEUE_MESSAGE_LIMIT) with room to spare.
import type { Bindings } from "../env";
import { messageBytes } from "../lib/queues";
import type { EventRecord, WebhookEventRow } from "../storage/webhook-events";

export const INLINE_PAYLOAD_LIMIT = 96 * 1024;

export interface WebhookMessage extends EventRecord {
  v: 1;
  /** Set when an operator replays the event. */
  replay?: boolean;
}

export interface DeadLetterMessage extends WebhookMessage {
  attempts: number;
  lastError: string;
}

/** Rebuilds the queue message for a stored event (operator replay, the stranded-event sweep). */
export const messageOf = (row: WebhookEventRow, replay = true): WebhookMessage => ({
  v: 1,
  eventId: row.id,
  tenantId: row.tenantId,
  provider: row.provider,
  externalId: row.externalId,
  type: row.type,
  receivedAt: row.receivedAt,
  headers: row.headers,
  url: row.url ?? "",
  payload: row.payload ?? undefined,
  payloadKey: row.payloadKey ?? undefined,
  replay,
});

/** A message whose inline payload would make it too large for the queue, with the payload moved to R2. */
export async function fitForQueue(env: Bindings, m: WebhookMessage): Promise<WebhookMessage> {
  if (m.payload === undefined || messageBytes(JSON.stringify(m)) <= INLINE_PAYLOAD_LIMIT) return m;
  const payloadKey = `webhooks/${m.tenantId}/${m.provider}/${m.eventId}`;
  await env.BLOBS.put(payloadKey, m.payload);
  const { payload: _moved, ...rest } = m;
  return { ...rest, payloadKey };
}
