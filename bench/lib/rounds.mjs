// The measuring method: warm-ups, interleaved rounds, and one row of figures per scenario.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { cannon } from "./cannon.mjs";
import { log } from "./print.mjs";
import { cpuSnapshot, cpuUse } from "./proc-readings.mjs";
import { settings } from "./settings.mjs";

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/**
 * Runs every scenario: one warm-up each, then BENCH_ROUNDS rounds in which each scenario gets an equal
 * slice of BENCH_DURATION. Interleaving means slow drift on the machine (another process, a noisy
 * neighbour) hits the trivial route and the others alike, so their ratios stay honest.
 */
export async function runScenarios(base, stdio, defs, pids) {
  const acc = new Map(
    defs.map((d) => [
      d.id,
      {
        def: d,
        slices: [],
        latencies: [],
        responses: 0,
        afterWindow: 0,
        statuses: {},
        errors: 0,
        timeouts: 0,
        seconds: 0,
        logLines: 0,
        cpu: [],
        loop: { p99: 0, max: 0 },
      },
    ]),
  );
  for (const d of defs) {
    if (d.check) await d.check();
    if (settings.warmupSeconds > 0) await cannon(base, d, settings.warmupSeconds);
    if (d.settle) await d.settle("warm-up");
  }
  const slice = settings.durationSeconds / settings.rounds;
  for (let round = 1; round <= settings.rounds; round++) {
    for (const d of defs) {
      const a = acc.get(d.id);
      const lines = stdio.lines;
      const before = cpuSnapshot(pids);
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const r = await cannon(base, d, slice);
      loop.disable();
      a.loop.p99 = Math.max(a.loop.p99, loop.percentile(99) / 1e6);
      a.loop.max = Math.max(a.loop.max, loop.max / 1e6);
      a.cpu.push({ ...cpuUse(before, cpuSnapshot(pids)), seconds: r.seconds });
      a.logLines += stdio.lines - lines;
      for (const l of r.latencies) a.latencies.push(l);
      for (const [code, n] of Object.entries(r.statuses)) a.statuses[code] = (a.statuses[code] ?? 0) + n;
      a.errors += r.errors;
      a.timeouts += r.timeouts;
      a.seconds += r.seconds;
      a.responses += r.responses;
      a.afterWindow += r.afterWindow;
      a.slices.push({ round, reqPerSec: r.responses / r.seconds, responses: r.responses, seconds: r.seconds });
      // Outside the measured slice: work the scenario left behind (the webhook queue) finishes here,
      // so it does not run under the next scenario's load.
      if (d.settle) await d.settle(`round ${round}`);
    }
    log(
      `  round ${round}/${settings.rounds}: ${defs.map((d) => `${d.id} ${acc.get(d.id).slices.at(-1).reqPerSec.toFixed(0)}`).join(", ")} req/s`,
    );
  }

  const rows = [];
  for (const {
    def,
    slices,
    latencies,
    responses,
    afterWindow,
    statuses,
    errors,
    timeouts,
    seconds,
    logLines,
    cpu,
    loop,
  } of acc.values()) {
    const sorted = Float64Array.from(latencies).sort();
    const samples = sorted.length; // = responses, plus afterWindow for graceful runs
    const ok = Object.entries(statuses)
      .filter(([code]) => code >= 200 && code < 300)
      .reduce((n, [, c]) => n + c, 0);
    const intended = Object.entries(statuses)
      .filter(([code]) => (def.allowed ?? []).includes(Number(code)))
      .reduce((n, [, c]) => n + c, 0);
    const avg = (k) => cpu.reduce((n, c) => n + c[k] * c.seconds, 0) / seconds;
    rows.push({
      id: def.id,
      scenario: def.title,
      platesPerRequest: def.platesPerRequest ?? 1,
      responses,
      seconds,
      reqPerSec: responses / seconds,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: samples ? sorted[samples - 1] : NaN,
      mean: samples ? sorted.reduce((n, x) => n + x, 0) / samples : NaN,
      ...(def.graceful ? { responsesAfterWindow: afterWindow } : {}),
      statuses,
      non2xx: samples - ok - intended,
      intendedNon2xx: intended,
      errors,
      timeouts,
      slices,
      cpuCores: {
        workerd: avg("workerd"),
        loadGenerator: avg("loadGenerator"),
        otherProcesses: avg("otherProcesses"),
        steal: avg("steal"),
      },
      loadGenLoopDelayMs: loop, // worst slice
      workerdLogLines: logLines,
    });
  }
  return rows;
}
