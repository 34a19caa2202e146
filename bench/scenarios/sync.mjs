// Sync throughput: refund jobs through the queue and the sync consumer to the provider simulator.
import { setTimeout as sleep } from "node:timers/promises";
import { call, expectStatus } from "../lib/http.mjs";
import { fail, fmt, log } from "../lib/print.mjs";
import { settings, TENANT } from "../lib/settings.mjs";

/**
 * Sync throughput: `jobs` Stripe refund pushes, each one provider call with its own idempotency key,
 * queued through the public API and run by the sync consumer against the provider simulator. The
 * connection's rate limit is raised so the engine is measured, not Stripe's 25 calls/s.
 */
export async function syncThroughput(mf, base, d1, key, secretKey) {
  const jobs = settings.syncJobs;
  const sim = await mf.getWorker("simulator");
  const simCall = async (path, init = {}) => {
    const res = await sim.fetch(`http://simulator.curbgate.local${path}`, init);
    const text = await res.text();
    if (!res.ok) fail(`simulator ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const intents = [];
  for (let i = 0; i < jobs; i++) {
    const body = new URLSearchParams({ amount: "500", currency: "usd", confirm: "true", payment_method: "pm_card_visa" });
    const pi = await simCall("/stripe/v1/payment_intents", {
      method: "POST",
      headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    intents.push(pi.id);
  }
  const before = (await simCall("/_control/effects?provider=stripe")).data.length;
  const started = Date.now();
  const ids = [];
  for (let at = 0; at < intents.length; at += 16)
    ids.push(
      ...(await Promise.all(
        intents.slice(at, at + 16).map(async (pi) => {
          const r = await expectStatus(
            call(base, "POST", "/v1/integrations/stripe/sync", {
              key,
              body: { entity: "payments", direction: "push", params: { paymentIntent: pi, amount: 200 } },
            }),
            202,
            "queue a sync job",
          );
          return r.id;
        }),
      )),
    );
  const queuedMs = Date.now() - started;
  const deadline = Date.now() + settings.drainTimeoutSeconds * 1000;
  let counts = {};
  for (;;) {
    const { results } = await d1
      .prepare(
        "SELECT status, COUNT(*) AS n FROM sync_jobs WHERE tenant_id = ? AND provider = 'stripe' AND created_at >= ? GROUP BY status",
      )
      .bind(TENANT, started)
      .all();
    counts = Object.fromEntries(results.map((r) => [r.status, r.n]));
    const known = Object.values(counts).reduce((a, b) => a + b, 0);
    if (known !== ids.length) fail(`sync: ${known} jobs in D1 since the scenario began, ${ids.length} queued through the API`);
    if ((counts.queued ?? 0) + (counts.running ?? 0) === 0) break;
    if (Date.now() > deadline) fail(`sync: jobs not finished after ${settings.drainTimeoutSeconds} s: ${JSON.stringify(counts)}`);
    await sleep(50);
  }
  const totalMs = Date.now() - started;
  const { results: latency } = await d1
    .prepare(
      "SELECT finished_at - created_at AS ms FROM sync_jobs WHERE tenant_id = ? AND provider = 'stripe' AND created_at >= ? ORDER BY ms",
    )
    .bind(TENANT, started)
    .all();
  const effects = (await simCall("/_control/effects?provider=stripe")).data.slice(before);
  const keys = new Set(effects.map((e) => e.idempotencyKey));
  return {
    jobs,
    queuedMs,
    totalMs,
    jobsPerSec: jobs / (totalMs / 1000),
    counts,
    jobLatencyMs: {
      p50: latency[Math.floor(latency.length * 0.5)]?.ms ?? null,
      p95: latency[Math.floor(latency.length * 0.95)]?.ms ?? null,
    },
    simulatorEffects: effects.length,
    distinctKeys: keys.size,
  };
}

export function printSync(sync) {
  log(
    `• sync: ${sync.jobs} jobs queued in ${(sync.queuedMs / 1000).toFixed(1)} s, all finished after ${(sync.totalMs / 1000).toFixed(1)} s: ` +
      `${fmt(sync.jobsPerSec, 1)} jobs/s; ${JSON.stringify(sync.counts)}; job latency p50 ${sync.jobLatencyMs.p50} ms, p95 ${sync.jobLatencyMs.p95} ms; ` +
      `simulator saw ${sync.simulatorEffects} refunds under ${sync.distinctKeys} idempotency keys`,
  );
}
