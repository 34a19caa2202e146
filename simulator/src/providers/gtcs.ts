// GTCS municipal revenue management. The Stamford guide (docs/sources.md) gives the reconciliation body
// (`POST /api/gtcs/reconciliation`:
// reportPeriod, transactions and a summary, money in dollars) and `Authorization: Bearer <GTCS_API_KEY>`.
// The rest is Curbgate's documented completion (docs/integrations.md, "GTCS"): the answer, `GET
// /api/gtcs/reconciliation?from=` (the report held for a period), `GET /api/gtcs/status`, `Idempotency-Key`
// on writes, errors as `{ error: { code, message, details? } }`. A report for a period already on file
// replaces it (a corrected day) and bumps its version. The summary must agree with the transactions to
// the cent, as a finance system would insist.
import { isDollars, json, objectId } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";
import { bearerKey, codedError } from "../vendor-api";

interface Report {
  reconciliationId: string;
  reportPeriod: { from: string; to: string };
  transactions: Record<string, unknown>[];
  summary: { totalRevenue: number; totalTransactions: number; processingFees: number; netRevenue: number };
  version: number;
  receivedAt: string;
}

const KEY = /^gtcs_[A-Za-z0-9_]{6,}$/;
const MAX_TRANSACTIONS = 10_000;
const TYPES = new Set(["PARKING_PAYMENT", "REFUND", "CITATION_PAYMENT", "PERMIT_PAYMENT"]);
const accounts = new Map<string, Map<string, Report>>();
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, new Map()).get(a.id)!;
const instant = (v: unknown) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(Date.parse(v));
const toCents = (dollars: number) => Math.round(dollars * 100);
/** Signed dollars: refunds go out as negative amounts. */
const isAmount = (v: unknown): v is number => typeof v === "number" && isDollars(Math.abs(v));

const error = codedError;

function problemsOf(body: Record<string, unknown>) {
  const out: { field: string; message: string }[] = [];
  const bad = (field: string, message: string) => out.push({ field, message });
  const period = (body.reportPeriod ?? {}) as Record<string, unknown>;
  if (!instant(period.from) || !instant(period.to) || Date.parse(period.to as string) <= Date.parse(period.from as string)) bad("reportPeriod", "from and to, ISO 8601 instants, to after from");
  const list = body.transactions;
  if (!Array.isArray(list) || list.length > MAX_TRANSACTIONS) return [...out, { field: "transactions", message: `an array of at most ${MAX_TRANSACTIONS}` }];
  for (const [i, x] of list.entries()) {
    const t = (x ?? {}) as Record<string, unknown>;
    if (typeof t.transactionId !== "string" || !t.transactionId) bad(`transactions[${i}].transactionId`, "required");
    if (!instant(t.timestamp)) bad(`transactions[${i}].timestamp`, "ISO 8601 instant");
    if (!isAmount(t.amount)) bad(`transactions[${i}].amount`, "dollars, at most two decimals");
    if (typeof t.type !== "string" || !TYPES.has(t.type)) bad(`transactions[${i}].type`, [...TYPES].join(", "));
    if (instant(t.timestamp) && instant(period.from) && instant(period.to) && (Date.parse(t.timestamp as string) < Date.parse(period.from as string) || Date.parse(t.timestamp as string) > Date.parse(period.to as string)))
      bad(`transactions[${i}].timestamp`, "outside reportPeriod");
  }
  const s = (body.summary ?? {}) as Record<string, unknown>;
  for (const f of ["totalRevenue", "processingFees", "netRevenue"]) if (!isAmount(s[f])) bad(`summary.${f}`, "dollars, at most two decimals");
  if (out.length) return out;
  const total = list.reduce((sum: number, t) => sum + toCents((t as { amount: number }).amount), 0);
  if (s.totalTransactions !== list.length) bad("summary.totalTransactions", `is ${String(s.totalTransactions)}, the report holds ${list.length}`);
  if (toCents(s.totalRevenue as number) !== total) bad("summary.totalRevenue", `is ${String(s.totalRevenue)}, the transactions add up to ${(total / 100).toFixed(2)}`);
  if (toCents(s.netRevenue as number) !== toCents(s.totalRevenue as number) - toCents(s.processingFees as number)) bad("summary.netRevenue", "must be totalRevenue minus processingFees");
  return out;
}

function submit(r: SimRequest, a: Account) {
  const details = problemsOf(r.fields);
  if (details.length) return error(422, "The reconciliation does not add up", "VALIDATION_FAILED", details);
  const period = r.fields.reportPeriod as Report["reportPeriod"];
  const store = storeOf(a);
  const previous = store.get(period.from);
  const report: Report = {
    reconciliationId: previous?.reconciliationId ?? objectId("rec_"), reportPeriod: { from: period.from, to: period.to },
    transactions: r.fields.transactions as Record<string, unknown>[], summary: r.fields.summary as Report["summary"],
    version: (previous?.version ?? 0) + 1, receivedAt: new Date().toISOString(),
  };
  store.set(period.from, report);
  return json({ reconciliationId: report.reconciliationId, status: "ACCEPTED", reportPeriod: report.reportPeriod, transactions: report.transactions.length, version: report.version, receivedAt: report.receivedAt }, 201);
}

export const gtcs: SimProvider = {
  name: "gtcs",
  idempotencyHeader: "idempotency-key",
  createdIdOf: (body) => (typeof body.reconciliationId === "string" ? `${body.reconciliationId}@${String(body.version)}` : null),
  authenticate: bearerKey(KEY),
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    if (route === "GET /api/gtcs/status") return json({ status: "ok", environment: a!.live ? "production" : "sandbox", reportsOnFile: storeOf(a!).size });
    if (route === "POST /api/gtcs/reconciliation") return submit(r, a!);
    if (route === "GET /api/gtcs/reconciliation") {
      const report = storeOf(a!).get(r.url.searchParams.get("from") ?? "");
      return report ? json(report) : error(404, "No report for that period", "REPORT_NOT_FOUND");
    }
    return error(404, `No route ${route}`);
  },
  error: (status, message, code) => error(status, message, code),
  reset: () => accounts.clear(),
};
