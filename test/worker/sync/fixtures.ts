// Helpers for the sync tests: a tenant of their own, the provider simulator's control API, credentials
// in each vendor's format, and a hand-driven sync queue (so retries and their delays are observable).
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { SyncMessage } from "../../../src/sync/message";
import { handleSyncBatch } from "../../../queues/sync-jobs";
import type { Bindings } from "../../../src/env";
import { db } from "../../../src/storage/db";
import { tenants } from "../../../src/storage/schema";
import { createJob, findJob } from "../../../src/storage/sync-jobs";
import { addKey, call, json, uniq } from "../fixtures";

export const SIM = "http://simulator.curbgate.local";
const hex = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n / 2)), (b) => b.toString(16).padStart(2, "0")).join("");

export const creds = {
  stripe: () => ({ secretKey: `sk_test_${uniq(24)}`, webhookSecret: `whsec_${uniq(24)}` }),
  twilio: () => ({ accountSid: `AC${hex(32)}`, authToken: hex(32), fromNumber: "+15005550006" }),
  ips: () => ({
    apiKey: `ips_test_${uniq(20)}`,
    secretKey: `ips_secret_${uniq(20)}`,
    clientId: "test-parking-001",
    webhookSecret: `ips_wh_${uniq(20)}`,
  }),
};

// ---- the simulator ----

export async function sim<T = any>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const body = init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  const res = await env.SIMULATOR!.fetch(
    new Request(SIM + path, { method: init.method ?? (body ? "POST" : "GET"), headers: init.headers, body }),
  );
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text) as T,
  };
}

export const setFaults = (provider: string, faults: Record<string, unknown>) =>
  sim(`/_control/faults/${provider}`, { method: "PUT", body: faults });
export const clearFaults = (provider: string) => sim(`/_control/faults/${provider}`, { method: "DELETE" });
export const resetSimulator = () => sim("/_control/reset", { method: "POST" });

export type SimCall = {
  seq: number;
  provider: string;
  method: string;
  path: string;
  query: string;
  idempotencyKey: string | null;
  status: number;
  outcome: string;
};
export type SimEffect = {
  provider: string;
  idempotencyKey: string | null;
  method: string;
  path: string;
  status: number;
  objectId: string | null;
  replays: number;
};

export async function simCalls(provider: string, after = 0): Promise<SimCall[]> {
  return (await sim<{ data: SimCall[] }>(`/_control/calls?provider=${provider}&after=${after}&limit=10000`)).body.data;
}
export const lastSeq = async () => (await sim<{ lastSeq: number }>("/_control/calls?limit=1")).body.lastSeq;
export async function simEffects(provider: string): Promise<SimEffect[]> {
  return (await sim<{ data: SimEffect[] }>(`/_control/effects?provider=${provider}`)).body.data;
}

