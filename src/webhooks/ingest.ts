// The ingestion contract, provider-agnostic: raw body read once and size-limited, the tenant's
// connection found, the vendor's signature checked, the delivery recorded durably (WebhookInbox)
// before the 2xx, and duplicates acknowledged without being processed twice.
import type { Context } from "hono";
import type { Acceptance } from "../../durable/webhook-inbox";
import { INLINE_PAYLOAD_LIMIT, type WebhookMessage } from "../../queues/messages";
import { newId } from "../auth/crypto";
import type { AppEnv, Bindings } from "../env";
import { ApiError } from "../http/problem";
import { providerById } from "../providers";
import { connectionFor } from "../storage/connections";
import { maskHeaders, maskUrl } from "./masking";

export const MAX_WEBHOOK_BODY = 1024 * 1024;
const INBOX_SHARDS = 8;

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

export async function ingestWebhook(c: Context<AppEnv>, tenantId: string, providerId: string) {
  const provider = providerById(providerId);
  if (!provider?.webhook) throw new ApiError(404, `No webhooks for provider ${providerId}`);
  const rawBody = await readLimited(c.req.raw, MAX_WEBHOOK_BODY);
  if (!rawBody) throw new ApiError(413, `Webhook bodies are limited to ${MAX_WEBHOOK_BODY} bytes`);
  const connection = await connectionFor(c.env, tenantId, provider.id);
  if (!connection || connection.status === "disconnected") throw new ApiError(404, `No ${provider.name} connection for this tenant`);

  const headers = c.req.raw.headers;
  const url = c.req.url;
  const check = await provider.webhook.verify({ rawBody, headers, url, nowMs: Date.now() }, connection.credentials, connection.settings);
  if (!check.ok) {
    console.warn(JSON.stringify({ level: "warn", msg: "webhook signature rejected", requestId: c.get("requestId"), tenant: tenantId, provider: provider.id, reason: check.reason }));
    throw new ApiError(401, `Signature check failed: ${check.reason}`);
  }
  const event = await provider.webhook.parse(rawBody, headers, url);
  if (!event) throw new ApiError(400, "The body is not a delivery this provider sends");
  const answer = await provider.webhook.challenge?.(event, connection.credentials);
  if (answer) return c.json(answer, 200);

  const eventId = newId("whe");
  const text = new TextDecoder().decode(rawBody);
  const message: WebhookMessage = {
    v: 1, eventId, tenantId, provider: provider.id, externalId: event.externalId, type: event.type, receivedAt: Date.now(),
    headers: maskHeaders(headers, provider.webhook.sensitiveHeaders), url: maskUrl(url),
  };
  if (rawBody.byteLength <= INLINE_PAYLOAD_LIMIT) message.payload = text;
  else {
    message.payloadKey = `webhooks/${tenantId}/${provider.id}/${eventId}`;
    await c.env.BLOBS.put(message.payloadKey, rawBody);
  }
  // Durable in the inbox from here on; its flush makes the event visible to operators and queues it.
  const accepted: Acceptance = await inboxFor(c.env, tenantId, provider.id, event.externalId).accept(message);
  return c.json({ received: true, id: accepted.id, duplicate: accepted.duplicate }, 200);
}
