// What a run measures and where things are, read once from the environment (see bench/README.md).
//
// Env: BENCH_DURATION (measured s per scenario, default 10), BENCH_WARMUP (s, default 3),
//      BENCH_ROUNDS (interleaved rounds the duration is split into, default 3), BENCH_CONNECTIONS (default 32),
//      BENCH_PORT (default: any free port), BENCH_ONLY (comma list of scenario ids), BENCH_KEEP_STATE=1,
//      BENCH_STATE_DIR (parent of the fresh state directory, default the OS temp dir),
//      BENCH_SKIP_BUILD=1 (reuse bench/.state/dist), BENCH_DRAIN_TIMEOUT (s the webhook queue may take to
//      drain after each ingestion run, default 60), BENCH_SYNC_JOBS (refund jobs in the sync scenario, default 300).
//      BENCH_REPORT_PER_DAY (payments a day in the revenue report's month, default 50 000, a multiple of 20),
//      BENCH_REPORT_RUNS (timed report requests per case, default 15).
//      Scenario ids: trivial, verify10k, verify100k, batch50, sessionStart, reserve, webhookIngest, citation1mb, sync, revenueReport.
import { join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");
export const stateDir = join(root, "bench", ".state");
export const distDir = join(stateDir, "dist");

const intEnv = (name, fallback, min = 0) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min}, got ${JSON.stringify(raw)}`);
  return n;
};
// The key order is the order of `settings` in results.json.
export const settings = {
  durationSeconds: intEnv("BENCH_DURATION", 10, 1),
  warmupSeconds: intEnv("BENCH_WARMUP", 3, 0),
  connections: intEnv("BENCH_CONNECTIONS", 32, 1),
  sessionsSmall: 10_000,
  sessionsLarge: 100_000,
  batchSize: 50,
  verifyHitRatio: 0.9,
  bodyPool: 8192,
  rounds: intEnv("BENCH_ROUNDS", 3, 1),
  port: intEnv("BENCH_PORT", 0, 0),
  drainTimeoutSeconds: intEnv("BENCH_DRAIN_TIMEOUT", 60, 1),
  syncJobs: intEnv("BENCH_SYNC_JOBS", 300, 1),
  gateCalls: 2000,
};
export const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map((s) => s.trim())) : null;

export const TENANT = "demo";
export const ZONES = { small: "BENCH10K", large: "BENCH100K", sessions: "BENCHSES", reserve: "BENCHRES" };
/** BENCHRES's spaces: few enough that the `reserve` row fills it within its warm-up and then refuses. */
export const RESERVE_CAPACITY = 1000;
