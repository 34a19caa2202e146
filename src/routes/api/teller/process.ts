// Paying and refunding through the tenant's Teller connection, and the ledger rows that follow
// (docs/payments.md, "Teller"). The fee is the caller's applicationFee, else the tenant's routing's,
// and it is sent to Teller, so Teller's processingFee and the ledger agree. A payment is idempotent on
// its paymentId (Teller's Idempotency-Key is derived from it); a refund on the request's Idempotency-Key,
// else on the request itself, and it is checked against what is left before Teller is asked.
import type { Bindings } from "../../../env";
import { splitPayment } from "../../../domain/money";
import { recordPayment, recordRefund } from "../../../effects/payments";
import { ApiError } from "../../../http/problem";
import { sha256Hex } from "../../../lib/crypto";
import { ProviderCallError } from "../../../lib/vendor-call-error";
import { connectorContext } from "../../../sync/call";
import type { ConnectorContext } from "../../../sync/contract";
import { db } from "../../../storage/db";
import { idempotencyFingerprintOf, reserveIdempotencyKey } from "../../../storage/idempotency";
import { paymentRoutingOf } from "../../../storage/payment-routing";
import { findPaymentByTransaction, type PaymentRow, refundsOf } from "../../../storage/payments";
import { connectionFor } from "../../../vault/connections";
import { connectorOf } from "../../../vendors";
import {
  createTellerPayment,
  createTellerRefund,
  type TellerPaymentAnswer,
  type TellerPaymentRequest,
  tellerErrorCode,
  tellerPaymentOf,
} from "../../../vendors/teller/api";

const PROVIDER = "teller";

async function tellerContext(env: Bindings, tenantId: string, step: string): Promise<ConnectorContext> {
  const connector = connectorOf(PROVIDER)!;
  const connection = await connectionFor(env, tenantId, PROVIDER);
  if (connection?.status !== "connected")
    throw new ApiError(409, "Teller is not connected for this city (POST /v1/integrations/connections)");
  return connectorContext(
    { env, tenantId, connector, credentials: connection.credentials, settings: connection.settings, connectionId: connection.id },
    step,
  );
}

/**
 * Teller's refusal or outage as a problem, nothing recorded: an outage, throttling or an open breaker is 503
 * with Retry-After (retry the same request); refused credentials 409 (reconnect Teller); a refused request 422.
 */
function providerProblem(err: unknown): never {
  if (!(err instanceof ProviderCallError)) throw err;
  if (err.retryable) {
    const seconds = err.retryAfterMs ? Math.max(1, Math.ceil(err.retryAfterMs / 1000)) : 30;
    throw new ApiError(503, `Teller is unavailable (${err.kind}); nothing was recorded, try again`, {
      headers: { "retry-after": String(seconds) },
    });
  }
  if (err.kind === "auth") throw new ApiError(409, "Teller refused this city's credentials; reconnect Teller");
  throw new ApiError(
    422,
    `Teller refused the request (${tellerErrorCode(err.body) ?? `HTTP ${err.status}`}); nothing was recorded`,
  );
}

const ledgerStatus = (status: string) => (status === "COMPLETED" ? "succeeded" : status === "FAILED" ? "failed" : "pending");
const METHODS: Record<string, string> = {
  CREDIT_CARD: "card",
  DEBIT_CARD: "card",
  CARD: "card",
  ACH: "bank_transfer",
  BANK_TRANSFER: "bank_transfer",
  WALLET: "wallet",
  CASH: "cash",
};
const text = (v: unknown) => (typeof v === "string" && v ? v : null);

export interface TellerPaymentInput extends Omit<TellerPaymentRequest, "applicationFee"> {
  applicationFee?: { amount: number; description?: string };
}

