// Sync job consumer: runs a job's connector operation through the provider gate. A refusal by the
// breaker or a provider's Retry-After delays the job by exactly that long; other failures back off
// exponentially with jitter; a client error fails the job for an operator to look at; a job that
// exhausts SYNC_MAX_ATTEMPTS is dead-lettered; a job an operator stopped is not retried. Outbound
// calls carry idempotency keys derived from the job id, so a retried job never repeats a side effect
// at the provider.
import { connectorOf } from "../src/vendors";
import type { Bindings } from "../src/env";
import { connectionFor } from "../src/vault/connections";
import { db } from "../src/storage/db";
import { recordJobDeadLetter } from "../src/storage/dead-letters";
import { findJob, markJob, requeueJob, startJob } from "../src/storage/sync-jobs";
import { ProviderCallError } from "../src/lib/vendor-call-error";
import { operationFor } from "../src/sync/jobs";
import { connectorContext } from "../src/sync/call";
import { retryDelaySeconds } from "../src/lib/backoff";
import { isProbe, type QueueProbe } from "../src/lib/queues";
import type { SyncMessage } from "../src/sync/message";

export async function handleSyncBatch(
  batch: MessageBatch<SyncMessage | QueueProbe>,
  env: Bindings,
  random: () => number = Math.random,
) {
  const database = db(env.DB);
  const maxAttempts = Number(env.SYNC_MAX_ATTEMPTS ?? 6);
  const base = Number(env.SYNC_RETRY_BASE_SECONDS ?? 15);
  for (const message of batch.messages) {
    const m = message.body;
    if (isProbe(m)) {
      message.ack();
      continue;
    }
    const job = await findJob(database, m.tenantId, m.jobId);
    if (!job || job.status === "succeeded" || job.status === "stopped" || job.status === "dead") {
      message.ack();
      continue;
    }
    const connector = connectorOf(job.provider);
    const operation = connector && operationFor(env, connector, job.entity);
    const connection = connector ? await connectionFor(env, job.tenantId, job.provider) : null;
    if (!connector || !operation || !connection) {
      await markJob(database, job, {
        status: "failed",
        lastError: !connection ? "provider not connected" : "no such sync operation",
        finishedAt: Date.now(),
      });
      message.ack();
      continue;
    }
    await startJob(database, job);
    const target = {
      env,
      tenantId: job.tenantId,
      connector,
      credentials: connection.credentials,
      settings: connection.settings,
      connectionId: connection.id,
    };
    try {
      const result = await operation.run(connectorContext(target, job.id), {
        id: job.id,
        entity: job.entity,
        direction: job.direction,
        since: job.since,
        params: job.params,
      });
      await markJob(database, job, { status: "succeeded", result, lastError: null, finishedAt: Date.now() });
      message.ack();
    } catch (err) {
      const failure =
        err instanceof ProviderCallError
          ? err
          : new ProviderCallError("server", err instanceof Error ? err.message : String(err));
      const error = failure.message.slice(0, 1000);
      if (!failure.retryable) {
        await markJob(database, job, { status: "failed", lastError: error, finishedAt: Date.now() });
        message.ack();
      } else if (message.attempts >= maxAttempts) {
        const now = Date.now();
        await markJob(database, job, { status: "dead", lastError: error, finishedAt: now });
        await recordJobDeadLetter(database, job, message.attempts, error, now);
        message.ack();
      } else {
        const delaySeconds =
          failure.retryAfterMs !== null
            ? Math.max(1, Math.ceil(failure.retryAfterMs / 1000))
            : retryDelaySeconds(message.attempts, base, 3600, random);
        // A job stopped while this attempt ran stays stopped: its message is dropped, not retried.
        if (await requeueJob(database, job, error)) message.retry({ delaySeconds });
        else message.ack();
      }
    }
  }
}
