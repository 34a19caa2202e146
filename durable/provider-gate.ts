// ProviderGate: one Durable Object per tenant+provider that decides, for every outbound call,
// whether it may go now. It holds the provider's circuit breaker (opens after repeated failures,
// lets one probe through half-open after a cool-down, closes on success), the provider's rate
// limit, and any pause the provider asked for with Retry-After. State survives eviction.
import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../src/env";
import { type Admission, type BreakerState, DEFAULT_GATE, type GateSettings, type GateStatus } from "../src/sync/gate";

interface Persisted {
  state: BreakerState;
  failures: number;
  openedAt: number | null;
  probeInFlightSince: number | null;
  pausedUntil: number | null;
  tokens: number;
  tokensAt: number;
  totals: GateStatus["totals"];
}

const FRESH: Persisted = {
  state: "closed",
  failures: 0,
  openedAt: null,
  probeInFlightSince: null,
  pausedUntil: null,
  tokens: -1,
  tokensAt: 0,
  totals: { allowed: 0, rejected: 0, failures: 0, successes: 0 },
};
const SOFT_SAVE_MS = 1_000;
const PROBE_TIMEOUT_MS = 60_000; // a probe that never reports back does not hold the gate forever

export class ProviderGate extends DurableObject<Bindings> {
  private s: Persisted = structuredClone(FRESH);
  private loaded = false;

  private async load() {
    if (this.loaded) return;
    this.s = { ...structuredClone(FRESH), ...((await this.ctx.storage.get<Persisted>("gate")) ?? {}) };
    this.loaded = true;
  }
  // Every provider call passes admit and report, and a confirmed write costs milliseconds (bench:
  // admit + report 6.2 ms when both wrote). So only what changes the breaker's decisions is written at
  // once: state, failures, pause, probe. Tokens and counters ride along with those writes, or are
  // written by an alarm at most once per SOFT_SAVE_MS; a crash can lose a second of counts and tokens.
  private lastSavedAt = 0;
  private softSaveScheduled = false;
  private async save(critical = true) {
    const now = Date.now();
    if (critical || now - this.lastSavedAt >= SOFT_SAVE_MS) {
      this.lastSavedAt = now;
      await this.ctx.storage.put("gate", this.s);
    } else if (!this.softSaveScheduled) {
      this.softSaveScheduled = true;
      await this.ctx.storage.setAlarm(now + SOFT_SAVE_MS);
    }
  }

  override async alarm() {
    this.softSaveScheduled = false;
    await this.load();
    this.lastSavedAt = Date.now();
    await this.ctx.storage.put("gate", this.s);
  }

  /** May a call go now? */
  async admit(settings: GateSettings = DEFAULT_GATE, nowMs = Date.now()): Promise<Admission> {
    await this.load();
    const s = this.s;
    let stateChanged = false; // a breaker transition or a probe: written at once
    const reject = async (reason: "circuit_open" | "rate_limited" | "paused", retryAfterMs: number): Promise<Admission> => {
      s.totals.rejected++;
      await this.save(stateChanged);
      return { ok: false, reason, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) };
    };
    if (s.pausedUntil !== null && s.pausedUntil > nowMs) return reject("paused", s.pausedUntil - nowMs);

    let probe = false;
    if (s.state === "open") {
      const probeAt = (s.openedAt ?? nowMs) + settings.cooldownMs;
      if (nowMs < probeAt) return reject("circuit_open", probeAt - nowMs);
      s.state = "half_open";
      stateChanged = true;
    }
    if (s.state === "half_open") {
      if (s.probeInFlightSince !== null && nowMs - s.probeInFlightSince < PROBE_TIMEOUT_MS) return reject("circuit_open", 1000);
      s.probeInFlightSince = nowMs;
      probe = true;
      stateChanged = true;
    }

    // Token bucket for the provider's own rate limit, refilled continuously.
    const capacity = Math.max(1, settings.rateLimitPerMinute);
    const perMs = capacity / 60_000;
    s.tokens = s.tokens < 0 ? capacity : Math.min(capacity, s.tokens + Math.max(0, nowMs - s.tokensAt) * perMs);
    s.tokensAt = nowMs;
    if (s.tokens < 1) {
      if (probe) s.probeInFlightSince = null;
      return reject("rate_limited", (1 - s.tokens) / perMs);
    }
    s.tokens -= 1;
    s.totals.allowed++;
    await this.save(stateChanged);
    return { ok: true, probe };
  }

  /**
   * The outcome of an admitted call. `countsAsFailure` is false for answers that say nothing about the provider's health (4xx).
   */
  async report(
    outcome: { ok: boolean; countsAsFailure: boolean; retryAfterMs?: number | null },
    settings: GateSettings = DEFAULT_GATE,
    nowMs = Date.now(),
  ) {
    await this.load();
    const s = this.s;
    // A success on a healthy gate changes only counters; anything else changes what admit decides.
    const routine =
      outcome.ok && s.state === "closed" && s.failures === 0 && !outcome.retryAfterMs && s.probeInFlightSince === null;
    if (outcome.retryAfterMs) s.pausedUntil = Math.max(s.pausedUntil ?? 0, nowMs + outcome.retryAfterMs);
    if (outcome.ok || !outcome.countsAsFailure) {
      if (outcome.ok) s.totals.successes++;
      if (s.state === "half_open" || outcome.ok) {
        s.state = "closed";
        s.failures = 0;
        s.openedAt = null;
      }
      s.probeInFlightSince = null;
    } else {
      s.totals.failures++;
      s.failures++;
      if (s.state === "half_open" || s.failures >= settings.failureThreshold) {
        s.state = "open";
        s.openedAt = nowMs;
      }
      s.probeInFlightSince = null;
    }
    await this.save(!routine);
    return this.status(settings, nowMs);
  }

  async status(settings: GateSettings = DEFAULT_GATE, nowMs = Date.now()): Promise<GateStatus> {
    await this.load();
    const s = this.s;
    return {
      state: s.state,
      consecutiveFailures: s.failures,
      openedAt: s.openedAt,
      nextProbeAt: s.state === "open" && s.openedAt !== null ? s.openedAt + settings.cooldownMs : null,
      pausedUntil: s.pausedUntil !== null && s.pausedUntil > nowMs ? s.pausedUntil : null,
      totals: { ...s.totals },
    };
  }

  /** Operator reset: closed, no pause, counters kept. */
  async reset(): Promise<GateStatus> {
    await this.load();
    this.s = { ...this.s, state: "closed", failures: 0, openedAt: null, probeInFlightSince: null, pausedUntil: null };
    await this.save();
    return this.status();
  }
}