/** Pays through Teller once per paymentId and records the payment; the answer in the guide's shape. */
export async function payThroughTeller(env: Bindings, tenantId: string, body: TellerPaymentInput) {
  const database = db(env.DB);
  const routing = await paymentRoutingOf(database, tenantId);
  const fee = body.applicationFee?.amount ?? splitPayment(body.amount, routing).feeMinor;
  const ctx = await tellerContext(env, tenantId, `teller-payment:${body.paymentId}`);
  const request: TellerPaymentRequest = {
    ...body,
    applicationFee: { amount: fee, description: body.applicationFee?.description ?? "Processing fee" },
  };
  let answer: TellerPaymentAnswer;
  let replayed = false;
  try {
    const res = await createTellerPayment(ctx, request);
    answer = res.body;
    replayed = res.headers.get("idempotent-replayed") === "true";
  } catch (err) {
    const code = err instanceof ProviderCallError ? tellerErrorCode(err.body) : null;
    if (code === "idempotency_error" || code === "DUPLICATE_PAYMENT_ID") {
      // Teller already holds this paymentId: the same payment (a retry after Teller forgot the key) is answered again.
      const held = await tellerPaymentOf(ctx, body.paymentId).catch(providerProblem);
      if (code === "idempotency_error" || held.body.amount !== body.amount)
        throw new ApiError(409, `paymentId ${body.paymentId} was already used for a different payment`);
      answer = held.body;
      replayed = true;
    } else providerProblem(err);
  }
  const metadata = body.metadata ?? {};
  await recordPayment(
    { env, tenantId, provider: PROVIDER, eventId: `api:${body.paymentId}`, nowMs: Date.now() },
    {
      providerTransactionId: answer.tellerTransactionId,
      amountCents: answer.amount,
      feeCents: answer.processingFee,
      currency: answer.currency ?? body.currency,
      status: ledgerStatus(answer.status),
      sessionId: text(metadata.sessionId),
      zone: text(metadata.zoneNumber),
      citationNumber: text(metadata.citationNumber),
      method: METHODS[body.paymentMethod.type.toUpperCase()] ?? "other",
      paidAtMs: Date.parse(answer.timestamp) || null,
      source: "initiated",
      revenueAccount: answer.accounting?.revenueAccount ?? null,
      feeAccount: answer.accounting?.feeAccount ?? null,
    },
  );
  const row = (await findPaymentByTransaction(database, tenantId, PROVIDER, answer.tellerTransactionId))!;
  return { replayed, answer: paymentAnswer(body.paymentId, answer, row) };
}

/** The guide's answer: Teller's ids, confirmation and merchant reference; the ledger's split and settlement batch. */
function paymentAnswer(paymentId: string, t: TellerPaymentAnswer, row: PaymentRow) {
  return {
    paymentId,
    tellerTransactionId: t.tellerTransactionId,
    status: t.status,
    amount: row.amountCents,
    netAmount: row.netCents,
    processingFee: row.feeCents,
    timestamp: t.timestamp,
    confirmation: t.confirmation ?? null,
    accounting: {
      revenueAccount: row.revenueAccount ?? t.accounting?.revenueAccount ?? "",
      feeAccount: row.feeAccount ?? t.accounting?.feeAccount ?? "",
      batchId: row.settlementBatch ?? t.accounting?.batchId ?? null,
    },
    reconciliation: {
      settlementDate: row.settlementDate ?? t.reconciliation?.settlementDate ?? null,
      merchantReference: t.reconciliation?.merchantReference ?? null,
    },
  };
}

