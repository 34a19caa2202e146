// Webhooks back to the caller. A provider account registers endpoints (PUT /_control/webhooks/…, or the
// vendor's own API such as Stripe's POST /v1/webhook_endpoints); a write that changes state raises
// events, and each is wrapped and signed in the vendor's format and POSTed to every endpoint of that
// account that wants its type. Anything but a 2xx is retried a few times with doubling waits; every
// attempt is recorded (GET /_control/deliveries). Deliveries run after the response, in ctx.waitUntil.
import { objectId, sleep } from "./http";
import { state, type Delivery, type DeliveryAttempt, type WebhookEndpoint } from "./state";
import type { Account, RaisedEvent, SimProvider, WebhookFormat } from "./types";

export interface SimEnv {
  /** Curbgate itself, in the workerd tests (vitest.config.mts); absent under `npm start`. */
  CURBGATE?: Fetcher;
}

// Like SIMULATOR_HOST in reverse: this host goes through the CURBGATE binding when there is one.
// Any other URL is a plain fetch (`npm start` posts to http://127.0.0.1:8787/v1/webhooks/…).
export const CURBGATE_HOST = "curbgate.local";
const TIMEOUT_MS = 10_000;
const MAX_DELIVERIES = 5_000;
export const RETRY_DEFAULTS = { maxAttempts: 4, retryBaseMs: 1_000 };

export type EndpointInput = Omit<WebhookEndpoint, "id" | "createdAt">;

/** Adds an endpoint; a control-API endpoint replaces the account's previous control-API endpoint. */
export function addEndpoint(input: EndpointInput): WebhookEndpoint {
  if (input.source === "control")
    state.endpoints = state.endpoints.filter((e) => !(e.source === "control" && e.provider === input.provider && e.account === input.account));
  const endpoint: WebhookEndpoint = { ...input, id: objectId("we_"), createdAt: Date.now() };
  state.endpoints.push(endpoint);
  return endpoint;
}

export const removeEndpoints = (keep: (e: WebhookEndpoint) => boolean) => {
  const before = state.endpoints.length;
  state.endpoints = state.endpoints.filter(keep);
  return before - state.endpoints.length;
};

/** What control answers show of an endpoint: everything but the secret. */
export const endpointView = ({ secret: _secret, ...rest }: WebhookEndpoint) => rest;

const wants = (e: WebhookEndpoint, type: string) => e.events.includes("*") || e.events.includes(type);

function record(d: Omit<Delivery, "id" | "seq" | "status" | "attempts">): Delivery {
  const delivery: Delivery = { ...d, id: objectId("dlv_", 16), seq: ++state.seq, status: "pending", attempts: [] };
  state.deliveries.push(delivery);
  if (state.deliveries.length > MAX_DELIVERIES) state.deliveries.splice(0, state.deliveries.length - MAX_DELIVERIES);
  return delivery;
}

function send(env: SimEnv, url: string, init: RequestInit): Promise<Response> {
  const req = new Request(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  return new URL(url).hostname === CURBGATE_HOST && env.CURBGATE ? env.CURBGATE.fetch(req) : fetch(req);
}

/** One POST, signed afresh (as vendors do on every retry, so the timestamp stays fresh); true on 2xx. */
async function attempt(format: WebhookFormat, endpoint: WebhookEndpoint, d: Delivery, env: SimEnv): Promise<boolean> {
  const at = Date.now();
  const headers = { "content-type": "application/json; charset=utf-8", ...(await format.sign(endpoint.secret, Math.floor(at / 1000), d.body)) };
  let outcome: Omit<DeliveryAttempt, "at" | "durationMs">;
  try {
    const res = await send(env, endpoint.url, { method: "POST", headers, body: d.body });
    outcome = { status: res.status, response: (await res.text()).slice(0, 500) };
  } catch (err) {
    outcome = { status: null, error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : "unreachable" };
  }
  d.attempts.push({ at, ...outcome, durationMs: Date.now() - at });
  return outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
}

async function deliver(format: WebhookFormat, endpoint: WebhookEndpoint, d: Delivery, env: SimEnv): Promise<void> {
  for (let n = 1; n <= endpoint.maxAttempts; n++) {
    if (n > 1) await sleep(endpoint.retryBaseMs * 2 ** (n - 2));
    if (await attempt(format, endpoint, d, env)) {
      d.status = "delivered";
      return;
    }
  }
  d.status = "failed";
}

/**
 * Sends `events` to every endpoint of the account that wants them; the deliveries are recorded at once
 * and run in the returned promise (for ctx.waitUntil).
 */
export function dispatch(provider: SimProvider, account: Account, events: RaisedEvent[], idempotencyKey: string | null, env: SimEnv): { deliveries: Delivery[]; done: Promise<void> } {
  const format = provider.webhooks;
  const endpoints = state.endpoints.filter((e) => e.provider === provider.name && e.account === account.id);
  const runs: Promise<void>[] = [];
  const deliveries: Delivery[] = [];
  if (format) for (const event of events) {
    const targets = endpoints.filter((e) => wants(e, event.type));
    if (!targets.length) continue;
    const { id, body } = format.envelope(event, account, idempotencyKey);
    const text = JSON.stringify(body);
    for (const e of targets) {
      const d = record({ provider: provider.name, account: account.id, endpointId: e.id, url: e.url, eventId: id, type: event.type, resendOf: null, body: text });
      deliveries.push(d);
      runs.push(deliver(format, e, d, env));
    }
  }
  return { deliveries, done: Promise.all(runs).then(() => undefined) };
}

/** Sends a recorded delivery's event again, once, now (a dashboard's "resend"); null when it or its endpoint is gone. */
export async function resend(providers: Record<string, SimProvider>, deliveryId: string, env: SimEnv): Promise<Delivery | null> {
  const first = state.deliveries.find((d) => d.id === deliveryId);
  const endpoint = first && state.endpoints.find((e) => e.id === first.endpointId);
  const format = first && providers[first.provider]?.webhooks;
  if (!first || !endpoint || !format) return null;
  const again = record({ ...first, resendOf: first.id });
  again.status = (await attempt(format, endpoint, again, env)) ? "delivered" : "failed";
  return again;
}
