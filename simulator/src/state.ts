// The simulator's memory. In-memory on purpose: in `npm start` and in the tests there is exactly one
// simulator instance (one isolate), and state that vanishes on restart is what a sandbox should do.
// A deployed, multi-isolate simulator would need a Durable Object here instead.

export interface Faults {
  latencyMs?: number;
  status?: number;
  retryAfterSeconds?: number;
  failNext?: number;
  failRate?: number;
  timeout?: boolean;
  expireTokens?: boolean;
}

export interface ObservedCall {
  seq: number;
  at: number;
  provider: string;
  method: string;
  path: string;
  query: string;
  idempotencyKey: string | null;
  /** A label derived from the credential, never the credential. */
  account: string | null;
  status: number;
  outcome: "handled" | "replayed" | "fault" | "unauthorized" | "conflict";
}

/** One side effect (an object created or changed by a write), with how often its key was replayed. */
export interface SideEffect {
  provider: string;
  account: string;
  idempotencyKey: string | null;
  method: string;
  path: string;
  status: number;
  objectId: string | null;
  at: number;
  replays: number;
}

export interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
  contentType: string;
  effect: SideEffect | null;
  inFlight: boolean;
}

/** Where a provider account's webhooks go. The secret stays here: no control answer shows it. */
export interface WebhookEndpoint {
  id: string;
  provider: string;
  /** The account label (accountLabel of the credential), never the credential. */
  account: string;
  url: string;
  secret: string;
  /** Event types sent; "*" is every type. */
  events: string[];
  /** "control" (PUT /_control/webhooks/…, one per account) or "api" (the vendor's own endpoint API). */
  source: "control" | "api";
  maxAttempts: number;
  retryBaseMs: number;
  createdAt: number;
}

export interface DeliveryAttempt {
  at: number;
  /** The receiver's status, or null when it could not be reached. */
  status: number | null;
  /** The start of the receiver's answer, as a vendor's dashboard shows it. */
  response?: string;
  error?: string;
  durationMs: number;
}

/** One event sent to one endpoint, with every attempt. `body` is what was signed (no secret in it). */
export interface Delivery {
  id: string;
  seq: number;
  provider: string;
  account: string;
  endpointId: string;
  url: string;
  eventId: string;
  type: string;
  status: "pending" | "delivered" | "failed";
  attempts: DeliveryAttempt[];
  /** A manual resend names the delivery it repeats. */
  resendOf: string | null;
  body: string;
}

const MAX_CALLS = 20_000; // the oldest observations go first; a dev session can run for days

export const state = {
  seq: 0,
  faults: new Map<string, Faults>(),
  calls: [] as ObservedCall[],
  effects: [] as SideEffect[],
  idempotency: new Map<string, StoredResponse>(),
  endpoints: [] as WebhookEndpoint[],
  deliveries: [] as Delivery[],
};

export function observe(call: Omit<ObservedCall, "seq" | "at">): ObservedCall {
  const full = { ...call, seq: ++state.seq, at: Date.now() };
  state.calls.push(full);
  if (state.calls.length > MAX_CALLS) state.calls.splice(0, state.calls.length - MAX_CALLS);
  return full;
}

export function resetState(provider?: string) {
  const keep = <T extends { provider: string }>(xs: T[]) => (provider ? xs.filter((x) => x.provider !== provider) : []);
  state.calls = keep(state.calls);
  state.effects = keep(state.effects);
  state.endpoints = keep(state.endpoints);
  state.deliveries = keep(state.deliveries);
  if (provider) {
    state.faults.delete(provider);
    for (const k of [...state.idempotency.keys()]) if (k.startsWith(`${provider}:`)) state.idempotency.delete(k);
  } else {
    state.faults.clear();
    state.idempotency.clear();
  }
}
