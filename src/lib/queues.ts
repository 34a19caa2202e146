// What every queue shares: Cloudflare's size limits, batching within them, and the probe message that
// /health/deep and the webhook inbox send to tell a working queue from a broken one.
/** Cloudflare Queues refuse a message over 128 KB. */
export const QUEUE_MESSAGE_LIMIT = 128 * 1024;

/** Sent by /health/deep and by an inbox telling an outage from a refused message; every consumer acks it unread. */
export interface QueueProbe {
  v: 1;
  probe: true;
  sentAt: number;
}

export const queueProbe = (): QueueProbe => ({ v: 1, probe: true, sentAt: Date.now() });
export const isProbe = (body: unknown): body is QueueProbe =>
  typeof body === "object" && body !== null && (body as { probe?: unknown }).probe === true;

/** UTF-8 size of a serialised message, without encoding it (a lone surrogate counts as U+FFFD's 3 bytes). */
export function messageBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** sendBatch takes at most 100 messages and 256 KB: splits messages into batches within both (with room to spare). */
export const SEND_BATCH_MESSAGES = 100;
export const SEND_BATCH_BYTES = 200 * 1024;
export function sendBatches<T>(messages: T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = messageBytes(JSON.stringify(m));
    if (batch.length && (batch.length === SEND_BATCH_MESSAGES || bytes + size > SEND_BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(m);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}
