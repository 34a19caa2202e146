// What a pull reads from a payment provider goes into the ledger by the very path a webhook's payment
// takes (src/effects/payments.ts), marked source "pull". The ledger row is keyed by tenant, provider and
// transaction id, so a pull run twice, or a pull after the webhook, stores each payment once.
import type { Bindings } from "../env";
import { recordPayment, recordRefund } from "../effects/payments";
import type { PaymentLedger } from "./contract";

export function pullLedger(env: Bindings, tenantId: string, provider: string, jobId: string): PaymentLedger {
  // The effect context a webhook's effect would get, named through recordPayment (src/sync does not see
  // the webhook engine); the job stands in for the event.
  const ctx = (): Parameters<typeof recordPayment>[0] => ({
    env,
    tenantId,
    provider,
    eventId: `pull:${jobId}`,
    nowMs: Date.now(),
  });
  return {
    async payment(p) {
      await recordPayment(ctx(), { ...p, source: "pull" });
    },
    async refund(r) {
      await recordRefund(ctx(), r);
    },
  };
}