export interface TellerRefundInput {
  originalPaymentId: string;
  refundAmount: number;
  reason?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Refunds part or all of a Teller payment once per idempotency key. A first request for more than is
 * left is refused before Teller is asked, and nothing is recorded; a retry goes to Teller, which answers
 * it with the first refund.
 */
export async function refundThroughTeller(
  env: Bindings,
  tenantId: string,
  body: TellerRefundInput,
  idempotencyKey: string | null,
) {
  const database = db(env.DB);
  const fingerprint = await sha256Hex(
    JSON.stringify([body.originalPaymentId, body.refundAmount, body.reason ?? null, body.metadata ?? null]),
  );
  const key = { tenantId, scope: "teller:refund", key: idempotencyKey ?? fingerprint };
  const seen = await idempotencyFingerprintOf(database, key);
  if (seen !== null && seen !== fingerprint) throw new ApiError(422, "This Idempotency-Key was used with a different refund");
  const ctx = await tellerContext(env, tenantId, `teller-refund:${await sha256Hex(`${key.key}`)}`);
  const held = await tellerPaymentOf(ctx, body.originalPaymentId).catch((err: unknown) => {
    if (err instanceof ProviderCallError && err.status === 404)
      throw new ApiError(404, `No Teller payment ${body.originalPaymentId}`);
    return providerProblem(err);
  });
  let payment = await findPaymentByTransaction(database, tenantId, PROVIDER, held.body.tellerTransactionId);
  // Paid at Teller but not yet in the ledger (its webhook still on the way): record what Teller holds first.
  if (!payment && held.body.status === "COMPLETED") payment = await recordHeld(env, tenantId, held.body);
  if (!payment || (payment.status !== "succeeded" && payment.status !== "partially_refunded" && payment.status !== "refunded"))
    throw new ApiError(
      409,
      `Payment ${body.originalPaymentId} has not succeeded in Curbgate's ledger; there is nothing to refund`,
    );
  const left = payment.amountCents - payment.refundedCents;
  if (seen === null && body.refundAmount > left)
    throw new ApiError(
      409,
      `refundAmount ${body.refundAmount} is more than the ${left} left to refund of ${body.originalPaymentId}`,
    );
  if ((await reserveIdempotencyKey(database, { ...key, fingerprint })) === "mismatch")
    throw new ApiError(422, "This Idempotency-Key was used with a different refund");
  const res = await createTellerRefund(ctx, { ...body, originalPaymentId: held.body.tellerTransactionId }).catch(
    (err: unknown) => {
      const code = err instanceof ProviderCallError ? tellerErrorCode(err.body) : null;
      if (code === "REFUND_EXCEEDS_PAYMENT" || code === "ALREADY_REFUNDED")
        throw new ApiError(
          409,
          `Teller says refundAmount ${body.refundAmount} is more than is left of ${body.originalPaymentId}`,
        );
      return providerProblem(err);
    },
  );
  const r = res.body;
  if (r.status === "COMPLETED")
    await recordRefund(
      { env, tenantId, provider: PROVIDER, eventId: `api:${r.refundId}`, nowMs: Date.now() },
      { providerTransactionId: r.tellerTransactionId, refundId: r.refundId, amountCents: r.refundAmount },
    );
  payment = (await findPaymentByTransaction(database, tenantId, PROVIDER, r.tellerTransactionId)) ?? payment;
  const stored = (await refundsOf(database, tenantId, payment.id)).find((x) => x.id === `${tenantId}:${PROVIDER}:${r.refundId}`);
  const feeShare = stored?.feeCents ?? 0;
  return {
    refundId: r.refundId,
    originalPaymentId: body.originalPaymentId,
    tellerTransactionId: r.tellerTransactionId,
    status: r.status,
    refundAmount: r.refundAmount,
    processingFeeRefunded: feeShare,
    netRefund: r.refundAmount - feeShare,
    remainingAmount: payment.amountCents - payment.refundedCents,
    reason: r.reason,
    timestamp: r.timestamp,
    accounting: { revenueAccount: payment.revenueAccount, feeAccount: payment.feeAccount },
  };
}

async function recordHeld(env: Bindings, tenantId: string, t: TellerPaymentAnswer): Promise<PaymentRow | null> {
  await recordPayment(
    { env, tenantId, provider: PROVIDER, eventId: `api:${t.tellerTransactionId}`, nowMs: Date.now() },
    {
      providerTransactionId: t.tellerTransactionId,
      amountCents: t.amount,
      feeCents: t.processingFee,
      currency: t.currency ?? "USD",
      status: "succeeded",
      paidAtMs: Date.parse(t.timestamp) || null,
      source: "pull",
      revenueAccount: t.accounting?.revenueAccount ?? null,
      feeAccount: t.accounting?.feeAccount ?? null,
    },
  );
  return findPaymentByTransaction(db(env.DB), tenantId, PROVIDER, t.tellerTransactionId);
}
