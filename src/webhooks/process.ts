// Turns a queued delivery into its effect: parse it again with the vendor's own reader and run the
// handler registered for its type. Handlers are idempotent, so replays never double an effect. The
// consumer looks the vendor up and passes it in.
import type { WebhookMessage } from "./message";
import type { Bindings } from "../env";
import type { EffectResult, WebhookSource } from "./contract";

export type ProcessEvent = (env: Bindings, message: WebhookMessage) => Promise<EffectResult>;

export async function loadPayload(env: Bindings, m: WebhookMessage): Promise<Uint8Array> {
  if (m.payload !== undefined) return new TextEncoder().encode(m.payload);
  const object = m.payloadKey ? await env.BLOBS.get(m.payloadKey) : null;
  if (!object) throw new Error(`payload ${m.payloadKey ?? "(none)"} is missing`);
  return new Uint8Array(await object.arrayBuffer());
}

export async function applyEvent(env: Bindings, m: WebhookMessage, vendor: WebhookSource | undefined): Promise<EffectResult> {
  if (!vendor) throw new Error(`unknown provider ${m.provider}`);
  const event = await vendor.webhook.parse(await loadPayload(env, m), new Headers(m.headers), m.url);
  if (!event) throw new Error("payload no longer parses");
  const handler = Object.hasOwn(vendor.effects, event.type) ? vendor.effects[event.type] : undefined;
  if (!handler) return { status: "unhandled" };
  return handler(event, { env, tenantId: m.tenantId, provider: m.provider, eventId: m.eventId, nowMs: Date.now() });
}
