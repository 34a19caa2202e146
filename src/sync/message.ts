/** A sync job to run; the job row in D1 holds its parameters and status. */
export interface SyncMessage {
  v: 1;
  jobId: string;
  tenantId: string;
  provider: string;
}
