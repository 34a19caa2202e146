// The printed report of the load scenarios: one table row each, then the CPU each one used.
import os from "node:os";
import { fmt, log } from "./print.mjs";

export function printTable(rows, trivial, verify) {
  const head = [
    "scenario",
    "req/s",
    "p50 ms",
    "p99 ms",
    "req/s ÷ trivial",
    "p99 ÷ trivial p99",
    "plates/s",
    "plates/s ÷ verify",
    "non-2xx",
  ];
  const lines = rows.map((r) => [
    r.scenario,
    fmt(r.reqPerSec, 0),
    fmt(r.p50),
    fmt(r.p99),
    trivial ? fmt(r.reqPerSec / trivial.reqPerSec) : "–",
    trivial ? fmt(r.p99 / trivial.p99) : "–",
    r.platesPerRequest > 1 ? fmt(r.reqPerSec * r.platesPerRequest, 0) : "",
    r.platesPerRequest > 1 && verify ? fmt((r.reqPerSec * r.platesPerRequest) / verify.reqPerSec, 1) : "",
    String(r.non2xx + r.errors + r.timeouts),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  log(line(head));
  log(`|${widths.map((w, i) => (i === 0 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const l of lines) log(line(l));
}

/** Where the cores went during each scenario's slices; another busy process makes the ratios noisy. */
export function printCpu(rows) {
  log(`\n  CPU during the measured slices (cores; this machine has ${os.cpus().length}):`);
  for (const r of rows)
    log(
      `    ${r.id.padEnd(14)} workerd ${fmt(r.cpuCores.workerd)}  load generator ${fmt(r.cpuCores.loadGenerator)}  other processes ${fmt(r.cpuCores.otherProcesses)}` +
        `  steal ${fmt(r.cpuCores.steal)}  load-gen event-loop delay max ${fmt(r.loadGenLoopDelayMs.max, 1)} ms`,
    );
  const disturbed = rows.filter((r) => r.cpuCores.otherProcesses > 0.2 || r.cpuCores.steal > 0.1);
  if (disturbed.length)
    log(
      `  !!! other processes or the hypervisor took CPU during ${disturbed.map((r) => r.id).join(", ")}: figures are noisier than usual; rerun on a quiet machine.`,
    );
}
