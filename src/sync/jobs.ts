// How the queue consumer runs the domain's capability jobs (src/sync/requests.ts): "refund" through the
// provider's `payments`, "message" through its `messaging`. Other entity names are the connector's own.
//
// A refund carries the job's idempotency key to the provider, so a retried job refunds once; the refund
// is then recorded in `payments` the way the provider's refund webhook would record it.
//
// A message is sent at most once. Email and SMS APIs take no idempotency key (Brevo's body key lasts
// minutes), so before each attempt the job is marked "sending"; an answer that proves the provider did
// not take the message (a refusal by the gate, any HTTP status but 2xx, 408 and 504) clears the mark and
// the job retries as usual. An attempt that ends without such proof (a timeout, a lost connection, a
// crash) leaves the mark, and the next attempt does not send again: inside the provider's own dedupe
// window it resends with the same key (the provider drops the copy), otherwise the job fails as
// "delivery uncertain" for an operator, whose retry (POST …/sync/retry) sends it anyway.
import type { Connector, EntitySync, MessagingCapability, PaymentCapability } from "./contract";
import { invalidParams, intParam, requiredString, stringParam } from "./params";
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { claimDelivery, findJob, markJob } from "../storage/sync-jobs";
import { recordRefund } from "../effects/payments";
import { ProviderCallError, type CallFailureKind } from "../lib/vendor-call-error";
import { MESSAGE_JOB, REFUND_JOB } from "./requests";

/** The operation a job's entity names on this connector, or undefined. */
export function operationFor(env: Bindings, connector: Connector, entity: string): EntitySync | undefined {
  if (entity === REFUND_JOB) return connector.payments && refundOperation(env, connector.payments);
  if (entity === MESSAGE_JOB) return connector.messaging && messageOperation(env, connector.messaging);
  return Object.hasOwn(connector.entities, entity) ? connector.entities[entity] : undefined;
}

function refundOperation(env: Bindings, payments: PaymentCapability): EntitySync {
  return {
    directions: ["push"],
    description: "Refund a recorded payment (requestRefund).",
    async run(ctx, job) {
      const transactionId = requiredString(job.params, "transactionId");
      const amountCents = intParam(job.params, "amountCents", 1, 100_000_000);
      const outcome = await payments.refund(ctx, { transactionId, amountCents, reason: stringParam(job.params, "reason") });
      // A pending refund is recorded when the provider's webhook says it succeeded.
      const recorded =
        outcome.status === "succeeded"
          ? await recordRefund(
              { env, tenantId: ctx.tenantId, provider: ctx.provider, eventId: job.id, nowMs: Date.now() },
              { providerTransactionId: transactionId, refundId: outcome.refundId, amountCents: outcome.amountCents },
            )
          : null;
      return {
        records: 1,
        detail: {
          ...outcome,
          paymentId: job.params.paymentId ?? null,
          sessionId: job.params.sessionId ?? null,
          recorded: recorded?.effect ?? null,
        },
      };
    },
  };
}

// Failures that prove the provider did not take the message: the gate refused, or the provider answered.
const NOT_SENT = new Set<CallFailureKind>(["circuit_open", "rate_limited", "unavailable", "server", "auth", "client"]);

function messageOperation(env: Bindings, messaging: MessagingCapability): EntitySync {
  return {
    directions: ["push"],
    description: `Send a ${messaging.channel} message (sendMessage).`,
    async run(ctx, job) {
      const channel = requiredString(job.params, "channel");
      if (channel !== messaging.channel) throw invalidParams(`${ctx.provider} sends ${messaging.channel}, not ${channel}`);
      const msg = {
        to: requiredString(job.params, "to"),
        subject: stringParam(job.params, "subject"),
        text: requiredString(job.params, "text"),
      };
      const database = db(env.DB);
      const self = { tenantId: ctx.tenantId, id: job.id };
      if (!(await claimDelivery(database, self))) {
        const prior = (await findJob(database, ctx.tenantId, job.id))?.result as { at?: number } | null;
        const since = Date.now() - (prior?.at ?? 0);
        if (!messaging.dedupeWindowMs || since >= messaging.dedupeWindowMs) {
          await markJob(database, self, { result: { delivery: "uncertain", at: prior?.at ?? null } });
          throw new ProviderCallError(
            "client",
            "delivery uncertain: an earlier attempt may have reached the provider, so it was not sent again; retry the job to send it anyway",
          );
        }
        // Inside the provider's dedupe window: the same key makes a resend harmless.
      }
      try {
        const sent = await messaging.send(ctx, msg);
        return { records: 1, detail: { channel, purpose: job.params.purpose ?? null, ...sent } };
      } catch (err) {
        if (err instanceof ProviderCallError && NOT_SENT.has(err.kind)) await markJob(database, self, { result: null });
        throw err;
      }
    },
  };
}
