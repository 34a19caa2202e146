// Teller's payment API as a city's own system uses it through Curbgate (`POST /api/teller/payments` and
// `/api/teller/refunds`, the Stamford guide's shapes; src/routes/api/teller/). Every call goes through
// the connector context, so through the tenant's provider gate, the call log and the idempotency key of
// the step: a payment is keyed by its `paymentId`, so a retried request makes one payment at Teller.
import type { ConnectorContext, ProviderResponse } from "../../sync/contract";
import { tellerReason } from "./connector";

/** The guide's payment request, as Curbgate forwards it (the fee always named: the caller's or the routing's). */
export interface TellerPaymentRequest {
  paymentId: string;
  amount: number;
  currency: string;
  paymentMethod: { type: string; token: string };
  metadata?: Record<string, unknown>;
  description?: string;
  statementDescriptor?: string;
  applicationFee: { amount: number; description?: string };
}

/** The guide's payment answer (with `currency`, which the guide leaves out). */
export interface TellerPaymentAnswer {
  paymentId: string;
  tellerTransactionId: string;
  status: string;
  amount: number;
  netAmount: number;
  processingFee: number;
  currency?: string;
  timestamp: string;
  confirmation?: { number: string; receiptUrl: string };
  accounting?: { revenueAccount: string; feeAccount: string; batchId: string };
  reconciliation?: { settlementDate: string; merchantReference: string };
  refundedAmount?: number;
}

export interface TellerRefundAnswer {
  refundId: string;
  originalPaymentId: string;
  tellerTransactionId: string;
  refundAmount: number;
  reason: string;
  status: string;
  timestamp: string;
}

export function createTellerPayment(
  ctx: ConnectorContext,
  req: TellerPaymentRequest,
): Promise<ProviderResponse<TellerPaymentAnswer>> {
  return ctx.call<TellerPaymentAnswer>({
    method: "POST",
    path: "/api/teller/payments",
    idempotencyKey: ctx.key("payment"),
    body: req,
  });
}

/** A payment by the merchant's paymentId or Teller's transaction id. */
export function tellerPaymentOf(ctx: ConnectorContext, id: string): Promise<ProviderResponse<TellerPaymentAnswer>> {
  return ctx.call<TellerPaymentAnswer>({ method: "GET", path: `/api/teller/payments/${encodeURIComponent(id)}` });
}

export function createTellerRefund(
  ctx: ConnectorContext,
  req: { originalPaymentId: string; refundAmount: number; reason?: string; metadata?: Record<string, unknown> },
): Promise<ProviderResponse<TellerRefundAnswer>> {
  return ctx.call<TellerRefundAnswer>({
    method: "POST",
    path: "/api/teller/refunds",
    idempotencyKey: ctx.key("refund"),
    body: { ...req, reason: tellerReason(req.reason) },
  });
}

/** Teller's error code (`{ error: { code } }`), when its answer carried one. */
export function tellerErrorCode(body: unknown): string | null {
  const error = body && typeof body === "object" ? (body as { error?: { code?: unknown } }).error : undefined;
  return typeof error?.code === "string" ? error.code : null;
}