/** A payment intent in the simulated Stripe account of `secretKey`; paid unless told otherwise. */
export async function stripeIntent(secretKey: string, amount: number, paid = true): Promise<string> {
  const form = new URLSearchParams({
    amount: String(amount),
    currency: "usd",
    ...(paid ? { confirm: "true", payment_method: "pm_card_visa" } : {}),
  });
  const res = await sim<{ id: string }>("/stripe/v1/payment_intents", {
    method: "POST",
    body: form.toString(),
    headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/x-www-form-urlencoded" },
  });
  if (res.status !== 200) throw new Error(`payment intent: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

// ---- tenants, connections, jobs ----

const SCOPES = ["integrations:read", "integrations:write", "zones:write", "zones:read", "sessions:write", "sessions:read"];

/** A tenant of the test's own (so breaker state and counts are exact) and an admin key for it. */
export async function syncTenant(prefix: string) {
  const id = `${prefix}${uniq(6).toLowerCase()}`;
  await db(env.DB)
    .insert(tenants)
    .values({ id, name: `Sync test ${id}`, timezone: "America/New_York" })
    .onConflictDoNothing();
  const key = `cg_test_${id}_admin`;
  await addKey(env, key, id, SCOPES, 1_000_000);
  return { id, key };
}

export async function connectTo(
  key: string,
  provider: string,
  credentials: Record<string, string>,
  settings: Record<string, unknown> = {},
) {
  const res = await call("/v1/integrations/connections", {
    key,
    body: { provider, credentials, settings: { baseUrl: `${SIM}/${provider}`, ...settings } },
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`connect ${provider}: ${res.status} ${await res.text()}`);
  return json<{ id: string }>(res);
}

export type Job = {
  id: string;
  status: string;
  attempts: number;
  lastError: string | null;
  result: any;
  entity: string;
  direction: string;
  params: Record<string, unknown>;
};

export async function startSync(key: string, provider: string, body: Record<string, unknown>) {
  const res = await call(`/v1/integrations/${provider}/sync`, { key, body });
  if (res.status !== 202) throw new Error(`sync ${provider}: ${res.status} ${await res.text()}`);
  return json<Job>(res);
}

/** Polls the status route until the live queue consumer has finished the job. */
export async function settled(key: string, provider: string, jobId: string, timeoutMs = 20_000): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { job } = await json<{ job: Job }>(await call(`/v1/integrations/${provider}/sync/status?jobId=${jobId}`, { key }));
    if (!["queued", "running"].includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}: ${job.lastError}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A job row created directly (no live queue message), for the hand-driven consumer. */
export async function jobFor(
  tenantId: string,
  provider: string,
  entity: string,
  direction: "push" | "pull",
  params: Record<string, unknown> = {},
) {
  return createJob(db(env.DB), { tenantId, provider, entity, direction, priority: "normal", since: null, params });
}
export const jobRow = (tenantId: string, id: string) => findJob(db(env.DB), tenantId, id);

// ---- the hand-driven queue ----

export interface Delivery {
  body: SyncMessage;
  attempts: number;
}

/** Runs one batch through the real consumer; returns which messages were acked and each retry's delay. */
export async function consume(deliveries: Delivery[], consumerEnv: Bindings = env) {
  const batch = createMessageBatch<SyncMessage>(
    "curbgate-sync",
    deliveries.map((d, k) => ({ id: `m${k}`, timestamp: new Date(), body: d.body, attempts: d.attempts })),
  );
  // The pool records that a message was retried but not its delay, so the delay is noted on the way.
  const delays = new Map<string, number>();
  for (const msg of batch.messages) {
    const retry = msg.retry.bind(msg);
    Object.defineProperty(msg, "retry", {
      value: (o?: QueueRetryOptions) => (delays.set(msg.id, o?.delaySeconds ?? -1), retry(o)),
    });
  }
  const ctx = createExecutionContext();
  await handleSyncBatch(batch, consumerEnv);
  const result = await getQueueResult(batch, ctx);
  const retried = result.retryMessages.map((r: { msgId: string }) => ({
    index: Number(r.msgId.slice(1)),
    delaySeconds: delays.get(r.msgId)!,
  }));
  return { acked: result.explicitAcks.map((id: string) => Number(id.slice(1))), retried };
}

export const message = (tenantId: string, provider: string, jobId: string): SyncMessage => ({ v: 1, jobId, tenantId, provider });

/**
 * Delivers messages the way the queue would until none is left: each retried message comes back after
 * its delay (really waited when `realTime`, because the gate's cool-downs and pauses are real time;
 * otherwise at once). Returns every retry delay, by the attempt that asked for it.
 */
export async function drain(
  first: SyncMessage[],
  opts: { consumerEnv?: Bindings; realTime: boolean; maxRounds?: number; onRound?: (round: number) => Promise<void> },
) {
  let pending = first.map((body) => ({ body, attempts: 1, dueAt: 0 }));
  const delays: { attempt: number; delaySeconds: number }[] = [];
  for (let round = 1; pending.length; round++) {
    if (round > (opts.maxRounds ?? 200)) throw new Error(`queue not drained after ${round - 1} rounds`);
    const next = Math.min(...pending.map((p) => p.dueAt));
    if (opts.realTime && next > Date.now()) await new Promise((r) => setTimeout(r, next - Date.now()));
    const due = pending.filter((p) => !opts.realTime || p.dueAt <= Date.now());
    pending = pending.filter((p) => !due.includes(p));
    const { retried } = await consume(due, opts.consumerEnv);
    for (const r of retried) {
      const d = due[r.index]!;
      delays.push({ attempt: d.attempts, delaySeconds: r.delaySeconds });
      pending.push({ body: d.body, attempts: d.attempts + 1, dueAt: Date.now() + r.delaySeconds * 1000 });
    }
    await opts.onRound?.(round);
  }
  return delays;
}
