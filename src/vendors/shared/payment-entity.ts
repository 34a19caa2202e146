// The "payments" entity every payment connector shares: pull lists the provider's payments, push refunds
// one through the connector's own `payments` capability, so a refund asked for by an operator (a sync
// job) and one asked for by the domain take exactly the same path.
import type { ConnectorContext, EntitySync, PaymentCapability, SyncJobInput, SyncResult } from "../../sync/contract";
import { refundParams } from "../../sync/params";

/** A vendor's refund status in the capability's words (RefundOutcome.status). */
export function refundStatus(raw: string, succeeded: string[], failed: string[]): "succeeded" | "pending" | "failed" {
  if (succeeded.includes(raw)) return "succeeded";
  return failed.includes(raw) ? "failed" : "pending";
}

export function paymentsEntity(opts: {
  description: string;
  pull: (ctx: ConnectorContext, job: SyncJobInput) => Promise<SyncResult>;
  payments: PaymentCapability;
  /** What the provider's transaction ids look like (params.transactionId is checked against it). */
  transactionId: RegExp;
}): EntitySync {
  return {
    directions: ["pull", "push"],
    description: opts.description,
    async run(ctx, job) {
      if (job.direction === "pull") return opts.pull(ctx, job);
      const refund = await opts.payments.refund(ctx, refundParams(job.params, opts.transactionId));
      return { records: 1, detail: { ...refund } };
    },
  };
}
