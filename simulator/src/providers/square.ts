// Square, as documented at developer.squareup.com/reference/square: JSON bodies, `Authorization:
// Bearer <access token>`, a `Square-Version` date header, the idempotency key inside the body
// (`idempotency_key`, at most 45 characters), cursor pagination (`cursor` in, `cursor` out when more
// remain), errors as `{ errors: [{ category, code, detail, field? }] }`. Money is `{ amount, currency }`
// in the smallest unit. Only what Curbgate's connector uses: payments (create, get, list), refunds
// (create, get), locations. One deliberate strictness: Square falls back to the application's default
// version when `Square-Version` is absent; this simulator refuses the request instead, so a connector
// that forgot the header fails its tests.
import { accountLabel, json, objectId, schemeToken } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";

interface Money {
  amount: number;
  currency: string;
}
interface Payment {
  id: string;
  created_at: string;
  updated_at: string;
  amount_money: Money;
  total_money: Money;
  approved_money: Money;
  refunded_money?: Money;
  processing_fee: { effective_at: string; type: "INITIAL"; amount_money: Money }[];
  status: "COMPLETED";
  source_type: "CARD";
  location_id: string;
  reference_id?: string;
  refund_ids?: string[];
}
interface Refund {
  id: string;
  status: "PENDING" | "COMPLETED";
  amount_money: Money;
  payment_id: string;
  reason?: string;
  location_id: string;
  created_at: string;
  updated_at: string;
}
interface Store {
  payments: Payment[];
  refunds: Map<string, Refund>;
}

const TOKEN = /^EAAA[A-Za-z0-9_-]{20,}$/;
const VERSION = /^\d{4}-\d{2}-\d{2}$/;
const LOCATION = "L8SIMULATORLOC";
const MAX_LIMIT = 100;
const accounts = new Map<string, Store>();
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, { payments: [], refunds: new Map() }).get(a.id)!;
const isMoney = (v: unknown): v is Money =>
  !!v && typeof v === "object" && Number.isSafeInteger((v as Money).amount) && (v as Money).amount > 0 && typeof (v as Money).currency === "string" && /^[A-Z]{3}$/.test((v as Money).currency);

function error(status: number, detail: string, code?: string, field?: string) {
  const category = status === 401 ? "AUTHENTICATION_ERROR" : status === 429 ? "RATE_LIMIT_ERROR" : status >= 500 ? "API_ERROR" : "INVALID_REQUEST_ERROR";
  const fallback = status === 401 ? "UNAUTHORIZED" : status === 404 ? "NOT_FOUND" : status === 429 ? "RATE_LIMITED" : status === 503 ? "SERVICE_UNAVAILABLE" : status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST";
  const squareCode = code === "idempotency_error" ? "IDEMPOTENCY_KEY_REUSED" : code === "idempotency_key_in_use" ? "CONFLICT" : code;
  return json({ errors: [{ category, code: squareCode ?? fallback, detail, ...(field ? { field } : {}) }] }, status);
}

function idempotencyKey(r: SimRequest): string | Response {
  const key = r.fields.idempotency_key;
  if (typeof key !== "string" || !key) return error(400, "Field must be set", "MISSING_REQUIRED_PARAMETER", "idempotency_key");
  if (key.length > 45) return error(400, "Field must not be greater than 45 length", "VALUE_TOO_LONG", "idempotency_key");
  return key;
}

function createPayment(r: SimRequest, a: Account) {
  const key = idempotencyKey(r);
  if (key instanceof Response) return key;
  if (typeof r.fields.source_id !== "string") return error(400, "Field must be set", "MISSING_REQUIRED_PARAMETER", "source_id");
  const money = r.fields.amount_money;
  if (!isMoney(money)) return error(400, "Expected amount_money with a positive integer amount and an ISO 4217 currency", "INVALID_VALUE", "amount_money");
  const at = new Date().toISOString();
  const fee = { amount: Math.round(money.amount * 0.026) + 10, currency: money.currency }; // Square's card-present rate plus 10 cents
  const payment: Payment = {
    id: objectId("", 29), created_at: at, updated_at: at, amount_money: money, total_money: money, approved_money: money,
    processing_fee: [{ effective_at: at, type: "INITIAL", amount_money: fee }], status: "COMPLETED", source_type: "CARD", location_id: LOCATION,
    ...(typeof r.fields.reference_id === "string" ? { reference_id: r.fields.reference_id } : {}),
  };
  storeOf(a).payments.push(payment);
  return json({ payment });
}

function getPayment(a: Account, id: string) {
  const payment = storeOf(a).payments.find((p) => p.id === id);
  return payment ? json({ payment }) : error(404, `Could not find payment with id: ${id}`, "NOT_FOUND");
}

