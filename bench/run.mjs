#!/usr/bin/env node
// `npm run bench`: Curbgate's targets (bench/README.md, "Targets checked"), measured on the BUILT worker
// running in workerd through Miniflare directly (not `wrangler dev`, whose proxy caps every route near the
// same figure). Each figure is also given as a ratio to the trivial route measured in the same run, so the
// machine's noise cancels. This file holds the scenarios and wires them to bench/lib (the environment it
// reads is in bench/lib/settings.mjs, the method in bench/lib/rounds.mjs). See bench/README.md.
import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { build } from "./lib/build.mjs";
import { pooled } from "./lib/cannon.mjs";
import { BENCH_STRIPE_KEY, connectStripe, importSessions, seedDemoTenant } from "./lib/demo-tenant.mjs";
import { call, expectStatus } from "./lib/http.mjs";
import { migrate, startMiniflare } from "./lib/miniflare.mjs";
import { hitPlate, missPlate, somePlate } from "./lib/plates.mjs";
import { fail, fmt, log } from "./lib/print.mjs";
import { sampleRssMb, workerdPids } from "./lib/proc-readings.mjs";
import { writeResults } from "./lib/results-file.mjs";
import { runScenarios } from "./lib/rounds.mjs";
import { only, settings, stateDir, TENANT, ZONES } from "./lib/settings.mjs";
import { printCpu, printTable } from "./lib/table.mjs";
import { checkTargets, printTargets } from "./lib/targets.mjs";

const trivial = { id: "trivial", title: "GET /health/live (trivial)", method: "GET", path: "/health/live", headers: {} };

const officerHeaders = (key) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });

const verifyBodies = (zone, count) => Array.from({ length: settings.bodyPool }, () => JSON.stringify({ plate: somePlate(count), state: "CT", zone }));

/** Before the load: a known plate comes back ACTIVE with an exact match, an unknown one NO_RECORD. */
const sanityVerify = (base, key, zone, count) => async () => {
  const hit = await expectStatus(call(base, "POST", "/v1/verify", { key, body: { plate: hitPlate(count), state: "CT", zone } }), 200, `verify hit in ${zone}`);
  if (hit.status !== "ACTIVE" || hit.matchType !== "exact") fail(`verify hit in ${zone}: expected ACTIVE/exact, got ${JSON.stringify(hit)}`);
  const miss = await expectStatus(call(base, "POST", "/v1/verify", { key, body: { plate: missPlate(), state: "CT", zone } }), 200, `verify miss in ${zone}`);
  if (miss.status !== "NO_RECORD") fail(`verify miss in ${zone}: expected NO_RECORD, got ${JSON.stringify(miss)}`);
};

/** `id` is verify10k or verify100k; `sessions` is how many the zone holds. */
const verifyScenario = (base, officerKey, id, zone, sessions) => ({
  id,
  title: `POST /v1/verify, ${sessions / 1000}k sessions`,
  method: "POST", path: "/v1/verify", headers: officerHeaders(officerKey),
  setupRequest: pooled(verifyBodies(zone, sessions)),
  check: sanityVerify(base, officerKey, zone, sessions),
});

function batchScenario(base, officerKey) {
  const batchBodies = Array.from({ length: 1024 }, () =>
    JSON.stringify({ zone: ZONES.small, checks: Array.from({ length: settings.batchSize }, () => ({ plate: somePlate(settings.sessionsSmall), state: "CT" })) }),
  );
  return {
    id: "batch50",
    title: `POST /v1/verify/batch, ${settings.batchSize} plates`,
    method: "POST", path: "/v1/verify/batch", headers: officerHeaders(officerKey), platesPerRequest: settings.batchSize,
    setupRequest: pooled(batchBodies),
    check: async () => {
      const r = await expectStatus(call(base, "POST", "/v1/verify/batch", { key: officerKey, body: JSON.parse(batchBodies[0]) }), 200, "batch");
      if (r.results?.length !== settings.batchSize || r.results.some((x) => x.error)) fail(`batch: unexpected results ${JSON.stringify(r).slice(0, 500)}`);
    },
  };
}

/** Every request parks a new plate, so none gets a 409. */
function sessionStartScenario(appKey, runTag) {
  let sessionCounter = 0;
  return {
    id: "sessionStart",
    title: "POST /v1/sessions (start)",
    method: "POST", path: "/v1/sessions", headers: { authorization: `Bearer ${appKey}`, "content-type": "application/json" },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ plate: `N${runTag}${sessionCounter++}`, state: "CT", zone: ZONES.sessions, minutes: 60 }) }),
  };
}

