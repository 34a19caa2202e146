// What travels on the webhook queues. A body rides in the message while the whole message stays within
// INLINE_PAYLOAD_LIMIT; a larger one is kept in R2 and the message carries its key, so a message
// always fits the queue's own limit (QUEUE_MESSAGE_LIMIT) with room to spare.
export const INLINE_PAYLOAD_LIMIT = 96 * 1024;

export interface WebhookMessage {
  v: 1;
  eventId: string;
  tenantId: string;
  provider: string;
  externalId: string;
  type: string;
  receivedAt: number;
  /** Request headers as received, with secrets and signatures masked. */
  headers: Record<string, string>;
  url: string;
  payload?: string;
  payloadKey?: string;
  /** Set when an operator replays the event. */
  replay?: boolean;
}

export interface DeadLetterMessage extends WebhookMessage {
  attempts: number;
  lastError: string;
}
