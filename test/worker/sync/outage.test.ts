// The outage: Stripe fails for a stretch, then recovers, while eight refund jobs wait in the queue.
// The breaker opens after the configured three failures; while it is open no call reaches the
// provider (the simulator's own log says so); after the cool-down one probe goes through half-open,
// fails once more (the stretch is four failures long) and reopens it; the next probe succeeds and
// closes it. Every job then completes, and Stripe applied each idempotency key's refund exactly once.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { call, json } from "../fixtures";
import {
  clearFaults,
  connectTo,
  creds,
  drain,
  jobFor,
  jobRow,
  lastSeq,
  message,
  resetSimulator,
  setFaults,
  simCalls,
  simEffects,
  stripeIntent,
  syncTenant,
} from "./fixtures";

const JOBS = 8;
const THRESHOLD = 3;
const COOLDOWN_MS = 1000;
const STRETCH = 4; // failures in a row at the provider: three open the breaker, the fourth fails the first probe
const consumerEnv: Bindings = { ...env, SYNC_RETRY_BASE_SECONDS: "1", SYNC_MAX_ATTEMPTS: "20" };

describe("provider outage", () => {
  beforeAll(async () => {
    await resetSimulator();
  });

  it("opens the breaker, sends nothing while open, closes on a good probe, and completes every job once", async () => {
    const t = await syncTenant("out");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c, { breaker: { failureThreshold: THRESHOLD, cooldownMs: COOLDOWN_MS } });
    const jobs = [];
    for (let i = 0; i < JOBS; i++)
      jobs.push(
        await jobFor(t.id, "stripe", "payments", "push", {
          paymentIntent: await stripeIntent(c.secretKey, 1000 + i),
          amount: 300,
        }),
      );
    const before = await lastSeq();
    await setFaults("stripe", { failNext: STRETCH, status: 500 });
    const breaker = async () => (await json(await call("/v1/monitoring/circuit-breakers", { key: t.key }))).data[0];
    const refundCalls = async () => (await simCalls("stripe", before)).filter((x) => x.path === "/v1/refunds");

    const states: string[] = [];
    const delays = await drain(
      jobs.map((j) => message(t.id, "stripe", j.id)),
      {
        consumerEnv,
        realTime: true,
        onRound: async (round) => {
          const b = await breaker();
          states.push(b.state);
          if (round === 1) {
            // The first batch: three calls failed and opened the breaker; the other five never left.
            expect(b).toMatchObject({
              state: "open",
              consecutiveFailures: THRESHOLD,
              settings: { failureThreshold: THRESHOLD, cooldownMs: COOLDOWN_MS },
            });
            expect((await refundCalls()).length).toBe(THRESHOLD);
          }
        },
      },
    );

    // The breaker went open -> (probe fails) open -> (probe succeeds) closed.
    expect(states[0]).toBe("open");
    expect(states.filter((s) => s === "open").length).toBeGreaterThanOrEqual(2);
    expect(states.at(-1)).toBe("closed");
    const calls = await refundCalls();
    expect(calls.map((x) => x.status)).toEqual([...Array(STRETCH).fill(500), ...Array(JOBS).fill(200)]);
    expect(calls.filter((x) => x.outcome === "fault").length).toBe(STRETCH);
    expect(calls.length).toBe(STRETCH + JOBS); // nothing reached Stripe while the breaker was open
    expect(calls.filter((x) => x.status === 200).length).toBe(JOBS);

    // While open, calls were refused by the gate (logged without a status) and the jobs waited the cool-down.
    const refused = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM integration_calls WHERE tenant_id = ? AND error = 'circuit_open' AND status IS NULL",
    )
      .bind(t.id)
      .first<{ n: number }>();
    expect(refused!.n).toBeGreaterThan(0);
    expect(delays.filter((d) => d.delaySeconds === Math.ceil(COOLDOWN_MS / 1000)).length).toBeGreaterThan(0);

    // Every job completed, and each idempotency key's refund was applied once.
    const effects = (await simEffects("stripe")).filter((e) => e.path === "/v1/refunds");
    for (const j of jobs) {
      const row = await jobRow(t.id, j.id);
      expect(row?.status).toBe("succeeded");
      const mine = effects.filter((e) => e.idempotencyKey === `${j.id}:refund`);
      expect(mine).toEqual([expect.objectContaining({ status: 200, objectId: (row!.result as any).detail.refundId })]);
    }
    expect(new Set(effects.map((e) => e.idempotencyKey)).size).toBe(effects.length);
    const final = await breaker();
    expect(final).toMatchObject({ state: "closed", consecutiveFailures: 0 });
    expect(final.totals.failures).toBe(STRETCH);
    await clearFaults("stripe");
  }, 60_000);
});
