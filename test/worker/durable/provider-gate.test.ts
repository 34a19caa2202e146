// The provider gate decides every outbound call: breaker, rate limit and Retry-After pauses.
import * as cloudflareTest from "cloudflare:test";
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { gateFor } from "../../../src/sync/call";
import { recoverStaleSyncJobs } from "../../../src/sync/recovery";
import { db } from "../../../src/storage/db";
import { createJob, findJob, markJob } from "../../../src/storage/sync-jobs";
import { uniq } from "../fixtures";

const SETTINGS = { failureThreshold: 3, cooldownMs: 30_000, rateLimitPerMinute: 600 };
const gate = () => gateFor(env, "demo", `p${uniq(6)}`.toLowerCase());
const fail = { ok: false, countsAsFailure: true };

describe("circuit breaker", () => {
  it("opens after the configured consecutive failures and refuses while open", async () => {
    const g = gate();
    const t0 = 1_000_000;
    for (let i = 0; i < 2; i++) {
      expect((await g.admit(SETTINGS, t0 + i)).ok).toBe(true);
      expect((await g.report(fail, SETTINGS, t0 + i)).state).toBe("closed");
    }
    expect((await g.admit(SETTINGS, t0 + 2)).ok).toBe(true);
    const opened = await g.report(fail, SETTINGS, t0 + 2);
    expect(opened.state).toBe("open");
    expect(opened.nextProbeAt).toBe(t0 + 2 + 30_000);
    const refused = await g.admit(SETTINGS, t0 + 10_000);
    expect(refused).toMatchObject({ ok: false, reason: "circuit_open", retryAfterMs: 20_002 });
  });

  it("lets exactly one probe through half-open; its success closes the breaker", async () => {
    const g = gate();
    for (let i = 0; i < 3; i++) await g.report(fail, SETTINGS, 0);
    const probe = await g.admit(SETTINGS, 30_001);
    expect(probe).toMatchObject({ ok: true, probe: true });
    expect((await g.admit(SETTINGS, 30_002)).ok).toBe(false); // only one probe at a time
    expect((await g.report({ ok: true, countsAsFailure: false }, SETTINGS, 30_050)).state).toBe("closed");
    expect(await g.admit(SETTINGS, 30_060)).toMatchObject({ ok: true, probe: false });
  });

  it("a failed probe opens it again for another cool-down", async () => {
    const g = gate();
    for (let i = 0; i < 3; i++) await g.report(fail, SETTINGS, 0);
    expect((await g.admit(SETTINGS, 30_001)).ok).toBe(true);
    const again = await g.report(fail, SETTINGS, 30_010);
    expect(again.state).toBe("open");
    expect(again.nextProbeAt).toBe(60_010);
  });

  it("4xx answers and rate limiting do not count as failures", async () => {
    const g = gate();
    for (let i = 0; i < 10; i++) await g.report({ ok: false, countsAsFailure: false }, SETTINGS, i);
    expect((await g.status(SETTINGS, 10)).state).toBe("closed");
  });

  it("a Retry-After pauses every call until it has passed", async () => {
    const g = gate();
    await g.report({ ok: false, countsAsFailure: false, retryAfterMs: 5_000 }, SETTINGS, 100);
    expect(await g.admit(SETTINGS, 2_100)).toMatchObject({ ok: false, reason: "paused", retryAfterMs: 3_000 });
    expect((await g.admit(SETTINGS, 5_101)).ok).toBe(true);
  });

  it("enforces the provider's rate limit", async () => {
    const g = gate();
    const tight = { ...SETTINGS, rateLimitPerMinute: 5 };
    const results = [];
    for (let i = 0; i < 7; i++) results.push((await g.admit(tight, 50_000)).ok);
    expect(results).toEqual([true, true, true, true, true, false, false]);
    const later = await g.admit(tight, 50_000 + 12_000); // one token back every 12 s
    expect(later.ok).toBe(true);
  });

  it("an operator reset closes it and clears pauses", async () => {
    const g = gate();
    for (let i = 0; i < 3; i++) await g.report(fail, SETTINGS, Date.now());
    expect((await g.reset()).state).toBe("closed");
    expect((await g.admit(SETTINGS)).ok).toBe(true);
  });
});

describe("stale sync job recovery", () => {
  it("re-queues jobs left running or queued too long, and leaves fresh ones alone", async () => {
    const database = db(env.DB);
    const now = Date.now();
    const stuck = await createJob(
      database,
      {
        tenantId: "demo",
        provider: "stripe",
        entity: "payments",
        direction: "pull",
        priority: "normal",
        since: null,
        params: {},
      },
      now - 3_600_000,
    );
    await markJob(database, stuck, { status: "running" });
    await env.DB.prepare("UPDATE sync_jobs SET updated_at = ? WHERE id = ?")
      .bind(now - 3_600_000, stuck.id)
      .run();
    const fresh = await createJob(
      database,
      {
        tenantId: "demo",
        provider: "stripe",
        entity: "payments",
        direction: "pull",
        priority: "normal",
        since: null,
        params: {},
      },
      now,
    );
    const recovered = await recoverStaleSyncJobs(env, now);
    expect(recovered).toBeGreaterThanOrEqual(1);
    expect((await findJob(database, "demo", stuck.id))?.status).toBe("queued");
    expect((await findJob(database, "demo", fresh.id))?.updatedAt).toBe(now);
  });
});

describe("what the gate writes", () => {
  type Stored = { state: string; failures: number; totals: { allowed: number; successes: number } };
  // (cast: the generic signature sends the type checker into unbounded instantiation for this stub)
  const stored = (g: ReturnType<typeof gate>) =>
    (
      cloudflareTest as unknown as {
        runInDurableObject: (
          stub: unknown,
          fn: (i: unknown, s: DurableObjectState) => Promise<Stored | undefined>,
        ) => Promise<Stored | undefined>;
      }
    ).runInDurableObject(g, (_i, state) => state.storage.get<Stored>("gate"));

  it("writes a breaker transition at once, and routine counters within a second (by its alarm)", async () => {
    const g = gate();
    for (let i = 0; i < 3; i++) await g.report(fail, SETTINGS, i);
    expect(await stored(g)).toMatchObject({ state: "open", failures: 3 }); // no alarm needed: written with the answer

    const h = gate();
    await g.reset();
    expect(await stored(g)).toMatchObject({ state: "closed", failures: 0 });
    // Many routine successes: the first is written, the rest wait for the soft-save alarm.
    for (let i = 0; i < 20; i++) {
      expect((await h.admit(SETTINGS)).ok).toBe(true);
      await h.report({ ok: true, countsAsFailure: false }, SETTINGS);
    }
    expect((await h.status(SETTINGS)).totals).toMatchObject({ allowed: 20, successes: 20 });
    expect((await stored(h))!.totals.allowed).toBeLessThan(20);
    expect(await runDurableObjectAlarm(h)).toBe(true);
    expect((await stored(h))!.totals).toMatchObject({ allowed: 20, successes: 20 });
  });
});
