// The one way the domain reaches payment and messaging providers: refunds and driver
// messages are sync jobs on the existing queue, so every call passes the tenant's provider gate
// (breaker, rate limit, Retry-After), is retried with backoff, carries the job's idempotency key and
// is logged. Which provider: for a refund, the one that took the original payment; for a message, the
// tenant's connected provider for the channel (the first by name if it has several). Nothing here
// names a provider: connectors declare `payments` and `messaging` (src/sync/contract.ts), and the
// queue consumer runs these jobs through them (src/sync/jobs.ts).
import { stableId } from "../lib/ids";
import type { Connector } from "./contract";
import { type Channel, isContactFor } from "../domain/contacts";
import type { Bindings } from "../env";
import { Failure } from "../lib/failure";
import { findByProvider, listConnections } from "../storage/connections";
import { db } from "../storage/db";
import { findPayment, findPaymentByTransaction, refundablePayments } from "../storage/payments";
import { findJob, insertJobOnce } from "../storage/sync-jobs";
import { enqueueSyncJobs } from "./enqueue";

/** The entity names of capability jobs; no connector entity may use them. */
export const REFUND_JOB = "refund";
export const MESSAGE_JOB = "message";

/** The tenant has no connected provider able to do what was asked: a 409 naming what to connect. */
export class CapabilityUnavailable extends Failure {
  constructor(detail: string) {
    super("conflict", detail);
  }
}

export interface RefundRequestInput {
  /** Curbgate's payment id (pay_…), or the provider and its transaction id. */
  paymentId?: string;
  provider?: string;
  transactionId?: string;
  amountCents: number;
  reason: string;
  sessionId?: string | null;
  /** Asking again with the same key queues nothing new (e.g. "session-end:<session id>"). */
  dedupeKey?: string;
}

export interface MessageInput {
  channel: Channel;
  to: string;
  subject?: string;
  text: string;
  /** Why it is sent ("expiry_reminder", "receipt"); recorded on the job. */
  purpose: string;
  dedupeKey?: string;
}

/** The vendors' connectors by vendor id: the caller's registry (src/vendors), passed in so this engine names no vendor. */
export type Connectors = Readonly<Record<string, Connector>>;

const connectorIn = (connectors: Connectors, id: string) => (Object.hasOwn(connectors, id) ? connectors[id] : undefined);

export interface QueuedJob {
  jobId: string;
  provider: string;
  /** False when `dedupeKey` found the job an earlier request queued. */
  queued: boolean;
}

async function queueJob(
  env: Bindings,
  tenantId: string,
  provider: string,
  entity: string,
  params: Record<string, unknown>,
  dedupeKey?: string,
): Promise<QueuedJob> {
  const id = await stableId("job", `${tenantId}\u0000${entity}\u0000${dedupeKey ?? crypto.randomUUID()}`);
  // The row is the promise: if the queue refuses this send, the job stays "queued" in D1 and the
  // stale-job cron sends it again, so the caller is told it is queued either way. A job an earlier
  // request created (same dedupeKey) is not sent again.
  const created = await enqueueSyncJobs(
    env,
    (database) =>
      insertJobOnce(database, id, { tenantId, provider, entity, direction: "push", priority: "high", since: null, params }),
    { leaveFailedSendToCron: true },
  );
  const row = created ?? (await findJob(db(env.DB), tenantId, id));
  if (!row) throw new Error(`job ${id} exists for another tenant`);
  return { jobId: row.id, provider: row.provider, queued: created !== null };
}

async function requireConnected(env: Bindings, tenantId: string, provider: string, what: string) {
  const row = await findByProvider(db(env.DB), tenantId, provider);
  if (row?.status !== "connected")
    throw new CapabilityUnavailable(`${what}: connect ${provider} first (POST /v1/integrations/connections)`);
}

