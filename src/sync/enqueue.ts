// Putting sync jobs on the queue, the one way every caller does it (starting a sync, a refund or a
// message, the operator's retry, the stale-job cron): the job's row is written to D1 as "queued" first,
// and only then is its message sent. The row is the promise: a message the queue loses (or refuses)
// leaves a queued row that the stale-job cron (./recovery.ts) sends again, and no message ever names a
// job D1 does not hold.
import type { Bindings } from "../env";
import { log } from "../lib/log";
import { db, type Db } from "../storage/db";
import type { SyncJobRow } from "../storage/sync-jobs";
import { syncMessage } from "./message";

type Job = Pick<SyncJobRow, "id" | "tenantId" | "provider">;

/**
 * Enqueues sync jobs. `write` stores their rows in D1 as "queued" and returns what to send: one job
 * (sent as one message), a list (sent as one batch, when not empty) or null (nothing to send, e.g. the
 * job was queued by an earlier request). Returns what `write` returned.
 *
 * A refused send rejects, unless `leaveFailedSendToCron`: then it is logged and the cron sends the job,
 * for callers that tell their own caller the job is queued either way.
 */
export async function enqueueSyncJobs<W extends Job | Job[] | null>(
  env: Bindings,
  write: (database: Db) => Promise<W>,
  opts: { leaveFailedSendToCron?: boolean } = {},
): Promise<W> {
  const written = await write(db(env.DB));
  const w: Job | Job[] | null = written;
  if (w === null || (Array.isArray(w) && w.length === 0)) return written;
  const sent = Array.isArray(w)
    ? env.SYNC_QUEUE.sendBatch(w.map((j) => ({ body: syncMessage(j), contentType: "json" as const })))
    : env.SYNC_QUEUE.send(syncMessage(w), { contentType: "json" });
  if (!opts.leaveFailedSendToCron) await sent;
  else {
    const which = Array.isArray(w) ? { jobIds: w.map((j) => j.id) } : { jobId: w.id, provider: w.provider };
    await sent.catch((err: unknown) =>
      log.warn("sync job send deferred to the stale-job cron", { ...which, error: String(err) }),
    );
  }
  return written;
}
