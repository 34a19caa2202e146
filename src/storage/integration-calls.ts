// The outbound call log (integration_calls, one row per call, written by src/sync/call.ts), and reading
// it for health and cost. Everything is aggregated in D1: a window of 30 days may hold many thousands of
// rows per provider, and only a handful of figures come back to the worker.
//
// A call the gate refused (breaker open, rate limit, Retry-After pause) is logged with no status and
// its reason as the error; it never reached the provider, so it counts as neither a call, an error nor
// a latency sample, and bills nothing. Billable units are those of calls the provider accepted (2xx).
import { newId } from "../lib/ids";
import type { Db } from "./db";
import { integrationCalls } from "./schema";

/** Logs one outbound call (or a call the gate refused: no status, the reason as its error). */
export function recordCall(database: Db, call: Omit<typeof integrationCalls.$inferInsert, "id">) {
  return database
    .insert(integrationCalls)
    .values({ id: newId("call"), ...call })
    .run();
}

const REFUSED = "(status IS NULL AND error IN ('circuit_open', 'rate_limited', 'paused'))";
const DAY_MS = 86_400_000;

export interface WindowFigures {
  calls: number;
  errors: number;
  refused: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface ProviderHealthFigures {
  windows: WindowFigures[];
  lastSuccessAt: number | null;
  lastFailure: { at: number; status: number | null; error: string | null } | null;
}

// Exact nearest-rank percentiles: the value at rank ceil(p·n) of the window's latencies in order,
// with ceil done in integers ((n + 1) / 2 and (95n + 99) / 100). One pass over the window's rows,
// which the (tenant_id, provider, at) index finds; SQLite sorts them, the worker gets one row.
const WINDOW_SQL = `
SELECT COUNT(*) AS calls, COALESCE(SUM(ok = 0), 0) AS errors,
  MAX(CASE WHEN rank = (n + 1) / 2 THEN duration_ms END) AS p50,
  MAX(CASE WHEN rank = (95 * n + 99) / 100 THEN duration_ms END) AS p95
FROM (
  SELECT ok, duration_ms, ROW_NUMBER() OVER (ORDER BY duration_ms) AS rank, COUNT(*) OVER () AS n
  FROM integration_calls WHERE tenant_id = ?1 AND provider = ?2 AND at >= ?3 AND at <= ?4 AND NOT ${REFUSED}
)`;

/** Health figures of one tenant's calls to one provider, for windows reaching back `windowsMs` from `nowMs`. */
export async function providerHealth(
  d1: D1Database,
  tenantId: string,
  provider: string,
  windowsMs: number[],
  nowMs = Date.now(),
): Promise<ProviderHealthFigures> {
  const longest = Math.max(...windowsMs);
  const refusedCounts = windowsMs.map((_, i) => `COALESCE(SUM(at >= ?${i + 4}), 0) AS r${i}`).join(", ");
  const results = await d1.batch<Record<string, number | string | null>>([
    ...windowsMs.map((ms) => d1.prepare(WINDOW_SQL).bind(tenantId, provider, nowMs - ms, nowMs)),
    d1
      .prepare(
        `SELECT ${refusedCounts} FROM integration_calls WHERE tenant_id = ?1 AND provider = ?2 AND at >= ?3 AND ${REFUSED}`,
      )
      .bind(tenantId, provider, nowMs - longest, ...windowsMs.map((ms) => nowMs - ms)),
    // Newest first along the index; each stops at the first row that qualifies.
    d1
      .prepare("SELECT at FROM integration_calls WHERE tenant_id = ? AND provider = ? AND ok = 1 ORDER BY at DESC LIMIT 1")
      .bind(tenantId, provider),
    d1
      .prepare(
        `SELECT at, status, error FROM integration_calls WHERE tenant_id = ? AND provider = ? AND ok = 0 AND NOT ${REFUSED} ORDER BY at DESC LIMIT 1`,
      )
      .bind(tenantId, provider),
  ]);
  const refused = results[windowsMs.length]!.results[0] ?? {};
  const success = results[windowsMs.length + 1]!.results[0];
  const failure = results[windowsMs.length + 2]!.results[0];
  return {
    windows: windowsMs.map((_, i) => {
      const w = results[i]!.results[0] ?? {};
      return {
        calls: Number(w.calls ?? 0),
        errors: Number(w.errors ?? 0),
        refused: Number(refused[`r${i}`] ?? 0),
        p50Ms: (w.p50 as number | null) ?? null,
        p95Ms: (w.p95 as number | null) ?? null,
      };
    }),
    lastSuccessAt: success ? Number(success.at) : null,
    lastFailure: failure
      ? {
          at: Number(failure.at),
          status: failure.status === null ? null : Number(failure.status),
          error: (failure.error as string | null) ?? null,
        }
      : null,
  };
}

export interface CostFilter {
  fromMs: number;
  untilMs: number; // exclusive
  tenantId?: string;
  provider?: string;
}

export interface CostRow {
  day: number; // days since 1970-01-01 (UTC)
  tenantId: string;
  provider: string;
  calls: number;
  units: number;
}

function where(f: CostFilter): { sql: string; binds: (string | number)[] } {
  const conditions: [string, string | number | undefined][] = [
    ["at >= ?", f.fromMs],
    ["at < ?", f.untilMs],
    ["tenant_id = ?", f.tenantId],
    ["provider = ?", f.provider],
  ];
  const used = conditions.filter(([, v]) => v !== undefined) as [string, string | number][];
  return { sql: [...used.map(([c]) => c), `NOT ${REFUSED}`].join(" AND "), binds: used.map(([, v]) => v) };
}

const SUMS = "COUNT(*) AS calls, COALESCE(SUM(CASE WHEN ok = 1 THEN units ELSE 0 END), 0) AS units";

/** Calls and billable units per UTC day, tenant and provider, in that order, from after `after`. */
export async function costRows(
  d1: D1Database,
  f: CostFilter,
  limit: number,
  after?: Pick<CostRow, "day" | "tenantId" | "provider">,
): Promise<CostRow[]> {
  const w = where(after ? { ...f, fromMs: Math.max(f.fromMs, after.day * DAY_MS) } : f);
  const page = after ? "HAVING (day, tenant_id, provider) > (?, ?, ?)" : "";
  const binds = after ? [...w.binds, after.day, after.tenantId, after.provider, limit] : [...w.binds, limit];
  const { results } = await d1
    .prepare(
      `SELECT at / ${DAY_MS} AS day, tenant_id, provider, ${SUMS} FROM integration_calls WHERE ${w.sql} GROUP BY day, tenant_id, provider ${page} ORDER BY day, tenant_id, provider LIMIT ?`,
    )
    .bind(...binds)
    .all<{ day: number; tenant_id: string; provider: string; calls: number; units: number }>();
  return results.map((r) => ({ day: r.day, tenantId: r.tenant_id, provider: r.provider, calls: r.calls, units: r.units }));
}

/** Calls and billable units per provider over the whole filter. */
export async function costTotals(d1: D1Database, f: CostFilter): Promise<{ provider: string; calls: number; units: number }[]> {
  const w = where(f);
  const { results } = await d1
    .prepare(`SELECT provider, ${SUMS} FROM integration_calls WHERE ${w.sql} GROUP BY provider ORDER BY provider`)
    .bind(...w.binds)
    .all<{ provider: string; calls: number; units: number }>();
  return results;
}
