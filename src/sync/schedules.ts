// Scheduled connector jobs: every five minutes the cron starts each due schedule's job through the same
// path as a manual start (a queued row in D1, then its message). A schedule whose vendor is not
// connected (or needs re-authorising) starts nothing and says why on the schedule; it tries again at its
// next run. Each run pushes or pulls what changed since the previous run (`since`).
import type { Bindings } from "../env";
import { log } from "../lib/log";
import { findByProvider } from "../storage/connections";
import { db } from "../storage/db";
import { createJob } from "../storage/sync-jobs";
import { claimRun, dueSchedules, recordScheduledJob } from "../storage/sync-schedules";
import { enqueueSyncJobs } from "./enqueue";

// "error" is a connection whose last test failed: it is still connected, and the job's own call decides.
const RUNNABLE = new Set(["connected", "error"]);
const PER_RUN = 100; // more than this due at once: the next cron run takes the rest

/** Starts the job of every schedule due at `nowMs`, once each; answers how many jobs it queued. */
export async function runDueSchedules(env: Bindings, nowMs = Date.now()): Promise<number> {
  const database = db(env.DB);
  let queued = 0;
  for (const row of await dueSchedules(database, nowMs, PER_RUN)) {
    if (!(await claimRun(database, row, nowMs))) continue; // another cron run took it
    const connection = await findByProvider(database, row.tenantId, row.provider);
    if (!connection || !RUNNABLE.has(connection.status)) {
      const why = connection
        ? `${row.provider} is ${connection.status.replaceAll("_", " ")}`
        : `${row.provider} is not connected`;
      await recordScheduledJob(database, row, null, why);
      continue;
    }
    const job = await enqueueSyncJobs(
      env,
      (d) =>
        createJob(
          d,
          {
            tenantId: row.tenantId,
            provider: row.provider,
            entity: row.entity,
            direction: row.direction,
            priority: "normal",
            since: row.lastRunAt,
            params: row.params,
          },
          nowMs,
        ),
      { leaveFailedSendToCron: true },
    );
    await recordScheduledJob(database, row, job.id, null);
    queued++;
  }
  if (queued) log.info("scheduled sync jobs queued", { queued });
  return queued;
}
