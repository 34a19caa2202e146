// The targets (bench/README.md, "Targets checked"): each PASS, FAIL, SKIP (not run) or INFO.
import { fmt, log } from "./print.mjs";
import { settings } from "./settings.mjs";

/** `by`: the rows by scenario id; `memory`, `ingestion`, `sync`: null when not run. */
export function checkTargets(by, memory, ingestion, sync) {
  const trivial = by.trivial;
  const verify = by.verify10k;
  const targets = [];
  const target = (name, measured, goal, pass) =>
    targets.push({ name, measured, goal, result: pass === null ? "SKIP" : pass ? "PASS" : "FAIL" });
  if (trivial && verify) {
    target(
      "verify 10k: throughput ≥ 0.5 × trivial",
      `${fmt(verify.reqPerSec / trivial.reqPerSec)} ×`,
      "≥ 0.50 ×",
      verify.reqPerSec >= 0.5 * trivial.reqPerSec,
    );
    target("verify 10k: p99 ≤ 2 × trivial p99", `${fmt(verify.p99 / trivial.p99)} ×`, "≤ 2.00 ×", verify.p99 <= 2 * trivial.p99);
  }
  if (trivial && by.verify100k) {
    target(
      "verify 100k: throughput ≥ 0.5 × trivial",
      `${fmt(by.verify100k.reqPerSec / trivial.reqPerSec)} ×`,
      "≥ 0.50 ×",
      by.verify100k.reqPerSec >= 0.5 * trivial.reqPerSec,
    );
    target(
      "verify 100k: p99 ≤ 2 × trivial p99",
      `${fmt(by.verify100k.p99 / trivial.p99)} ×`,
      "≤ 2.00 ×",
      by.verify100k.p99 <= 2 * trivial.p99,
    );
  }
  if (verify && by.verify100k) {
    const ratio = by.verify100k.reqPerSec / verify.reqPerSec;
    target("verify 100k throughput within 10 % of 10k", `${fmt((ratio - 1) * 100, 1)} %`, "≥ −10 %", ratio >= 0.9);
  }
  if (verify && by.batch50) {
    const ratio = (by.batch50.reqPerSec * by.batch50.platesPerRequest) / verify.reqPerSec;
    target(`batch ${settings.batchSize}: plates/s ≥ 20 × single verify`, `${fmt(ratio, 1)} ×`, "≥ 20 ×", ratio >= 20);
  }
  for (const id of ["verify10k", "verify100k", "batch50", "sessionStart", "webhookIngest"])
    if (by[id]) target(`${id}: p99 < 50 ms`, `${fmt(by[id].p99)} ms`, "< 50 ms", by[id].p99 < 50);
  if (trivial)
    // not a target: the floor this machine sets for every route's p99
    targets.push({
      name: "reference: trivial route p99 (not a target)",
      measured: `${fmt(trivial.p99)} ms`,
      goal: "< 50 ms for hot routes",
      result: "INFO",
    });
  if (memory)
    target(
      "zone DO with 100 000 sessions: RSS growth < 64 MB",
      `${fmt(memory.deltaMb, 1)} MB`,
      "< 64 MB",
      Number.isFinite(memory.deltaMb) ? memory.deltaMb < 64 : null,
    );
  if (trivial && by.webhookIngest)
    target(
      "webhook ingestion ≥ 0.5 × trivial",
      `${fmt(by.webhookIngest.reqPerSec / trivial.reqPerSec)} ×`,
      "≥ 0.50 ×",
      by.webhookIngest.reqPerSec >= 0.5 * trivial.reqPerSec,
    );
  else target("webhook ingestion ≥ 0.5 × trivial", "not run (BENCH_ONLY)", "≥ 0.50 ×", null);
  if (ingestion)
    target(
      "webhook: every accepted event processed exactly once",
      `accepted ${ingestion.accepted}, processed ${ingestion.processed}, payment rows ${ingestion.paymentRows}`,
      "all three equal",
      ingestion.exactlyOnce,
    );
  if (sync)
    target(
      "sync: every job done, one refund per idempotency key",
      `${sync.counts.succeeded ?? 0} of ${sync.jobs} succeeded, ${sync.simulatorEffects} refunds, ${sync.distinctKeys} keys`,
      "all equal",
      sync.counts.succeeded === sync.jobs && sync.simulatorEffects === sync.jobs && sync.distinctKeys === sync.jobs,
    );
  return targets;
}

export function printTargets(targets, memory) {
  log("");
  for (const t of targets) log(`  ${t.result.padEnd(4)}  ${t.name.padEnd(52)} ${t.measured}  (target ${t.goal})`);
  if (memory)
    log(
      `\n  workerd RSS: ${fmt(memory.rssBeforeMb, 1)} MB before the 100k import, ${fmt(memory.rssAfterImportMb, 1)} MB after it, ` +
        `${fmt(memory.rssAfterLoadMb, 1)} MB after all load (workerd's RSS grows under load even for a hello-world worker, so only the import delta is judged)`,
    );
}
