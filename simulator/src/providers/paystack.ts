// Paystack, as documented at paystack.com/docs/api: `Authorization: Bearer sk_…`, JSON bodies, every
// answer wrapped as `{ status, message, data, meta? }` (errors: `{ status: false, message }`), page
// pagination with `perPage` and `page` (meta: total, skipped, perPage, page, pageCount), amounts in the
// currency's subunit (kobo, pesewas, cents). Paystack takes no idempotency key, and neither does this
// simulator: two identical refund requests are two refunds, as at Paystack (the connector guards
// against that itself). Only what Curbgate's connector uses: initializing a transaction (its reference is
// its key: a second one with the same reference is refused as a duplicate), charging a saved authorization,
// listing and verifying transactions, refunds (create, list), balance. An initialized transaction is
// "abandoned" until the payer finishes at its authorization_url; the control API stands in for the payer
// (POST /_control/payments/paystack/{reference} {outcome}), as `settle` below.
import { accountLabel, json, objectId, schemeToken } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";

interface Transaction {
  id: number;
  reference: string;
  amount: number;
  currency: string;
  status: "success" | "abandoned" | "failed";
  fees: number;
  channel: "card" | null;
  gateway_response: string;
  paid_at: string | null;
  created_at: string;
  metadata: unknown;
  customer: { email: string };
}
interface Refund {
  id: number;
  transaction: number;
  amount: number;
  deducted_amount: number;
  currency: string;
  channel: "card";
  status: "pending" | "processed";
  merchant_note: string | null;
  customer_note: string | null;
  refunded_by: string;
  expected_at: string;
  createdAt: string;
}
interface Store {
  /** Initialized transactions' checkout codes, by reference (never shown by verify, as at Paystack). */
  checkout?: Map<string, string>;
  transactions: Transaction[];
  refunds: Refund[];
}

const KEY = /^sk_(test|live)_[0-9A-Za-z]{20,}$/;
const CURRENCIES = new Set(["NGN", "GHS", "ZAR", "KES", "USD"]);
const MAX_PER_PAGE = 100;
let nextId = 4_000_000_000; // Paystack ids are large integers
const accounts = new Map<string, Store>();
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, { transactions: [], refunds: [] }).get(a.id)!;

const ok = (message: string, data: unknown, meta?: Record<string, number>, status = 200) => json({ status: true, message, data, ...(meta ? { meta } : {}) }, status);
const error = (status: number, message: string) => json({ status: false, message }, status);
const subunits = (v: unknown) => (Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : typeof v === "string" && /^[1-9]\d*$/.test(v) ? Number(v) : null);
const refundedOf = (s: Store, t: Transaction) => s.refunds.filter((r) => r.transaction === t.id).reduce((sum, r) => sum + r.amount, 0);
const findTransaction = (s: Store, idOrReference: string) => s.transactions.find((t) => String(t.id) === idOrReference || t.reference === idOrReference);

function pageOf(q: URLSearchParams): { perPage: number; page: number } | Response {
  const perPage = q.has("perPage") ? Number(q.get("perPage")) : 50;
  const page = q.has("page") ? Number(q.get("page")) : 1;
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) return error(400, `perPage must be an integer from 1 to ${MAX_PER_PAGE}`);
  if (!Number.isInteger(page) || page < 1) return error(400, "page must be a positive integer");
  return { perPage, page };
}
const paged = <T>(message: string, list: T[], p: { perPage: number; page: number }) =>
  ok(message, list.slice((p.page - 1) * p.perPage, p.page * p.perPage), { total: list.length, skipped: (p.page - 1) * p.perPage, perPage: p.perPage, page: p.page, pageCount: Math.max(1, Math.ceil(list.length / p.perPage)) });

function chargeAuthorization(r: SimRequest, a: Account) {
  const f = r.fields;
  const amount = subunits(f.amount);
  if (typeof f.email !== "string" || !f.email.includes("@")) return error(400, "Invalid Email Address Passed");
  if (amount === null) return error(400, "Invalid Amount Sent");
  if (typeof f.authorization_code !== "string" || !f.authorization_code.startsWith("AUTH_")) return error(400, "Invalid authorization code");
  const currency = typeof f.currency === "string" ? f.currency : "NGN";
  if (!CURRENCIES.has(currency)) return error(400, "Currency not supported by merchant");
  const store = storeOf(a);
  const reference = typeof f.reference === "string" ? f.reference : objectId("", 10).toLowerCase();
  if (store.transactions.some((t) => t.reference === reference)) return error(400, "Duplicate Transaction Reference");
  const at = new Date().toISOString();
  const t: Transaction = {
    id: nextId++, reference, amount, currency, status: "success", fees: feeOf(amount), channel: "card", gateway_response: "Approved",
    paid_at: at, created_at: at, metadata: f.metadata ?? "", customer: { email: f.email },
  };
  store.transactions.push(t);
  return ok("Charge attempted", t);
}

