// The overview's per-integration figures (dashboard/src/pages/integration-health.ts): read from the
// health route's 24 h window when the server has it, else from the breaker's counters.
import { describe, expect, it, vi } from "vitest";

// The API client needs a browser; these figures are pure.
vi.mock("../../dashboard/src/api/client", () => ({
  api: {},
  ok: async () => null,
  raw: async () => ({ status: 404, data: null }),
}));
const { figures } = await import("../../dashboard/src/pages/integration-health");

const windowOf = (calls: number, errors: number, p95: number | null) => ({
  calls,
  errors,
  errorRate: calls ? errors / calls : null,
  refused: 0,
  latencyMs: { p50: null, p95 },
});

describe("integration figures", () => {
  it("takes error rate, p95 and last success from the health route's 24 h window", () => {
    const health = {
      provider: "stripe",
      connection: null,
      breaker: null,
      lastSuccessAt: "2026-11-22T10:00:00.000Z",
      lastFailure: null,
      windows: { "24h": windowOf(40, 10, 812), "7d": windowOf(400, 12, 300), "30d": windowOf(900, 15, 250) },
    };
    expect(figures(health, undefined, "2026-11-01T00:00:00.000Z")).toMatchObject({
      source: "health",
      errorRate: 0.25,
      p95Ms: 812,
      lastSuccessAt: "2026-11-22T10:00:00.000Z",
    });
  });

  it("a window without calls has no error rate, and a health answer without a success falls back to the sync status", () => {
    const health = { lastSuccessAt: null, windows: { "24h": windowOf(0, 0, null) } };
    expect(figures(health, undefined, "2026-11-21T08:00:00.000Z")).toMatchObject({
      errorRate: null,
      p95Ms: null,
      lastSuccessAt: "2026-11-21T08:00:00.000Z",
    });
  });

  it("without the health route, the error rate comes from the breaker's counters", () => {
    const breaker = { totals: { allowed: 10, rejected: 0, failures: 3, successes: 9 } } as unknown as Parameters<
      typeof figures
    >[1];
    expect(figures(null, breaker, null)).toMatchObject({ source: "breaker", errorRate: 0.25, p95Ms: null });
  });
});
