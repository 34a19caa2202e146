// Turns a queued delivery into its effect: parse it again with the provider's own reader and run
// the handler registered for its type. Handlers are idempotent, so replays never double an effect.
import type { WebhookMessage } from "../lib/queue-messages";
import type { Bindings } from "../env";
import { providerById } from "../vendors";
import type { EffectResult } from "../vendors/types";

export type ProcessEvent = (env: Bindings, message: WebhookMessage) => Promise<EffectResult>;

export async function loadPayload(env: Bindings, m: WebhookMessage): Promise<Uint8Array> {
  if (m.payload !== undefined) return new TextEncoder().encode(m.payload);
  const object = m.payloadKey ? await env.BLOBS.get(m.payloadKey) : null;
  if (!object) throw new Error(`payload ${m.payloadKey ?? "(none)"} is missing`);
  return new Uint8Array(await object.arrayBuffer());
}

export const processEvent: ProcessEvent = async (env, m) => {
  const provider = providerById(m.provider);
  if (!provider?.webhook) throw new Error(`unknown provider ${m.provider}`);
  const event = await provider.webhook.parse(await loadPayload(env, m), new Headers(m.headers), m.url);
  if (!event) throw new Error("payload no longer parses");
  const handler = Object.hasOwn(provider.effects, event.type) ? provider.effects[event.type] : undefined;
  if (!handler) return { status: "unhandled" };
  return handler(event, { env, tenantId: m.tenantId, provider: m.provider, eventId: m.eventId, nowMs: Date.now() });
};
