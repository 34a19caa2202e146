/** A sync job to run; the job row in D1 holds its parameters and status. */
export interface SyncMessage {
  v: 1;
  jobId: string;
  tenantId: string;
  provider: string;
}

/** The message that asks the sync consumer to run a job. */
export const syncMessage = (job: { id: string; tenantId: string; provider: string }): SyncMessage => ({
  v: 1,
  jobId: job.id,
  tenantId: job.tenantId,
  provider: job.provider,
});
