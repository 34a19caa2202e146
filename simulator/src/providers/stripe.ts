// Stripe, as documented at docs.stripe.com/api: form-encoded bodies, `Authorization: Bearer sk_…`
// (or Basic with the key as user), `Idempotency-Key`, list pagination with `limit`,
// `starting_after`, `ending_before` and `created[gte|gt|lte|lt]`, errors as `{ error: { type, code?, message } }`.
// Only the endpoints Curbgate's connector uses: payment intents (create with a client_secret, retrieve, confirm,
// list; each creation is counted per idempotency key in /_control/effects), refunds, balance;
// and webhook endpoints, so the events a payment or refund raises reach Curbgate (stripe-events.ts).
import { accountLabel, basicAuth, isHttpUrl, json, nested, objectId, schemeToken } from "../http";
import type { Account, RaisedEvent, SimProvider, SimRequest } from "../types";
import { RETRY_DEFAULTS, addEndpoint, endpointView, removeEndpoints } from "../webhooks";
import { state } from "../state";
import { charge, stripeWebhooks } from "./stripe-events";

interface PaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: "requires_payment_method" | "succeeded";
  /** Given to the payer's client to confirm the intent (Stripe.js); only its own account reads it back. */
  client_secret: string;
  receipt_email: string | null;
  created: number;
  description: string | null;
  latest_charge: string | null;
  metadata: Record<string, string>;
  livemode: boolean;
}
interface Store { intents: PaymentIntent[]; refunded: Map<string, number> }

