#!/usr/bin/env node
// `npm run bench`: Curbgate's targets (bench/README.md, "Targets checked"), measured on the BUILT worker
// running in workerd through Miniflare directly (not `wrangler dev`, whose proxy caps every route near the
// same figure). Each figure is also given as a ratio to the trivial route measured in the same run, so the
// machine's noise cancels. This file only wires: the environment it reads is in bench/lib/settings.mjs,
// the method in bench/lib/rounds.mjs, each scenario in bench/scenarios/. See bench/README.md.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { build } from "./lib/build.mjs";
import { BENCH_STRIPE_KEY, connectStripe, importSessions, seedDemoTenant } from "./lib/demo-tenant.mjs";
import { migrate, startMiniflare } from "./lib/miniflare.mjs";
import { log } from "./lib/print.mjs";
import { sampleRssMb, workerdPids } from "./lib/proc-readings.mjs";
import { writeResults } from "./lib/results-file.mjs";
import { runScenarios } from "./lib/rounds.mjs";
import { only, settings, stateDir, ZONES } from "./lib/settings.mjs";
import { printCpu, printTable } from "./lib/table.mjs";
import { checkTargets, printTargets } from "./lib/targets.mjs";
import { batchScenario } from "./scenarios/batch.mjs";
import { citationScenario } from "./scenarios/citation-issue.mjs";
import { printGate, providerGateTiming } from "./scenarios/provider-gate.mjs";
import { reservationScenario } from "./scenarios/reservation.mjs";
import { printRevenueReport, revenueReport } from "./scenarios/revenue-report.mjs";
import { sessionStartScenario } from "./scenarios/session-start.mjs";
import { printSync, syncThroughput } from "./scenarios/sync.mjs";
import { trivial } from "./scenarios/trivial.mjs";
import { verifyScenario } from "./scenarios/verify.mjs";
import { printIngestion, webhookIngestion } from "./scenarios/webhook-ingest.mjs";
import { zoneMemory } from "./scenarios/zone-memory.mjs";

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
  let revenue = null;
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

    const runTag = randomBytes(3)
      .toString("hex")
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "");
    const webhookSecret = await connectStripe(base, keys.webhooks);
    const webhooks = webhookIngestion(base, d1, keys.webhooks, webhookSecret, runTag);

    log(
      `• load: ${settings.connections} connections; per scenario ${settings.warmupSeconds} s warm-up, then ${settings.durationSeconds} s measured ` +
        `in ${settings.rounds} interleaved round(s)`,
    );
    const reserve = reservationScenario(base, keys.app, runTag);
    const defs = [
      trivial,
      verifyScenario(base, keys.officer, "verify10k", ZONES.small, settings.sessionsSmall),
      verifyScenario(base, keys.officer, "verify100k", ZONES.large, settings.sessionsLarge),
      batchScenario(base, keys.officer),
      sessionStartScenario(keys.app, runTag),
      reserve,
      webhooks.def,
      citationScenario(base, keys.citations, runTag),
    ];

    const selected = defs.filter((d) => !only || only.has(d.id));
    for (const row of await runScenarios(base, stdio, selected, { workerd: workerdPid, loadGenerator: process.pid })) {
      const unexpected = Object.entries(row.statuses).filter(
        ([code]) => !(code >= 200 && code < 300) && !(defs.find((d) => d.id === row.id).allowed ?? []).includes(Number(code)),
      );
      if (unexpected.length || row.errors || row.timeouts)
        failures.push(
          `${row.id}: unexpected responses ${JSON.stringify(Object.fromEntries(unexpected))}, ${row.errors} connection errors, ${row.timeouts} timeouts`,
        );
      rows.push(row);
    }
    if (selected.includes(reserve)) {
      const oversold = await reserve.check();
      if (oversold) failures.push(oversold);
      else log(`• reserve: the garage ended the load exactly full, never over`);
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
    if (!only || only.has("revenueReport")) {
      revenue = await revenueReport(base, d1);
      printRevenueReport(revenue);
    }
    if (memory && workerdPid) memory.rssAfterLoadMb = await sampleRssMb(workerdPid, 3);
    if (stdio.tail.length) {
      log(
        `${stdio.problems ? "!!!" : "•"} workerd wrote ${stdio.lines} log lines (${stdio.problems} warnings or errors) at LOG_LEVEL=warn; last ones:`,
      );
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
  writeResults({ startedAt, rows, by, memory, ingestion, sync, revenue, targets, failures, stdio });

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
