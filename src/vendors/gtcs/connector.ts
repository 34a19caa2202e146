// GTCS municipal revenue management (the Stamford integration guide, docs/sources.md:
// `POST /api/gtcs/reconciliation` with `Authorization:
// Bearer <GTCS_API_KEY>`; the report in dollars), entity "reconciliation": push one local day's
// payments and refunds, with totals, fees and net, as recorded by the payment webhooks. The guide names
// no host, so the default base URL is a placeholder a city replaces with settings.baseUrl. The day is
// params.date (YYYY-MM-DD, the tenant's local date), by default yesterday. The idempotency key names
// the day and a digest of the report: a retry replays, a corrected day (a late refund) is sent again
// and GTCS replaces the period's earlier report.
import { sha256Hex } from "../../lib/crypto";
import { localDay, previousLocalDate, reconcile } from "../../domain/reconciliation";
import { ProviderCallError } from "../../lib/vendor-call-error";
import { dollars } from "../shared/money";
import { dateParam, stringParam } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

const MAX_TRANSACTIONS = 10_000; // GTCS takes at most this many per report
const DEFAULT_ACCOUNT = "4100-PARKING-REVENUE"; // the Stamford guide's revenue account

async function pushReconciliation(ctx: ConnectorContext, job: SyncJobInput) {
  const tz = await ctx.data.timezone();
  const date = dateParam(job.params, "date") ?? previousLocalDate(ctx.nowMs, tz);
  const currency = stringParam(job.params, "currency", /^[A-Z]{3}$/) ?? "USD";
  const { fromMs, toMs } = localDay(date, tz);
  const [payments, refunds] = await Promise.all([
    ctx.data.payments(fromMs, toMs, MAX_TRANSACTIONS + 1),
    ctx.data.refunds(fromMs, toMs, MAX_TRANSACTIONS + 1),
  ]);
  if (payments.length + refunds.length > MAX_TRANSACTIONS)
    throw new ProviderCallError(
      "client",
      `${date} has more than ${MAX_TRANSACTIONS} transactions, more than GTCS takes in one report`,
    );
  const account = typeof ctx.settings.revenueAccount === "string" ? ctx.settings.revenueAccount : DEFAULT_ACCOUNT;
  const r = reconcile(payments, refunds, currency, account);
  const body = {
    reportPeriod: { from: new Date(fromMs).toISOString(), to: new Date(toMs - 1).toISOString() },
    transactions: r.lines.map((l) => ({
      // Curbgate records no card brand or method; every payment provider it connects is a card processor.
      transactionId: l.transactionId,
      timestamp: new Date(l.at).toISOString(),
      amount: dollars(l.amountCents),
      type: l.type,
      zone: l.zone,
      paymentMethod: "CREDIT_CARD",
      accountingCode: l.accountingCode,
    })),
    summary: {
      totalRevenue: dollars(r.totalCents),
      totalTransactions: r.lines.length,
      processingFees: dollars(r.feeCents),
      netRevenue: dollars(r.netCents),
    },
  };
  const digest = (await sha256Hex(JSON.stringify(body))).slice(0, 16);
  const res = await ctx.call<{ reconciliationId: string; version: number }>({
    method: "POST",
    path: "/api/gtcs/reconciliation",
    body,
    idempotencyKey: ctx.key(`reconciliation:${date}:${digest}`),
  });
  return {
    records: r.lines.length,
    detail: {
      date,
      currency,
      reconciliationId: res.body.reconciliationId,
      version: res.body.version,
      totalCents: r.totalCents,
      feeCents: r.feeCents,
      netCents: r.netCents,
      otherCurrencies: r.otherCurrencies,
    },
  };
}

export const connector: Connector = {
  provider: "gtcs",
  defaultBaseUrl: "https://api.gtcs.example", // placeholder: the guide names none; set settings.baseUrl
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.apiKey ?? ""}`),
  idempotencyHeader: "Idempotency-Key",
  rateLimitPerMinute: 60,
  async test(ctx) {
    const res = await ctx.call<{ status: string; environment: string }>({ method: "GET", path: "/api/gtcs/status" });
    return { status: res.body.status, environment: res.body.environment };
  },
  entities: {
    reconciliation: {
      directions: ["push"],
      description:
        "Push: one local day's payments and refunds with totals, fees and net (params.date YYYY-MM-DD, default yesterday; params.currency, default USD).",
      run: pushReconciliation,
    },
  },
};