const KEY = /^(sk|rk)_(test|live)_[0-9A-Za-z]{8,}$/;
const REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);
const accounts = new Map<string, Store>();
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, { intents: [], refunded: new Map() }).get(a.id)!;
const now = () => Math.floor(Date.now() / 1000);
const masked = (key: string) => `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
const accountOf = (key: string): Account | null => (KEY.test(key) ? { id: accountLabel(key), live: key.includes("_live_") } : null);

function chargeOf(pi: PaymentIntent, refunded: number) {
  return charge({ id: pi.latest_charge!, paymentIntent: pi.id, amount: pi.amount_received, refunded, currency: pi.currency, created: pi.created, metadata: pi.metadata, live: pi.livemode });
}

/** A payment that went through raises what Stripe sends for it. */
function paidEvents(pi: PaymentIntent): RaisedEvent[] {
  return [
    { type: "payment_intent.succeeded", object: { ...pi } },
    { type: "charge.succeeded", object: chargeOf(pi, 0) },
  ];
}

function error(status: number, message: string, code?: string, param?: string) {
  const type = status === 401 ? "invalid_request_error" : status === 429 ? "rate_limit_error" : status >= 500 ? "api_error" : code === "idempotency_error" ? "idempotency_error" : "invalid_request_error";
  return json({ error: { type, message, ...(code ? { code } : {}), ...(param ? { param } : {}) } }, status);
}
const missing = (param: string) => error(400, `Missing required param: ${param}.`, "parameter_missing", param);
const wholeNumber = (v: unknown) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : null);

function createIntent(r: SimRequest, a: Account) {
  const amount = wholeNumber(r.fields.amount);
  const currency = typeof r.fields.currency === "string" ? r.fields.currency.toLowerCase() : null;
  if (r.fields.amount === undefined) return missing("amount");
  if (amount === null) return error(400, "Invalid integer: amount", "parameter_invalid_integer", "amount");
  if (!currency) return missing("currency");
  if (amount < 50) return error(400, "Amount must be at least $0.50 usd", "amount_too_small", "amount");
  const paid = r.fields.confirm === "true" && typeof r.fields.payment_method === "string";
  const id = objectId("pi_");
  const pi: PaymentIntent = {
    id, object: "payment_intent", amount, amount_received: paid ? amount : 0, currency, status: paid ? "succeeded" : "requires_payment_method",
    client_secret: `${id}_secret_${objectId("", 25)}`, receipt_email: typeof r.fields.receipt_email === "string" ? r.fields.receipt_email : null, created: now(), description: typeof r.fields.description === "string" ? r.fields.description : null, latest_charge: paid ? objectId("ch_") : null,
    metadata: nested(r.fields, "metadata"), livemode: a.live,
  };
  storeOf(a).intents.push(pi);
  if (paid) r.events.push(...paidEvents(pi));
  return json(pi);
}

/** POST /v1/payment_intents/{id}/confirm with a payment method: the intent is paid. */
function confirmIntent(r: SimRequest, a: Account, id: string) {
  const pi = storeOf(a).intents.find((p) => p.id === id);
  if (!pi) return error(404, `No such payment_intent: '${id}'`, "resource_missing", "intent");
  if (pi.status === "succeeded") return error(400, "This PaymentIntent's payment_method could not be updated because it has a status of succeeded.", "payment_intent_unexpected_state");
  if (typeof r.fields.payment_method !== "string") return error(400, "You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_intent_unexpected_state");
  Object.assign(pi, { status: "succeeded", amount_received: pi.amount, latest_charge: objectId("ch_") });
  r.events.push(...paidEvents(pi));
  return json(pi);
}

function listIntents(r: SimRequest, a: Account) {
  const q = r.url.searchParams;
  const limit = q.has("limit") ? wholeNumber(q.get("limit")) : 10;
  if (limit === null || limit < 1 || limit > 100) return error(400, "Invalid integer: limit (1 to 100)", "parameter_invalid_integer", "limit");
  const bound = (op: string) => (q.has(`created[${op}]`) ? wholeNumber(q.get(`created[${op}]`)) : null);
  const [gte, gt, lte, lt] = ["gte", "gt", "lte", "lt"].map(bound);
  // Newest first, as Stripe lists; objects created in the same second keep their creation order reversed.
  let list = [...storeOf(a).intents].reverse().filter((p) => (gte === null || p.created >= gte!) && (gt === null || p.created > gt!) && (lte === null || p.created <= lte!) && (lt === null || p.created < lt!));
  const after = q.get("starting_after");
  const before = q.get("ending_before");
  if (after) {
    const at = list.findIndex((p) => p.id === after);
    if (at < 0) return error(400, `No such payment_intent: '${after}'`, "resource_missing", "starting_after");
    list = list.slice(at + 1);
  } else if (before) {
    const at = list.findIndex((p) => p.id === before);
    if (at < 0) return error(400, `No such payment_intent: '${before}'`, "resource_missing", "ending_before");
    return json({ object: "list", url: "/v1/payment_intents", has_more: at > limit, data: list.slice(Math.max(0, at - limit), at) });
  }
  return json({ object: "list", url: "/v1/payment_intents", has_more: list.length > limit, data: list.slice(0, limit) });
}

function createRefund(r: SimRequest, a: Account) {
  const piId = r.fields.payment_intent;
  if (typeof piId !== "string") return missing("payment_intent");
  const pi = storeOf(a).intents.find((p) => p.id === piId);
  if (!pi) return error(400, `No such payment_intent: '${piId}'`, "resource_missing", "payment_intent");
  if (pi.status !== "succeeded") return error(400, `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, "charge_not_refundable");
  const refunded = storeOf(a).refunded.get(pi.id) ?? 0;
  const left = pi.amount_received - refunded;
  const amount = r.fields.amount === undefined ? left : wholeNumber(r.fields.amount);
  if (amount === null || amount < 1) return error(400, "Invalid integer: amount", "parameter_invalid_integer", "amount");
  if (left === 0) return error(400, `Charge ${pi.latest_charge} has already been refunded.`, "charge_already_refunded");
  if (amount > left) return error(400, `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(left / 100).toFixed(2)})`, "amount_too_large", "amount");
  const reason = r.fields.reason;
  if (reason !== undefined && (typeof reason !== "string" || !REASONS.has(reason))) return error(400, "Invalid reason", "parameter_invalid_string", "reason");
  storeOf(a).refunded.set(pi.id, refunded + amount);
  const refund = {
    id: objectId("re_"), object: "refund", amount, balance_transaction: objectId("txn_"), charge: pi.latest_charge, created: now(), currency: pi.currency,
    metadata: nested(r.fields, "metadata"), payment_intent: pi.id, reason: reason ?? null, status: "succeeded",
  };
  const after = chargeOf(pi, refunded + amount);
  r.events.push(
    { type: "charge.refunded", object: after, previous: { amount_refunded: refunded, ...(after.refunded ? { refunded: false } : {}) } },
    { type: "refund.created", object: refund },
  );
  return json(refund);
}