const feeOf = (amount: number) => Math.min(Math.round(amount * 0.015) + 100, 200_000);

/** POST /transaction/initialize: a transaction the payer finishes at `authorization_url`; "abandoned" until then. */
function initialize(r: SimRequest, a: Account) {
  const f = r.fields;
  const amount = subunits(f.amount);
  if (typeof f.email !== "string" || !f.email.includes("@")) return error(400, "Invalid Email Address Passed");
  if (amount === null) return error(400, "Invalid Amount Sent");
  const currency = typeof f.currency === "string" ? f.currency : "NGN";
  if (!CURRENCIES.has(currency)) return error(400, "Currency not supported by merchant");
  const store = storeOf(a);
  const reference = typeof f.reference === "string" ? f.reference : objectId("", 10).toLowerCase();
  if (!/^[A-Za-z0-9._=-]{1,100}$/.test(reference)) return error(400, "Invalid transaction reference: only -, ., = and alphanumeric characters allowed");
  if (store.transactions.some((t) => t.reference === reference)) return error(400, "Duplicate Transaction Reference");
  const at = new Date().toISOString();
  store.transactions.push({
    id: nextId++, reference, amount, currency, status: "abandoned", fees: 0, channel: null, gateway_response: "The transaction was not completed",
    paid_at: null, created_at: at, metadata: f.metadata ?? "", customer: { email: f.email },
  });
  const accessCode = objectId("", 15).toLowerCase();
  (store.checkout ??= new Map()).set(reference, accessCode);
  return ok("Authorization URL created", { authorization_url: `${r.url.origin}/paystack/checkout/${accessCode}`, access_code: accessCode, reference });
}

/** The payer finished (or gave up) at checkout: the transaction succeeds or fails. Null when there is no such unfinished one. */
export function settleTransaction(reference: string, outcome: "success" | "failed"): Transaction | null {
  for (const store of accounts.values()) {
    const t = store.transactions.find((x) => x.reference === reference);
    if (!t || t.status !== "abandoned") continue;
    Object.assign(t, outcome === "success"
      ? { status: "success", fees: feeOf(t.amount), channel: "card", gateway_response: "Successful", paid_at: new Date().toISOString() }
      : { status: "failed", gateway_response: "Declined" });
    return t;
  }
  return null;
}

