// Teller municipal payments. The Stamford guide (docs/sources.md) gives the payment request and response
// (`POST /api/teller/payments`,
// amounts in cents, the processing fee and the revenue/fee accounting split) and the refund request
// (`POST /api/teller/refunds`), with `Authorization: Bearer <TELLER_API_KEY>`. Everything else is
// Curbgate's documented completion of that API (docs/integrations.md, "Teller"): the refund answer,
// `GET /api/teller/payments` (cursor list), `GET /api/teller/payments/{id}`, `GET /api/teller/account`,
// `Idempotency-Key` on writes, errors as `{ error: { code, message } }`. A payment splits into the
// revenue account and the fee account: the fee is the request's applicationFee, else 5 % (the guide's
// routing configuration: 95 % revenue, 5 % processing fees).
import { json, objectId } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";
import { bearerKey, codedError } from "../vendor-api";

interface Payment {
  paymentId: string;
  tellerTransactionId: string;
  status: "COMPLETED";
  amount: number;
  netAmount: number;
  processingFee: number;
  currency: string;
  timestamp: string;
  description: string | null;
  metadata: Record<string, unknown>;
  confirmation: { number: string; receiptUrl: string };
  accounting: { revenueAccount: string; feeAccount: string; batchId: string };
  reconciliation: { settlementDate: string; merchantReference: string };
  refundedAmount: number;
}
interface Refund {
  refundId: string;
  originalPaymentId: string;
  tellerTransactionId: string;
  refundAmount: number;
  reason: string;
  status: "COMPLETED";
  timestamp: string;
  metadata: Record<string, unknown>;
}

const KEY = /^teller_sk_(test|live)_[0-9A-Za-z]{6,}$/;
const REASON = /^[A-Z][A-Z_]{2,39}$/;
const MAX_LIMIT = 100;
const accounts = new Map<string, { payments: Payment[]; refunds: Refund[] }>();
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, { payments: [], refunds: [] }).get(a.id)!;
const record = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const cents = (v: unknown) => (Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : null);

const error = codedError;

function createPayment(r: SimRequest, a: Account) {
  const f = r.fields;
  const store = storeOf(a);
  const amount = cents(f.amount);
  const method = record(f.paymentMethod);
  if (typeof f.paymentId !== "string" || !f.paymentId) return error(400, "paymentId is required", "MISSING_FIELD");
  if (amount === null) return error(400, "amount must be a positive whole number of cents", "INVALID_AMOUNT");
  if (typeof method.token !== "string" || !method.token) return error(400, "paymentMethod.token is required", "MISSING_FIELD");
  if (store.payments.some((p) => p.paymentId === f.paymentId)) return error(409, `Payment ${f.paymentId} already exists`, "DUPLICATE_PAYMENT_ID");
  // A fee of 0 is a city that absorbs none (Curbgate forwards its routing's fee, which may be nothing).
  const named = record(f.applicationFee).amount;
  const fee = named === undefined ? Math.round(amount * 0.05) : Number.isSafeInteger(named) && (named as number) >= 0 ? (named as number) : null;
  if (fee === null) return error(400, "applicationFee.amount must be a whole number of cents, 0 or more", "INVALID_AMOUNT");
  if (fee > amount) return error(400, "applicationFee must not exceed amount", "INVALID_AMOUNT");
  const now = new Date();
  const sequence = String(store.payments.length + 1).padStart(6, "0");
  const day = String(Math.floor((now.getTime() - Date.UTC(now.getUTCFullYear(), 0, 1)) / 86_400_000) + 1).padStart(3, "0");
  const payment: Payment = {
    paymentId: f.paymentId, tellerTransactionId: objectId("teller_txn_", 16), status: "COMPLETED", amount, netAmount: amount - fee, processingFee: fee,
    currency: typeof f.currency === "string" ? f.currency : "USD", timestamp: now.toISOString(), description: typeof f.description === "string" ? f.description : null,
    metadata: record(f.metadata),
    confirmation: { number: `PARK-${now.getUTCFullYear()}-${sequence}`, receiptUrl: `https://receipts.teller.io/${encodeURIComponent(f.paymentId)}` },
    accounting: { revenueAccount: "4100-PARKING-REVENUE", feeAccount: "5200-PROCESSING-FEES", batchId: `BATCH-${now.getUTCFullYear()}-${day}-001` },
    reconciliation: { settlementDate: new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10), merchantReference: "CURBGATE-SIM-001" },
    refundedAmount: 0,
  };
  store.payments.push(payment);
  return json(payment, 201);
}

