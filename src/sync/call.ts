// Every call Curbgate makes to a provider goes through here: the tenant+provider gate (circuit
// breaker, rate limit, Retry-After pauses), authentication, the idempotency header, a timeout,
// classification of the answer, and a log row for health and cost. Connectors with `oauth` get a
// fresh access token first (src/sync/oauth/refresh.ts), and one retry after a refresh when the provider
// says the token it was sent has expired. OAuth token requests themselves take the same path.
import type { ConnectorContext, ProviderRequest, ProviderResponse } from "./contract";
import { log } from "../lib/log";
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { recordCall } from "../storage/integration-calls";
import { DEFAULT_GATE, type GateSettings } from "./gate";
import { ensureFreshToken, tokenRejected } from "./oauth/refresh";
import { ProviderCallError, retryAfterMs, type CallFailureKind } from "../lib/vendor-call-error";
import type { OutboundTarget } from "./target";
import { tenantData } from "./tenant-data";
import { pullLedger } from "./ledger";

export type { OutboundTarget };
import { currentMapping } from "../storage/field-mappings";
import { mappingSpec } from "../mapping/spec";

const TIMEOUT_MS = 10_000;
// Development and tests reach the provider simulator through a service binding under this host.
export const SIMULATOR_HOST = "simulator.curbgate.local";

/** For calls that are not the connector's own API (OAuth token endpoints): an absolute URL and its own authentication. */
export interface SendOptions {
  url?: string;
  authorize?: (headers: Headers) => void;
}

export const gateFor = (env: Bindings, tenantId: string, provider: string) =>
  env.PROVIDER_GATE.get(env.PROVIDER_GATE.idFromName(`${tenantId}:${provider}`));

export function gateSettings(t: OutboundTarget): GateSettings {
  const own = (t.settings.breaker ?? {}) as Partial<GateSettings>;
  return {
    failureThreshold: Number(own.failureThreshold ?? DEFAULT_GATE.failureThreshold),
    cooldownMs: Number(own.cooldownMs ?? DEFAULT_GATE.cooldownMs),
    rateLimitPerMinute: Number(own.rateLimitPerMinute ?? t.connector.rateLimitPerMinute),
  };
}

function fetcherFor(env: Bindings, url: URL): (req: Request) => Promise<Response> {
  if (url.hostname === SIMULATOR_HOST && env.SIMULATOR) return (req) => env.SIMULATOR!.fetch(req);
  return (req) => fetch(req);
}

function classify(status: number): { kind: CallFailureKind | null; countsAsFailure: boolean } {
  if (status >= 200 && status < 300) return { kind: null, countsAsFailure: false };
  if (status === 429) return { kind: "rate_limited", countsAsFailure: false };
  if (status === 503) return { kind: "unavailable", countsAsFailure: true };
  if (status === 408 || status === 504) return { kind: "timeout", countsAsFailure: true };
  if (status >= 500) return { kind: "server", countsAsFailure: true };
  if (status === 401 || status === 403) return { kind: "auth", countsAsFailure: false };
  return { kind: "client", countsAsFailure: false };
}

export async function callProvider<T = unknown>(t: OutboundTarget, req: ProviderRequest): Promise<ProviderResponse<T>> {
  const oauth = t.connector.oauth;
  if (!oauth) return sendToProvider<T>(t, req);
  const usesTokens = await ensureFreshToken(t);
  try {
    return await sendToProvider<T>(t, req);
  } catch (err) {
    if (!usesTokens || !(err instanceof ProviderCallError) || !tokenRejected(oauth, err)) throw err;
    await ensureFreshToken(t, { rejected: true });
    return sendToProvider<T>(t, req);
  }
}

