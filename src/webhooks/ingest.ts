// Ingestion, the same for every vendor: the tenant's connection found, the vendor's signature checked,
// the delivery recorded durably (WebhookInbox) before the 2xx, and duplicates acknowledged without being
// processed twice. The route reads the raw body (once, size-limited) and passes the vendor in.
import { INLINE_PAYLOAD_LIMIT, type WebhookMessage } from "./message";
import { messageBytes } from "../lib/queues";
import { newId } from "../lib/ids";
import type { Bindings } from "../env";
import { Failure, type FieldError } from "../lib/failure";
import { log } from "../lib/log";
import { connectionFor } from "../vault/connections";
import type { WebhookSource } from "./contract";
import { maskHeaders, maskUrl } from "./masking";

export const MAX_WEBHOOK_BODY = 1024 * 1024;
const INBOX_SHARDS = 8;
// Far above any vendor's own (Stripe's are ~30 characters, composite DocuSign keys ~120), far below
// what would crowd a queue message; an event type is a short name everywhere.
export const MAX_EVENT_ID = 512;
export const MAX_EVENT_TYPE = 200;

/**
 * The event's identity must survive a round trip through SQLite and D1 unchanged: a lone UTF-16
 * surrogate would come back as U+FFFD, and the row could never be found by the id it was stored under.
 */
export function identityErrors(event: { externalId: string; type: string }): FieldError[] {
  const errors: FieldError[] = [];
  const check = (path: string, value: string, max: number) => {
    if (value.length === 0) errors.push({ location: "body", path, message: "is empty" });
    else if (value.length > max)
      errors.push({ location: "body", path, message: `is ${value.length} characters long; at most ${max} are accepted` });
    else if (!value.isWellFormed())
      errors.push({ location: "body", path, message: "is not well-formed Unicode (it holds a lone UTF-16 surrogate)" });
  };
  check("eventId", event.externalId, MAX_EVENT_ID);
  check("eventType", event.type, MAX_EVENT_TYPE);
  return errors;
}

/** Reads at most `limit` bytes; null if the body is larger (without buffering the rest). */
export async function readLimited(req: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function shardOf(externalId: string): number {
  let h = 0x811c9dc5; // FNV-1a: cheap and stable, so a redelivery reaches the same inbox
  for (let i = 0; i < externalId.length; i++) h = Math.imul(h ^ externalId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % INBOX_SHARDS;
}

export const inboxFor = (env: Bindings, tenantId: string, provider: string, externalId: string) =>
  env.WEBHOOK_INBOX.get(env.WEBHOOK_INBOX.idFromName(`${tenantId}:${provider}:${shardOf(externalId)}`));

/** A delivery as it reached the route: the body read once, the headers and URL as sent. */
export interface Delivery {
  tenantId: string;
  rawBody: Uint8Array;
  headers: Headers;
  url: string;
  requestId?: string;
}

/** Recorded (or a duplicate of a recorded event), or a handshake the vendor expects answered (Zoom's URL check). */
export type Ingested = { received: true; id: string; duplicate: boolean } | { challenge: Record<string, unknown> };

export async function ingestWebhook(env: Bindings, vendor: WebhookSource, delivery: Delivery): Promise<Ingested> {
  const { tenantId, rawBody, headers, url } = delivery;
  const connection = await connectionFor(env, tenantId, vendor.id);
  if (!connection || connection.status === "disconnected")
    throw new Failure("not_found", `No ${vendor.name} connection for this tenant`);

  const check = await vendor.webhook.verify(
    { rawBody, headers, url, nowMs: Date.now() },
    connection.credentials,
    connection.settings,
  );
  if (!check.ok) {
    log.warn("webhook signature rejected", {
      requestId: delivery.requestId,
      tenant: tenantId,
      provider: vendor.id,
      reason: check.reason,
    });
    throw new Failure("unauthenticated", `Signature check failed: ${check.reason}`);
  }
  const event = await vendor.webhook.parse(rawBody, headers, url);
  if (!event) throw new Failure("malformed", "The body is not a delivery this provider sends");
  const errors = identityErrors(event);
  if (errors.length) throw new Failure("malformed", "The delivery's event id or type cannot be stored as sent", errors);
  const answer = await vendor.webhook.challenge?.(event, connection.credentials);
  if (answer) return { challenge: answer };

  const eventId = newId("whe");
  const text = new TextDecoder().decode(rawBody);
  const message: WebhookMessage = {
    v: 1,
    eventId,
    tenantId,
    provider: vendor.id,
    externalId: event.externalId,
    type: event.type,
    receivedAt: Date.now(),
    headers: maskHeaders(headers, vendor.webhook.sensitiveHeaders),
    url: maskUrl(url),
  };
  // The payload rides inline only while the whole message stays small: JSON escaping can make a body
  // six times its size (control characters become \u00XX), so it is the message that is measured.
  const bare = messageBytes(JSON.stringify(message));
  if (bare > INLINE_PAYLOAD_LIMIT)
    throw new Failure(
      "too_large",
      `The delivery's headers and URL take ${bare} bytes; at most ${INLINE_PAYLOAD_LIMIT} can be kept with an event`,
    );
  message.payload = text;
  // (escaping at most multiplies a body by six, so most bodies need no second measure)
  const mayOverflow = bare + 6 * rawBody.byteLength > INLINE_PAYLOAD_LIMIT;
  if (
    rawBody.byteLength > INLINE_PAYLOAD_LIMIT ||
    (mayOverflow && messageBytes(JSON.stringify(message)) > INLINE_PAYLOAD_LIMIT)
  ) {
    delete message.payload;
    message.payloadKey = `webhooks/${tenantId}/${vendor.id}/${eventId}`;
    await env.BLOBS.put(message.payloadKey, rawBody);
  }
  // Durable in the inbox from here on; its flush makes the event visible to operators and queues it.
  const accepted = await inboxFor(env, tenantId, vendor.id, event.externalId).accept(message);
  return { received: true, id: accepted.id, duplicate: accepted.duplicate };
}
