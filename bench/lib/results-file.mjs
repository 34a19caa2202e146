// bench/results.json: the machine, the settings and every figure of the run, ratios included.
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { log } from "./print.mjs";
import { only, root, settings, ZONES } from "./settings.mjs";

/** `by`: the rows by scenario id; ratios are to the trivial route and to the 10k verify. */
export function writeResults({ startedAt, rows, by, memory, ingestion, sync, revenue, targets, failures, stdio }) {
  const trivial = by.trivial;
  const verify = by.verify10k;
  const results = {
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
      miniflare: JSON.parse(readFileSync(join(root, "node_modules", "miniflare", "package.json"), "utf8")).version,
      date: startedAt.toISOString(),
    },
    settings: { ...settings, zones: ZONES, only: only ? [...only] : null },
    rows: rows.map((r) => ({
      ...r,
      sliceRatiosToTrivial: trivial && r !== trivial ? r.slices.map((sl, i) => sl.reqPerSec / trivial.slices[i].reqPerSec) : null,
      reqPerSecRatioToTrivial: trivial ? r.reqPerSec / trivial.reqPerSec : null,
      p99RatioToTrivial: trivial ? r.p99 / trivial.p99 : null,
      platesPerSec: r.platesPerRequest > 1 ? r.reqPerSec * r.platesPerRequest : null,
      platesPerSecRatioToVerify: r.platesPerRequest > 1 && verify ? (r.reqPerSec * r.platesPerRequest) / verify.reqPerSec : null,
    })),
    memory,
    ingestion,
    sync,
    revenueReport: revenue ?? null,
    targets,
    failures,
    workerdLog: { lines: stdio.lines, warningsOrErrors: stdio.problems, tail: stdio.tail },
  };
  writeFileSync(join(root, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  log(`\n• wrote bench/results.json`);
}