/** The checkout page an authorization_url opens (no credential, as at Paystack): GET shows it, POST outcome=success|failed finishes it. */
function checkout(r: SimRequest, accessCode: string) {
  let found: { store: Store; reference: string } | null = null;
  for (const store of accounts.values())
    for (const [reference, code] of store.checkout ?? []) if (code === accessCode) found = { store, reference };
  const t = found && found.store.transactions.find((x) => x.reference === found!.reference);
  if (!t) return new Response("No such checkout", { status: 404, headers: { "content-type": "text/plain" } });
  if (r.method === "POST") {
    const outcome = r.fields.outcome === "failed" ? "failed" : "success";
    const settled = settleTransaction(t.reference, outcome);
    return settled ? ok(outcome === "success" ? "Payment successful" : "Payment declined", { reference: t.reference, status: settled.status }) : error(400, `Transaction is already ${t.status}`);
  }
  const amount = `${t.currency} ${(t.amount / 100).toFixed(2)}`;
  const button = (outcome: string, label: string) => `<form method="post"><input type="hidden" name="outcome" value="${outcome}"><button>${label}</button></form>`;
  const html = `<!doctype html><title>Simulated Paystack checkout</title><h1>Pay ${amount}</h1><p>Reference ${t.reference}: ${t.status}</p>${t.status === "abandoned" ? button("success", "Pay") + button("failed", "Decline") : ""}`;
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

function listTransactions(r: SimRequest, a: Account) {
  const q = r.url.searchParams;
  const p = pageOf(q);
  if (p instanceof Response) return p;
  const from = q.has("from") ? Date.parse(q.get("from")!) : null;
  const to = q.has("to") ? Date.parse(q.get("to")!) : null;
  if (Number.isNaN(from) || Number.isNaN(to)) return error(400, "Invalid date in from or to");
  const status = q.get("status");
  const list = [...storeOf(a).transactions].reverse().filter((t) => (from === null || Date.parse(t.created_at) >= from) && (to === null || Date.parse(t.created_at) <= to) && (!status || t.status === status));
  return paged("Transactions retrieved", list, p);
}

function createRefund(r: SimRequest, a: Account) {
  const store = storeOf(a);
  const f = r.fields;
  if (typeof f.transaction !== "string" && typeof f.transaction !== "number") return error(400, "Transaction reference or id is required");
  const t = findTransaction(store, String(f.transaction));
  if (!t) return error(404, "Transaction not found");
  if (t.status !== "success") return error(400, "Transaction has not been paid and cannot be refunded");
  const left = t.amount - refundedOf(store, t);
  if (left === 0) return error(400, "Transaction has been fully reversed");
  const amount = f.amount === undefined ? left : subunits(f.amount);
  if (amount === null) return error(400, "Invalid amount");
  if (amount > left) return error(400, "Refund amount cannot be greater than the amount left on the transaction");
  const note = (v: unknown) => (typeof v === "string" ? v.slice(0, 500) : null);
  const at = new Date();
  const refund: Refund = {
    id: nextId++, transaction: t.id, amount, deducted_amount: 0, currency: t.currency, channel: "card", status: "pending", merchant_note: note(f.merchant_note),
    customer_note: note(f.customer_note), refunded_by: "api", expected_at: new Date(at.getTime() + 5 * 86_400_000).toISOString(), createdAt: at.toISOString(),
  };
  store.refunds.push(refund);
  return ok("Refund has been queued for processing", { ...refund, transaction: t });
}

function listRefunds(r: SimRequest, a: Account) {
  const q = r.url.searchParams;
  const p = pageOf(q);
  if (p instanceof Response) return p;
  const store = storeOf(a);
  const which = q.get("transaction") ?? q.get("reference");
  const t = which ? findTransaction(store, which) : undefined;
  if (which && !t) return ok("Refunds retrieved", [], { total: 0, skipped: 0, perPage: p.perPage, page: p.page, pageCount: 1 });
  return paged("Refunds retrieved", store.refunds.filter((x) => !t || x.transaction === t.id), p);
}

function balance(a: Account) {
  const store = storeOf(a);
  const by = new Map<string, number>();
  for (const t of store.transactions.filter((x) => x.status === "success")) by.set(t.currency, (by.get(t.currency) ?? 0) + t.amount - t.fees - refundedOf(store, t));
  return ok("Balances retrieved", by.size ? [...by].map(([currency, b]) => ({ currency, balance: b })) : [{ currency: "NGN", balance: 0 }]);
}

export const paystack: SimProvider = {
  name: "paystack",
  createdIdOf: (body) => {
    const data = body.data as { id?: unknown; reference?: unknown } | undefined;
    // An initialized transaction is answered by its reference, not its id.
    return typeof data?.id === "number" ? String(data.id) : typeof data?.reference === "string" ? data.reference : null;
  },
  isPublic: (r) => r.path.startsWith("/checkout/"),
  authenticate(r) {
    const key = schemeToken(r.req, "Bearer");
    if (!key || !KEY.test(key)) return error(401, key ? "Invalid key" : "No Authorization header was found");
    return { id: accountLabel(key), live: key.startsWith("sk_live_") };
  },
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    const code = r.path.match(/^\/checkout\/([a-z0-9]+)$/)?.[1];
    if (code) return checkout(r, code);
    const store = storeOf(a!);
    if (route === "GET /balance") return balance(a!);
    if (route === "POST /transaction/initialize") return initialize(r, a!);
    if (route === "POST /transaction/charge_authorization") return chargeAuthorization(r, a!);
    if (route === "GET /transaction") return listTransactions(r, a!);
    if (route === "POST /refund") return createRefund(r, a!);
    if (route === "GET /refund") return listRefunds(r, a!);
    const verify = r.method === "GET" ? r.path.match(/^\/transaction\/(?:verify\/)?([^/]+)$/) : null;
    if (verify) {
      const t = findTransaction(store, decodeURIComponent(verify[1]!));
      return t ? ok("Verification successful", t) : error(404, "Transaction reference not found");
    }
    return error(404, `No route ${route}`);
  },
  error: (status, message) => error(status, message),
  settle: (reference, outcome) => settleTransaction(reference, outcome) !== null,
  reset: () => accounts.clear(),
};