/** `Stripe-Signature` as Stripe sends it: hex HMAC-SHA256 over `${t}.${body}`, keyed with the whole whsec_ string. */
const stripeSignature = (secret, body, t = Math.floor(Date.now() / 1000)) => `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;

/**
 * The ingestion scenario: every request is a new `payment_intent.succeeded` event (unique evt_ and
 * pi_ ids), signed when autocannon builds it. A 200 with `duplicate: false` counts as accepted. After
 * the warm-up and after each measured slice, `settle` waits (outside the measurement) until the
 * queue consumer has processed everything accepted so far; `verify` checks the end state.
 */
function webhookIngestion(base, d1, key, secret, runTag) {
  const prefix = `pi_bench${runTag.toLowerCase()}_`;
  const state = { built: 0, accepted: 0, duplicates: 0, otherResponses: 0, acceptedPis: new Set(), baselineProcessed: 0, drains: [] };
  const event = () => {
    const n = state.built++;
    const created = Math.floor(Date.now() / 1000);
    const amount = 100 + ((n * 37) % 4900);
    const pi = `${prefix}${n}`;
    const body = JSON.stringify({
      id: `evt_bench${runTag.toLowerCase()}_${n}`, object: "event", api_version: "2024-06-20", created, livemode: false, pending_webhooks: 1,
      request: { id: null, idempotency_key: null }, type: "payment_intent.succeeded",
      data: { object: { id: pi, object: "payment_intent", amount, amount_received: amount, application_fee_amount: null, currency: "usd", status: "succeeded", metadata: {}, created } },
    });
    return { pi, body, signature: stripeSignature(secret, body, created) };
  };
  const count = (status, text, pi) => {
    let ack = null;
    try {
      ack = status === 200 ? JSON.parse(text) : null;
    } catch {}
    if (ack?.duplicate === false) {
      state.accepted++;
      state.acceptedPis.add(pi);
    } else if (ack?.duplicate === true) state.duplicates++;
    else state.otherResponses++;
  };
  const post = async (e) => {
    const res = await fetch(`${base}/v1/webhooks/${TENANT}/stripe`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": e.signature }, body: e.body });
    const text = await res.text();
    count(res.status, text, e.pi);
    return { status: res.status, text };
  };
  const monitoring = async () => expectStatus(call(base, "GET", "/v1/monitoring/webhooks", { key }), 200, "GET /v1/monitoring/webhooks");
  const processedOf = (m) => m.byProvider?.stripe?.processed ?? 0;

  /** Polls monitoring until processed = accepted and the backlog is empty, at most BENCH_DRAIN_TIMEOUT. */
  const drain = async (phase) => {
    const expected = state.baselineProcessed + state.accepted;
    const started = performance.now();
    const limit = started + settings.drainTimeoutSeconds * 1000;
    let m;
    for (;;) {
      m = await monitoring();
      if ((processedOf(m) >= expected && m.backlog === 0) || performance.now() > limit) break;
      await sleep(100);
    }
    const done = { phase, acceptedSoFar: state.accepted, processed: processedOf(m) - state.baselineProcessed, backlog: m.backlog, ms: Math.round(performance.now() - started) };
    done.drained = done.processed === state.accepted && m.backlog === 0;
    state.drains.push(done);
    if (!done.drained) log(`  !!! webhook queue not drained after ${phase} within ${settings.drainTimeoutSeconds} s: ${JSON.stringify(done)}`);
    return { ...done, monitoring: m };
  };

  const def = {
    id: "webhookIngest",
    title: "POST /v1/webhooks/demo/stripe (ingest)",
    method: "POST", path: `/v1/webhooks/${TENANT}/stripe`, headers: { "content-type": "application/json" },
    graceful: true,
    setupRequest: (req, context) => {
      const e = event();
      context.pi = e.pi;
      return { ...req, body: e.body, headers: { ...req.headers, "stripe-signature": e.signature } };
    },
    onResponse: (status, text, context) => count(status, text, context.pi),
    check: async () => {
      state.baselineProcessed = processedOf(await monitoring());
      const e = event();
      const first = await post(e);
      if (first.status !== 200 || JSON.parse(first.text).duplicate !== false) fail(`webhook: a signed event got ${first.status} ${first.text.slice(0, 300)}`);
      const again = await post(e); // the same delivery again: acknowledged, not processed twice
      if (again.status !== 200 || JSON.parse(again.text).duplicate !== true) fail(`webhook: a redelivery got ${again.status} ${again.text.slice(0, 300)}`);
    },
    settle: drain,
  };

  const verify = async () => {
    const last = await drain("end");
    const [{ n: paymentRows }] = (
      await d1.prepare("SELECT COUNT(*) AS n FROM payments WHERE tenant_id = ? AND provider = 'stripe' AND substr(provider_transaction_id, 1, ?) = ?").bind(TENANT, prefix.length, prefix).all()
    ).results;
    const [events] = (
      await d1
        .prepare("SELECT COUNT(*) AS n, COALESCE(SUM(attempts), 0) AS attempts, COALESCE(SUM(status = 'processed'), 0) AS processed FROM webhook_events WHERE tenant_id = ? AND provider = 'stripe' AND substr(external_id, 1, ?) = ?")
        .bind(TENANT, `evt_bench${runTag.toLowerCase()}_`.length, `evt_bench${runTag.toLowerCase()}_`)
        .all()
    ).results;
    const out = {
      requestsBuilt: state.built,
      accepted: state.accepted,
      duplicateAcks: state.duplicates,
      otherResponses: state.otherResponses,
      processed: last.processed,
      backlog: last.backlog,
      deadLetters: last.monitoring.deadLetters,
      byStatus: last.monitoring.byProvider?.stripe ?? {},
      paymentRows,
      eventRows: events.n,
      eventRowsProcessed: events.processed,
      attempts: events.attempts,
      receiptToEffectMs: last.monitoring.receiptToEffectMs,
      drains: state.drains,
      drainMsTotal: state.drains.reduce((n, d) => n + d.ms, 0),
    };
    if (paymentRows !== state.accepted || last.processed !== state.accepted) {
      // Which ones: accepted without a payment, or a payment nobody saw accepted.
      const rows = (await d1.prepare("SELECT provider_transaction_id AS pi FROM payments WHERE tenant_id = ? AND provider = 'stripe' AND substr(provider_transaction_id, 1, ?) = ?").bind(TENANT, prefix.length, prefix).all()).results;
      const paid = new Set(rows.map((r) => r.pi));
      out.acceptedWithoutPayment = [...state.acceptedPis].filter((pi) => !paid.has(pi)).slice(0, 20);
      out.paymentsNotAccepted = [...paid].filter((pi) => !state.acceptedPis.has(pi)).slice(0, 20);
    }
    out.exactlyOnce = state.accepted > 0 && last.drained && out.processed === state.accepted && paymentRows === state.accepted;
    return out;
  };
  return { def, verify };
}

/** The end state as one line, and the ids that make the counts differ if they do. */
function printIngestion(ingestion) {
  const d = ingestion.drains;
  log(
    `• webhook ingestion: ${ingestion.accepted} accepted (${ingestion.duplicateAcks} duplicate acks), ${ingestion.processed} processed, ` +
      `${ingestion.paymentRows} payment rows, backlog ${ingestion.backlog}, dead letters ${ingestion.deadLetters}; ` +
      `after each run the queue took ${d.map((x) => `${(x.ms / 1000).toFixed(1)} s (${x.phase})`).join(", ")} to drain, ${(ingestion.drainMsTotal / 1000).toFixed(1)} s in all`,
  );
  if (ingestion.acceptedWithoutPayment) log(`  !!! accepted without a payment: ${ingestion.acceptedWithoutPayment.join(", ")}; payments not seen accepted: ${ingestion.paymentsNotAccepted.join(", ")}`);
}

/**
 * Sync throughput: `jobs` Stripe refund pushes, each one provider call with its own idempotency key,
 * queued through the public API and run by the sync consumer against the provider simulator. The
 * connection's rate limit is raised so the engine is measured, not Stripe's 25 calls/s.
 */
async function syncThroughput(mf, base, d1, key, secretKey) {
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
    const pi = await simCall("/stripe/v1/payment_intents", { method: "POST", headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/x-www-form-urlencoded" }, body });
    intents.push(pi.id);
  }
  const before = (await simCall("/_control/effects?provider=stripe")).data.length;
  const started = Date.now();
  const ids = [];
  for (let at = 0; at < intents.length; at += 16)
    ids.push(
      ...(await Promise.all(
        intents.slice(at, at + 16).map(async (pi) => {
          const r = await expectStatus(call(base, "POST", "/v1/integrations/stripe/sync", { key, body: { entity: "payments", direction: "push", params: { paymentIntent: pi, amount: 200 } } }), 202, "queue a sync job");
          return r.id;
        }),
      )),
    );
  const queuedMs = Date.now() - started;
  const deadline = Date.now() + settings.drainTimeoutSeconds * 1000;
  let counts = {};
  for (;;) {
    const { results } = await d1.prepare("SELECT status, COUNT(*) AS n FROM sync_jobs WHERE tenant_id = ? AND provider = 'stripe' AND created_at >= ? GROUP BY status").bind(TENANT, started).all();
    counts = Object.fromEntries(results.map((r) => [r.status, r.n]));
    const known = Object.values(counts).reduce((a, b) => a + b, 0);
    if (known !== ids.length) fail(`sync: ${known} jobs in D1 since the scenario began, ${ids.length} queued through the API`);
    if ((counts.queued ?? 0) + (counts.running ?? 0) === 0) break;
    if (Date.now() > deadline) fail(`sync: jobs not finished after ${settings.drainTimeoutSeconds} s: ${JSON.stringify(counts)}`);
    await sleep(50);
  }
  const totalMs = Date.now() - started;
  const { results: latency } = await d1
    .prepare("SELECT finished_at - created_at AS ms FROM sync_jobs WHERE tenant_id = ? AND provider = 'stripe' AND created_at >= ? ORDER BY ms")
    .bind(TENANT, started)
    .all();
  const effects = (await simCall("/_control/effects?provider=stripe")).data.slice(before);
  const keys = new Set(effects.map((e) => e.idempotencyKey));
  return {
    jobs, queuedMs, totalMs, jobsPerSec: jobs / (totalMs / 1000), counts,
    jobLatencyMs: { p50: latency[Math.floor(latency.length * 0.5)]?.ms ?? null, p95: latency[Math.floor(latency.length * 0.95)]?.ms ?? null },
    simulatorEffects: effects.length, distinctKeys: keys.size,
  };
}

function printSync(sync) {
  log(
    `• sync: ${sync.jobs} jobs queued in ${(sync.queuedMs / 1000).toFixed(1)} s, all finished after ${(sync.totalMs / 1000).toFixed(1)} s: ` +
      `${fmt(sync.jobsPerSec, 1)} jobs/s; ${JSON.stringify(sync.counts)}; job latency p50 ${sync.jobLatencyMs.p50} ms, p95 ${sync.jobLatencyMs.p95} ms; ` +
      `simulator saw ${sync.simulatorEffects} refunds under ${sync.distinctKeys} idempotency keys`,
  );
}

const providerGateTiming = (base) =>
  expectStatus(call(base, "POST", "/internal/dev/bench/gate", { body: { calls: settings.gateCalls } }), 200, "gate timing");

function printGate(gate) {
  log(
    `• provider gate, ${gate.calls} calls timed in workerd: admit + report ${fmt(gate.admitReportMeanUs, 0)} µs per call, ` +
      `against ${fmt(gate.statusMeanUs, 0)} µs for one bare read of the same object`,
  );
}

/** Imports the large zone's sessions between two RSS readings; a short import goes into `failures`. */
async function zoneMemory(base, adminKey, workerdPid, failures) {
  // The zone object exists and is configured before; then 100 000 sessions go in.
  await expectStatus(call(base, "GET", "/v1/zones", { key: adminKey }), 200, "list zones");
  const rssBefore = workerdPid ? await sampleRssMb(workerdPid) : NaN;
  const importedLarge = await importSessions(base, ZONES.large, settings.sessionsLarge, "import 100 000 sessions");
  const rssAfter = workerdPid ? await sampleRssMb(workerdPid) : NaN;
  log(`• ${ZONES.large}: ${importedLarge.imported} sessions imported in ${importedLarge.ms} ms (live ${importedLarge.live.active})`);
  log(`• workerd RSS: ${fmt(rssBefore, 1)} MB before, ${fmt(rssAfter, 1)} MB after (Δ ${fmt(rssAfter - rssBefore, 1)} MB)`);
  if (importedLarge.live.active !== settings.sessionsLarge) failures.push(`${ZONES.large} holds ${importedLarge.live.active} live sessions, not ${settings.sessionsLarge}`);
  return { workerdPid, rssBeforeMb: rssBefore, rssAfterImportMb: rssAfter, deltaMb: rssAfter - rssBefore };
}

async function main() {
  const startedAt = new Date();
  mkdirSync(stateDir, { recursive: true });
  build();

  const persistRoot = mkdtempSync(join(process.env.BENCH_STATE_DIR || os.tmpdir(), "curbgate-bench-"));
  log(`• starting workerd through Miniflare (state in ${persistRoot})`);
  const { mf, base, stdio } = await startMiniflare(persistRoot);
  const failures = [];
  const rows = [];
  let memory = null;
  let ingestion = null;
  let sync = null;
  try {
    const pids = workerdPids();
    if (pids.length !== 1) log(`  note: found ${pids.length} workerd processes (${pids.join(", ")}); measuring the first`);
    const workerdPid = pids[0];

    const { d1, files } = await migrate(mf);
    log(`• migrated D1 (${files.join(", ")}), seeding the demo tenant`);
    const keys = await seedDemoTenant(base, d1);
    const imported = await importSessions(base, ZONES.small, settings.sessionsSmall, "import 10 000 sessions");
    log(`• ${ZONES.small}: ${imported.imported} sessions imported in ${imported.ms} ms (live ${imported.live.active})`);
    memory = await zoneMemory(base, keys.admin, workerdPid, failures);

    const runTag = randomBytes(3).toString("hex").toUpperCase().replace(/[^A-Z0-9]/g, "");
    const webhookSecret = await connectStripe(base, keys.webhooks);
    const webhooks = webhookIngestion(base, d1, keys.webhooks, webhookSecret, runTag);

    log(
      `• load: ${settings.connections} connections; per scenario ${settings.warmupSeconds} s warm-up, then ${settings.durationSeconds} s measured ` +
        `in ${settings.rounds} interleaved round(s)`,
    );
    const defs = [
      trivial,
      verifyScenario(base, keys.officer, "verify10k", ZONES.small, settings.sessionsSmall),
      verifyScenario(base, keys.officer, "verify100k", ZONES.large, settings.sessionsLarge),
      batchScenario(base, keys.officer),
      sessionStartScenario(keys.app, runTag),
      webhooks.def,
    ];

    const selected = defs.filter((d) => !only || only.has(d.id));
    for (const row of await runScenarios(base, stdio, selected, { workerd: workerdPid, loadGenerator: process.pid })) {
      const unexpected = Object.entries(row.statuses).filter(([code]) => !(code >= 200 && code < 300) && !(defs.find((d) => d.id === row.id).allowed ?? []).includes(Number(code)));
      if (unexpected.length || row.errors || row.timeouts)
        failures.push(`${row.id}: unexpected responses ${JSON.stringify(Object.fromEntries(unexpected))}, ${row.errors} connection errors, ${row.timeouts} timeouts`);
      rows.push(row);
    }
    if (selected.includes(webhooks.def)) {
      ingestion = await webhooks.verify();
      printIngestion(ingestion);
    }
    if (!only || only.has("sync")) {
      log(`• sync: ${settings.syncJobs} Stripe refund jobs through the queue to the provider simulator`);
      sync = { ...(await syncThroughput(mf, base, d1, keys.webhooks, BENCH_STRIPE_KEY)), gate: await providerGateTiming(base) };
      printSync(sync);
      printGate(sync.gate);
    }
    if (memory && workerdPid) memory.rssAfterLoadMb = await sampleRssMb(workerdPid, 3);
    if (stdio.tail.length) {
      log(`${stdio.problems ? "!!!" : "•"} workerd wrote ${stdio.lines} log lines (${stdio.problems} warnings or errors) at LOG_LEVEL=warn; last ones:`);
      for (const l of stdio.tail.slice(-5)) log(`    ${l.slice(0, 300)}`);
    }
  } finally {
    await mf.dispose();
    if (process.env.BENCH_KEEP_STATE === "1") log(`• state kept in ${persistRoot}`);
    else rmSync(persistRoot, { recursive: true, force: true });
  }

  // Report.
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  log("");
  printTable(rows, by.trivial, by.verify10k);
  printCpu(rows);
  const targets = checkTargets(by, memory, ingestion, sync);
  printTargets(targets, memory);
  writeResults({ startedAt, rows, by, memory, ingestion, sync, targets, failures, stdio });

  if (failures.length) {
    console.error(`\n!!! BENCH FAILED: ${failures.length} problem(s)`);
    for (const f of failures) console.error(`!!!   ${f}`);
    process.exitCode = 1;
  } else if (targets.some((t) => t.result === "FAIL")) {
    log(`\n${targets.filter((t) => t.result === "FAIL").length} target(s) missed.`);
    process.exitCode = 2;
  }
}

main().catch((err) => {
  console.error(`\n!!! BENCH FAILED: ${err?.stack ?? err}`);
  process.exit(1);
});
