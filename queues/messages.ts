// What travels on the webhook queues. Bodies up to INLINE_PAYLOAD_LIMIT ride in the message;
// larger ones are kept in R2 and the message carries their key (queue messages max out at 128 KB).
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

/** A sync job to run; the job row in D1 holds its parameters and status. */
export interface SyncMessage {
  v: 1;
  jobId: string;
  tenantId: string;
  provider: string;
}
