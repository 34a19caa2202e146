// What the ProviderGate object (durable/provider-gate.ts) decides for every outbound call, as the sync
// engine sees it: the breaker's states, the settings a connection may override, and the answers.
export type BreakerState = "closed" | "open" | "half_open";

export interface GateSettings {
  failureThreshold: number; // consecutive failures that open the breaker
  cooldownMs: number; // how long it stays open before a probe
  rateLimitPerMinute: number;
}

export const DEFAULT_GATE: GateSettings = { failureThreshold: 5, cooldownMs: 30_000, rateLimitPerMinute: 600 };

export type Admission =
  | { ok: true; probe: boolean }
  | { ok: false; reason: "circuit_open" | "rate_limited" | "paused"; retryAfterMs: number };

export interface GateStatus {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: number | null;
  nextProbeAt: number | null;
  pausedUntil: number | null;
  totals: { allowed: number; rejected: number; failures: number; successes: number };
}