// Webhook endpoints (docs.stripe.com/api/webhook_endpoints): the secret is shown once, on create.
function createEndpoint(r: SimRequest, a: Account) {
  const url = r.fields.url;
  if (typeof url !== "string") return missing("url");
  if (!isHttpUrl(url)) return error(400, "Invalid URL: must be a valid http or https URL", "url_invalid", "url");
  // enabled_events[]=a&enabled_events[]=b repeats a key, which the flat fields keep only once.
  const events = [...new URLSearchParams(r.text)].filter(([k]) => /^enabled_events\[\d*\]$/.test(k)).map(([, v]) => v);
  if (!events.length) return missing("enabled_events");
  const secret = objectId("whsec_", 32);
  const e = addEndpoint({ provider: "stripe", account: a.id, url, secret, events, source: "api", ...RETRY_DEFAULTS });
  return json({ ...endpointObject(e, a), secret });
}

const endpointObject = (e: { id: string; url: string; events: string[]; createdAt: number }, a: Account) => ({
  id: e.id, object: "webhook_endpoint", api_version: null, application: null, created: Math.floor(e.createdAt / 1000), description: null,
  enabled_events: e.events, livemode: a.live, metadata: {}, status: "enabled", url: e.url,
});

function webhookEndpoints(r: SimRequest, a: Account): Response | null {
  if (r.path === "/v1/webhook_endpoints") {
    if (r.method === "POST") return createEndpoint(r, a);
    const mine = state.endpoints.filter((e) => e.provider === "stripe" && e.account === a.id && e.source === "api").reverse();
    if (r.method === "GET") return json({ object: "list", url: "/v1/webhook_endpoints", has_more: false, data: mine.map((e) => endpointObject(e, a)) });
  }
  const id = r.path.match(/^\/v1\/webhook_endpoints\/(we_\w+)$/)?.[1];
  if (id && r.method === "DELETE") {
    const removed = removeEndpoints((e) => !(e.id === id && e.provider === "stripe" && e.account === a.id));
    return removed ? json({ id, object: "webhook_endpoint", deleted: true }) : error(404, `No such webhook endpoint: '${id}'`, "resource_missing", "id");
  }
  return null;
}

function balance(a: Account) {
  const net = storeOf(a).intents.reduce((sum, p) => sum + p.amount_received - (storeOf(a).refunded.get(p.id) ?? 0), 0);
  return json({ object: "balance", available: [{ amount: net, currency: "usd", source_types: { card: net } }], pending: [{ amount: 0, currency: "usd" }], livemode: a.live });
}

export const stripe: SimProvider = {
  name: "stripe",
  idempotencyHeader: "idempotency-key",
  webhooks: stripeWebhooks(accountOf),
  authenticate(r) {
    const key = schemeToken(r.req, "Bearer") ?? basicAuth(r.req)?.user ?? null;
    if (!key) return error(401, "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
    return accountOf(key) ?? error(401, `Invalid API Key provided: ${masked(key)}`);
  },
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    if (route === "POST /v1/payment_intents") return createIntent(r, a!);
    if (route === "GET /v1/payment_intents") return listIntents(r, a!);
    if (route === "POST /v1/refunds") return createRefund(r, a!);
    if (route === "GET /v1/balance") return balance(a!);
    const retrieve = r.method === "GET" && r.path.match(/^\/v1\/payment_intents\/(pi_\w+)$/)?.[1];
    if (retrieve) {
      const pi = storeOf(a!).intents.find((p) => p.id === retrieve);
      return pi ? json(pi) : error(404, `No such payment_intent: '${retrieve}'`, "resource_missing", "intent");
    }
    const confirm = r.method === "POST" && r.path.match(/^\/v1\/payment_intents\/(pi_\w+)\/confirm$/)?.[1];
    if (confirm) return confirmIntent(r, a!, confirm);
    const endpoints = webhookEndpoints(r, a!);
    if (endpoints) return endpoints;
    return error(404, `Unrecognized request URL (${r.method}: ${r.path}).`);
  },
  error: (status, message, code) => error(status, message, code),
  reset: () => accounts.clear(),
};