/** One call through the gate, authenticated by the connector (or `opts.authorize`), logged. */
export async function sendToProvider<T = unknown>(
  t: OutboundTarget,
  req: ProviderRequest,
  opts: SendOptions = {},
): Promise<ProviderResponse<T>> {
  const provider = t.connector.provider;
  const settings = gateSettings(t);
  const gate = gateFor(t.env, t.tenantId, provider);
  const started = Date.now();
  const logCall = (status: number | null, ok: boolean, error: string | null) =>
    recordCall(db(t.env.DB), {
      tenantId: t.tenantId,
      provider,
      jobId: t.jobId ?? null,
      method: req.method,
      path: req.path,
      status,
      ok,
      durationMs: Date.now() - started,
      error,
      units: req.units ?? 1,
      idempotencyKey: req.idempotencyKey ?? null,
      at: started,
    }).catch((err: unknown) => log.error("call log write failed", { error: String(err) }));

  const admission = await gate.admit(settings);
  if (!admission.ok) {
    await logCall(null, false, admission.reason);
    throw new ProviderCallError(
      admission.reason === "circuit_open" ? "circuit_open" : "rate_limited",
      `${provider}: ${admission.reason}`,
      null,
      admission.retryAfterMs,
    );
  }

  const url = new URL(opts.url ?? baseUrlOf(t) + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers = new Headers({ accept: "application/json", ...req.headers });
  let body: string | undefined;
  if (req.body !== undefined) {
    if (req.form) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(
        Object.entries(req.body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]),
      ).toString();
    } else {
      headers.set("content-type", "application/json");
      body = JSON.stringify(req.body);
    }
  }
  if (opts.authorize) opts.authorize(headers);
  else t.connector.authorize(headers, t.credentials);
  if (req.idempotencyKey && t.connector.idempotencyHeader) headers.set(t.connector.idempotencyHeader, req.idempotencyKey);
  if (req.idempotencyKey && t.connector.idempotencyQueryParam)
    url.searchParams.set(t.connector.idempotencyQueryParam, req.idempotencyKey);

  let res: Response;
  try {
    res = await fetcherFor(
      t.env,
      url,
    )(new Request(url, { method: req.method, headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) }));
  } catch (err) {
    const kind: CallFailureKind =
      err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError") ? "timeout" : "network";
    await gate.report({ ok: false, countsAsFailure: true }, settings);
    await logCall(null, false, kind);
    throw new ProviderCallError(kind, `${provider}: ${kind}`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  const { kind, countsAsFailure } = classify(res.status);
  const wait = kind === "rate_limited" || kind === "unavailable" ? retryAfterMs(res.headers.get("retry-after")) : null;
  await gate.report({ ok: kind === null, countsAsFailure, retryAfterMs: wait }, settings);
  await logCall(res.status, kind === null, kind);
  if (kind)
    throw new ProviderCallError(
      kind,
      `${provider} answered ${res.status} to ${req.method} ${req.path}`,
      res.status,
      wait,
      parsed,
    );
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** settings.baseUrl (a sandbox, the simulator), else the connector's own for these credentials, else its production URL. */
export function baseUrlOf(t: Pick<OutboundTarget, "connector" | "credentials" | "settings">): string {
  const own =
    typeof t.settings.baseUrl === "string"
      ? t.settings.baseUrl
      : (t.connector.baseUrlFor?.(t.credentials) ?? t.connector.defaultBaseUrl);
  return own.replace(/\/$/, "");
}

export function connectorContext(t: OutboundTarget, jobId: string): ConnectorContext {
  // One target for the whole job, so a token refreshed by one call is used by the next.
  const live: OutboundTarget = { ...t, jobId };
  return {
    tenantId: t.tenantId,
    provider: t.connector.provider,
    get credentials() {
      return live.credentials;
    },
    settings: t.settings,
    call: (req) => callProvider(live, req),
    key: (name) => `${jobId}:${name}`,
    data: tenantData(t.env, t.tenantId),
    ledger: pullLedger(t.env, t.tenantId, t.connector.provider, jobId),
    async fieldMappings(entity) {
      const spec = mappingSpec(t.connector, entity);
      if (!spec) throw new ProviderCallError("client", `${t.connector.provider} declares no mappable fields for ${entity}`);
      return (await currentMapping(db(t.env.DB), t.tenantId, spec)).mappings;
    },
    nowMs: Date.now(),
  };
}
