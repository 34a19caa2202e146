// Per-integration figures for the overview and the integration page, from GET /v1/integrations/{provider}/health
// (its 24 h window). A server without that route (404) still gets figures from the breaker's counters and
// the sync status.
import { api, ok, raw, type Schemas } from "../api/client";

export type Breaker = Schemas["CircuitBreaker"];

export interface HealthFigures {
  source: "health" | "breaker";
  errorRate: number | null;
  lastSuccessAt: string | null;
  p95Ms: number | null;
  raw: Record<string, unknown> | null;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown) => (typeof v === "string" ? v : null);
const missing = new Set<string>(); // providers whose health route answered 404 during this visit

export async function healthOf(provider: string): Promise<Record<string, unknown> | null> {
  if (missing.has(provider)) return null;
  const res = await raw<Record<string, unknown>>("GET", `/v1/integrations/${encodeURIComponent(provider)}/health`);
  if (res.status === 404) missing.add(provider);
  return res.data;
}

export function figures(
  health: Record<string, unknown> | null,
  breaker: Breaker | undefined,
  lastSucceeded: string | null,
): HealthFigures {
  if (health) {
    // GET /v1/integrations/{provider}/health: the overview shows the last 24 hours.
    const day = (health.windows as Record<string, Record<string, unknown>> | undefined)?.["24h"];
    const latency = day?.latencyMs as Record<string, unknown> | undefined;
    return {
      source: "health",
      errorRate: num(day?.errorRate),
      lastSuccessAt: str(health.lastSuccessAt) ?? lastSucceeded,
      p95Ms: num(latency?.p95),
      raw: health,
    };
  }
  const t = breaker?.totals;
  const calls = t ? t.failures + t.successes : 0;
  return {
    source: "breaker",
    errorRate: t && calls ? t.failures / calls : null,
    lastSuccessAt: lastSucceeded,
    p95Ms: null,
    raw: null,
  };
}

export const syncStatusOf = (provider: string) =>
  ok(api.GET("/v1/integrations/{provider}/sync/status", { params: { path: { provider }, query: {} } })).catch(() => null);