/** Oldest first; `since` (ISO instant) bounds the payment timestamp; `cursor` is the last tellerTransactionId seen. */
function listPayments(r: SimRequest, a: Account) {
  const q = r.url.searchParams;
  const limit = q.has("limit") ? Number(q.get("limit")) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return error(400, `limit must be from 1 to ${MAX_LIMIT}`, "INVALID_LIMIT");
  const since = q.has("since") ? Date.parse(q.get("since")!) : null;
  if (Number.isNaN(since)) return error(400, "since must be an ISO 8601 instant", "INVALID_SINCE");
  let list = storeOf(a).payments.filter((p) => since === null || Date.parse(p.timestamp) >= since);
  const cursor = q.get("cursor");
  if (cursor) {
    const at = list.findIndex((p) => p.tellerTransactionId === cursor);
    if (at < 0) return error(400, `Unknown cursor ${cursor}`, "INVALID_CURSOR");
    list = list.slice(at + 1);
  }
  const page = list.slice(0, limit);
  return json({ data: page, nextCursor: list.length > limit ? page.at(-1)!.tellerTransactionId : null });
}

const findPayment = (a: Account, id: string) => storeOf(a).payments.find((p) => p.tellerTransactionId === id || p.paymentId === id);

function createRefund(r: SimRequest, a: Account) {
  const f = r.fields;
  if (typeof f.originalPaymentId !== "string") return error(400, "originalPaymentId is required", "MISSING_FIELD");
  const payment = findPayment(a, f.originalPaymentId);
  if (!payment) return error(404, `No payment ${f.originalPaymentId}`, "PAYMENT_NOT_FOUND");
  const left = payment.amount - payment.refundedAmount;
  if (left === 0) return error(400, `Payment ${payment.paymentId} is fully refunded`, "ALREADY_REFUNDED");
  // Omitted: what is left (Curbgate's completion; the guide always sends it).
  const amount = f.refundAmount === undefined ? left : cents(f.refundAmount);
  if (amount === null) return error(400, "refundAmount must be a positive whole number of cents", "INVALID_AMOUNT");
  if (amount > left) return error(400, `refundAmount ${amount} exceeds the ${left} cents left to refund`, "REFUND_EXCEEDS_PAYMENT");
  const reason = f.reason ?? "CUSTOMER_REQUEST";
  if (typeof reason !== "string" || !REASON.test(reason)) return error(400, "reason must be an upper-case code such as EARLY_SESSION_END", "INVALID_REASON");
  const refund: Refund = {
    refundId: objectId("teller_ref_", 16), originalPaymentId: payment.paymentId, tellerTransactionId: payment.tellerTransactionId, refundAmount: amount, reason,
    status: "COMPLETED", timestamp: new Date().toISOString(), metadata: record(f.metadata),
  };
  payment.refundedAmount += amount;
  storeOf(a).refunds.push(refund);
  return json(refund, 201);
}

export const teller: SimProvider = {
  name: "teller",
  idempotencyHeader: "idempotency-key",
  createdIdOf: (body) => (typeof body.refundId === "string" ? body.refundId : typeof body.tellerTransactionId === "string" ? body.tellerTransactionId : null),
  authenticate: bearerKey(KEY),
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    if (route === "GET /api/teller/account") return json({ environment: a!.live ? "production" : "sandbox", paymentsOnFile: storeOf(a!).payments.length });
    if (route === "POST /api/teller/payments") return createPayment(r, a!);
    if (route === "GET /api/teller/payments") return listPayments(r, a!);
    if (route === "POST /api/teller/refunds") return createRefund(r, a!);
    const one = r.method === "GET" ? r.path.match(/^\/api\/teller\/payments\/([^/]+)$/) : null;
    if (one) {
      const payment = findPayment(a!, decodeURIComponent(one[1]!));
      return payment ? json(payment) : error(404, `No payment ${one[1]}`, "PAYMENT_NOT_FOUND");
    }
    return error(404, `No route ${route}`);
  },
  error: (status, message, code) => error(status, message, code),
  reset: () => accounts.clear(),
};