/** Queues a refund of a recorded payment through the provider that took it. */
export async function requestRefund(
  env: Bindings,
  connectors: Connectors,
  tenantId: string,
  req: RefundRequestInput,
): Promise<QueuedJob & { paymentId: string; amountCents: number }> {
  const database = db(env.DB);
  let payment;
  if (req.paymentId) payment = await findPayment(database, tenantId, req.paymentId);
  else if (req.provider && req.transactionId)
    payment = await findPaymentByTransaction(database, tenantId, req.provider, req.transactionId);
  else throw new Failure("invalid", "Name the payment: paymentId, or provider and transactionId");
  if (!payment) throw new Failure("not_found", "Payment not found");
  if (payment.status !== "succeeded" && payment.status !== "partially_refunded")
    throw new Failure("conflict", `Payment ${payment.id} is ${payment.status}; there is nothing to refund`);
  const left = payment.amountCents - payment.refundedCents;
  if (!Number.isSafeInteger(req.amountCents) || req.amountCents < 1 || req.amountCents > left)
    throw new Failure("invalid", `A refund of payment ${payment.id} must be 1 to ${left} cents`);
  if (!connectorIn(connectors, payment.provider)?.payments)
    throw new CapabilityUnavailable(`Refunds through ${payment.provider} are not supported`);
  await requireConnected(env, tenantId, payment.provider, `Refunding a ${payment.provider} payment`);
  const params = {
    paymentId: payment.id,
    transactionId: payment.providerTransactionId,
    amountCents: req.amountCents,
    reason: req.reason,
    sessionId: req.sessionId ?? null,
  };
  const job = await queueJob(env, tenantId, payment.provider, REFUND_JOB, params, req.dedupeKey);
  return { ...job, paymentId: payment.id, amountCents: req.amountCents };
}

/** The providers that can send on `channel`, whether or not the tenant connected them. */
export const providersFor = (connectors: Connectors, channel: Channel) =>
  Object.values(connectors)
    .filter((c) => c.messaging?.channel === channel)
    .map((c) => c.provider);

/** Queues a message to a driver through the tenant's connected provider for the channel. */
export async function sendMessage(
  env: Bindings,
  connectors: Connectors,
  tenantId: string,
  msg: MessageInput,
): Promise<QueuedJob> {
  if (!isContactFor(msg.channel, msg.to))
    throw new Failure(
      "invalid",
      msg.channel === "sms" ? "An SMS goes to an E.164 number (+12035550123)" : "An email goes to an email address",
    );
  if (!msg.text) throw new Failure("invalid", "A message needs text");
  const connected = (await listConnections(db(env.DB), tenantId)).filter(
    (c) => c.status === "connected" && connectorIn(connectors, c.provider)?.messaging?.channel === msg.channel,
  );
  const provider = connected[0]?.provider;
  if (!provider)
    throw new CapabilityUnavailable(
      `No connected provider sends ${msg.channel}; connect one of: ${providersFor(connectors, msg.channel).join(", ")}`,
    );
  const params = {
    channel: msg.channel,
    to: msg.to,
    ...(msg.subject ? { subject: msg.subject } : {}),
    text: msg.text,
    purpose: msg.purpose,
  };
  return queueJob(env, tenantId, provider, MESSAGE_JOB, params, msg.dedupeKey);
}

export type SessionRefund =
  | { status: "queued"; provider: string; paymentId: string; amountCents: number; jobId: string }
  | {
      status: "no_payment" | "unavailable";
      provider: string | null;
      paymentId: string | null;
      amountCents: number;
      jobId: null;
      detail: string;
    };

/**
 * A session ended early with `refundCents` due: refunds it from the session's recorded provider payment
 * (the newest one that has that much left, else the one with the most left, capped at what it has).
 * One refund per session however often this is called. Without a recorded payment, or without the
 * provider connected, nothing is queued and the answer says why.
 */
export async function refundSessionPayment(
  env: Bindings,
  connectors: Connectors,
  tenantId: string,
  sessionId: string,
  refundCents: number,
): Promise<SessionRefund> {
  const paid = await refundablePayments(db(env.DB), tenantId, sessionId);
  const left = (p: (typeof paid)[number]) => p.amountCents - p.refundedCents;
  const payment = paid.find((p) => left(p) >= refundCents) ?? [...paid].sort((a, b) => left(b) - left(a))[0];
  if (!payment || left(payment) <= 0)
    return {
      status: "no_payment",
      provider: null,
      paymentId: null,
      amountCents: refundCents,
      jobId: null,
      detail: "No provider payment is recorded for this session; refund it by hand",
    };
  const amountCents = Math.min(refundCents, left(payment));
  try {
    const job = await requestRefund(env, connectors, tenantId, {
      paymentId: payment.id,
      amountCents,
      reason: "session ended early",
      sessionId,
      dedupeKey: `session-end:${sessionId}`,
    });
    return { status: "queued", provider: job.provider, paymentId: job.paymentId, amountCents, jobId: job.jobId };
  } catch (err) {
    if (!(err instanceof CapabilityUnavailable)) throw err;
    return {
      status: "unavailable",
      provider: payment.provider,
      paymentId: payment.id,
      amountCents,
      jobId: null,
      detail: err.message,
    };
  }
}