function cursorOffset(cursor: string): number {
  try {
    const m = atob(cursor).match(/^offset:(\d+)$/);
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

/** begin_time/end_time are RFC 3339; sort_order ASC or DESC (default DESC); the cursor is an opaque offset. */
function listPayments(r: SimRequest, a: Account) {
  const q = r.url.searchParams;
  const limit = q.has("limit") ? Number(q.get("limit")) : MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return error(400, `Limit must be between 1 and ${MAX_LIMIT}`, "INVALID_VALUE", "limit");
  const bound = (name: string) => (q.has(name) ? Date.parse(q.get(name)!) : null);
  const begin = bound("begin_time");
  const end = bound("end_time");
  if (Number.isNaN(begin) || Number.isNaN(end)) return error(400, "Invalid RFC 3339 time", "INVALID_TIME", Number.isNaN(begin) ? "begin_time" : "end_time");
  const order = q.get("sort_order") ?? "DESC";
  if (order !== "ASC" && order !== "DESC") return error(400, "sort_order must be ASC or DESC", "INVALID_SORT_ORDER", "sort_order");
  let list = storeOf(a).payments.filter((p) => (begin === null || Date.parse(p.created_at) >= begin) && (end === null || Date.parse(p.created_at) < end));
  if (order === "DESC") list = list.reverse();
  const cursor = q.get("cursor");
  const offset = cursor ? cursorOffset(cursor) : 0;
  if (!Number.isInteger(offset) || offset < 0) return error(400, "Invalid cursor", "INVALID_CURSOR", "cursor");
  const page = list.slice(offset, offset + limit);
  const more = offset + limit < list.length;
  // Square answers `{}` for an empty page and leaves `cursor` out on the last one.
  return json({ ...(page.length ? { payments: page } : {}), ...(more ? { cursor: btoa(`offset:${offset + limit}`) } : {}) });
}

function createRefund(r: SimRequest, a: Account) {
  const key = idempotencyKey(r);
  if (key instanceof Response) return key;
  const money = r.fields.amount_money;
  if (!isMoney(money)) return error(400, "Expected amount_money with a positive integer amount and an ISO 4217 currency", "INVALID_VALUE", "amount_money");
  if (typeof r.fields.payment_id !== "string") return error(400, "Field must be set", "MISSING_REQUIRED_PARAMETER", "payment_id");
  const payment = storeOf(a).payments.find((p) => p.id === r.fields.payment_id);
  if (!payment) return error(404, `Payment ${r.fields.payment_id} not found`, "NOT_FOUND", "payment_id");
  if (money.currency !== payment.total_money.currency) return error(400, `Refund currency must be ${payment.total_money.currency}`, "CURRENCY_MISMATCH", "amount_money.currency");
  const left = payment.total_money.amount - (payment.refunded_money?.amount ?? 0);
  if (money.amount > left) return error(400, `The requested refund amount exceeds the amount available to refund (${left}).`, "REFUND_AMOUNT_INVALID", "amount_money.amount");
  const reason = r.fields.reason;
  if (reason !== undefined && (typeof reason !== "string" || reason.length > 192)) return error(400, "reason must be at most 192 characters", "VALUE_TOO_LONG", "reason");
  const at = new Date().toISOString();
  const refund: Refund = { id: `${payment.id}_${objectId("", 12)}`, status: "PENDING", amount_money: money, payment_id: payment.id, location_id: LOCATION, created_at: at, updated_at: at, ...(reason ? { reason } : {}) };
  storeOf(a).refunds.set(refund.id, refund);
  payment.refunded_money = { amount: payment.total_money.amount - left + money.amount, currency: money.currency };
  payment.refund_ids = [...(payment.refund_ids ?? []), refund.id];
  payment.updated_at = at;
  return json({ refund });
}

/** A refund settles as soon as it is read back: enough for a sandbox. */
function getRefund(a: Account, id: string) {
  const refund = storeOf(a).refunds.get(id);
  if (!refund) return error(404, `Refund ${id} not found`, "NOT_FOUND");
  refund.status = "COMPLETED";
  return json({ refund });
}

export const square: SimProvider = {
  name: "square",
  idempotencyKeyOf: (r) => (typeof r.fields.idempotency_key === "string" ? r.fields.idempotency_key : null),
  createdIdOf: (body) => {
    const object = (body.refund ?? body.payment) as { id?: unknown } | undefined;
    return typeof object?.id === "string" ? object.id : null;
  },
  authenticate(r) {
    const token = schemeToken(r.req, "Bearer");
    if (!token || !TOKEN.test(token)) return error(401, "This request could not be authorized.", "UNAUTHORIZED");
    const version = r.req.headers.get("square-version");
    if (!version || !VERSION.test(version)) return error(400, "Square-Version must be a release date such as 2025-01-23 (the simulator requires it)", "INVALID_SQUARE_VERSION_FORMAT");
    return { id: accountLabel(token), live: !token.startsWith("EAAAsandbox") };
  },
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    const id = r.path.match(/^\/v2\/(payments|refunds)\/([^/]+)$/);
    if (route === "GET /v2/locations") return json({ locations: [{ id: LOCATION, name: "Curbgate simulator", status: "ACTIVE", currency: "USD", country: "US" }] });
    if (route === "POST /v2/payments") return createPayment(r, a!);
    if (route === "GET /v2/payments") return listPayments(r, a!);
    if (route === "POST /v2/refunds") return createRefund(r, a!);
    if (r.method === "GET" && id?.[1] === "payments") return getPayment(a!, id[2]!);
    if (r.method === "GET" && id?.[1] === "refunds") return getRefund(a!, id[2]!);
    return error(404, `No route ${route}`, "NOT_FOUND");
  },
  error: (status, message, code) => error(status, message, code),
  reset: () => accounts.clear(),
};
