// Stale-job recovery (cron): a job still "running" long after its consumer should have finished, or
// "queued" with no message in sight, is queued again. Its idempotency keys make a double run harmless.
import type { Bindings } from "../env";
import { log } from "../lib/log";
import { db } from "../storage/db";
import { markJob, staleJobs } from "../storage/sync-jobs";
import { enqueueSyncJobs } from "./enqueue";

export async function recoverStaleSyncJobs(env: Bindings, nowMs = Date.now()): Promise<number> {
  const stale = await staleJobs(db(env.DB), nowMs);
  for (const job of stale)
    await enqueueSyncJobs(env, async (database) => {
      await markJob(database, job, { status: "queued", lastError: job.lastError ?? "recovered after going stale" });
      return job;
    });
  if (stale.length) log.warn("stale sync jobs recovered", { count: stale.length });
  return stale.length;
}
