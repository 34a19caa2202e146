// One tenant's local day of reconciliation, as staff read it (GET /v1/reports/reconciliation) and as the
// daily cron fingerprints it before a GTCS push (./daily-reconciliation.ts). The rows are the ones the
// GTCS connector reads (src/storage/payment-ledger.ts, through src/sync/tenant-data.ts), and the
// arithmetic is the same pure `reconcile`, so what staff see is what GTCS was sent.
import type { Bindings } from "../env";
import { sha256Hex } from "../lib/crypto";
import { Failure } from "../lib/failure";
import { localDay, reconcile } from "../domain/reconciliation";
import { checkSettlements, type SettlementCheck } from "../domain/settlement-check";
import { db } from "../storage/db";
import { refundRows, settledPaymentRows } from "../storage/payment-ledger";
import { paymentRoutingOf } from "../storage/payment-routing";
import { tenantTimezone } from "../storage/tenants";

/** GTCS takes at most this many transactions in one report (src/vendors/gtcs/connector.ts). */
export const MAX_DAY_TRANSACTIONS = 10_000;
/** The Stamford guide's revenue account, for payments that name none. */
export const DEFAULT_REVENUE_ACCOUNT = "4100-PARKING-REVENUE";

export interface DayTransaction {
  transactionId: string;
  timestamp: string;
  type: "PARKING_PAYMENT" | "REFUND";
  zone: string | null;
  provider: string;
  /** Signed minor units: refunds are negative. */
  amountCents: number;
  /** The payment's fee; 0 on a refund (the fee share a refund returns is `summary.refundFeeCents`). */
  feeCents: number;
  accountingCode: string;
}

export interface ReconciliationDay {
  date: string;
  timezone: string;
  currency: string;
  /** 23, 24 or 25. */
  hours: number;
  reportPeriod: { from: string; to: string };
  transactions: DayTransaction[];
  /** As sent to GTCS (total, fees, net = total − fees), plus the fee share returned with the day's refunds. */
  summary: {
    transactions: number;
    totalCents: number;
    feeCents: number;
    netCents: number;
    refundFeeCents: number;
    otherCurrencies: number;
  };
  settlement: SettlementCheck;
  /** SHA-256 hex of the transactions and summary: a pushed day whose fingerprint changes is a correction. */
  fingerprint: string;
}

export async function reconciliationDay(
  env: Bindings,
  tenantId: string,
  date: string,
  currency: string,
  revenueAccount = DEFAULT_REVENUE_ACCOUNT,
): Promise<ReconciliationDay> {
  const database = db(env.DB);
  const [timezone, routing] = await Promise.all([tenantTimezone(database, tenantId), paymentRoutingOf(database, tenantId)]);
  const { fromMs, toMs } = localDay(date, timezone);
  const [payments, refunds] = await Promise.all([
    settledPaymentRows(database, tenantId, fromMs, toMs, MAX_DAY_TRANSACTIONS + 1),
    refundRows(database, tenantId, fromMs, toMs, MAX_DAY_TRANSACTIONS + 1),
  ]);
  if (payments.length + refunds.length > MAX_DAY_TRANSACTIONS)
    throw new Failure(
      "invalid",
      `${date} has more than ${MAX_DAY_TRANSACTIONS} transactions, more than one reconciliation holds`,
    );
  const r = reconcile(
    payments.map(({ payment: p, zone }) => ({
      id: p.id,
      zone,
      amountCents: p.amountCents,
      feeCents: p.feeCents,
      currency: p.currency,
      revenueAccount: p.revenueAccount,
      at: p.paidAt ?? p.createdAt,
    })),
    refunds.map(({ refund: f, payment: p, zone }) => ({
      // The same id the connector sends: "<provider>:<refund id>", the tenant implied.
      id: f.id.startsWith(`${tenantId}:`) ? f.id.slice(tenantId.length + 1) : f.id,
      zone,
      amountCents: f.amountCents,
      currency: p.currency,
      revenueAccount: p.revenueAccount,
      at: f.createdAt,
    })),
    currency,
    revenueAccount,
  );
  const payById = new Map(payments.map(({ payment: p }) => [p.id, p]));
  const refundById = new Map(
    refunds.map((x) => [x.refund.id.startsWith(`${tenantId}:`) ? x.refund.id.slice(tenantId.length + 1) : x.refund.id, x]),
  );
  const transactions: DayTransaction[] = r.lines.map((l) => {
    const pay = l.type === "PARKING_PAYMENT" ? payById.get(l.transactionId) : refundById.get(l.transactionId)?.payment;
    const feeCents = l.type === "PARKING_PAYMENT" ? (pay?.feeCents ?? 0) : 0;
    return {
      transactionId: l.transactionId,
      timestamp: new Date(l.at).toISOString(),
      type: l.type,
      zone: l.zone,
      provider: pay?.provider ?? "",
      amountCents: l.amountCents,
      feeCents,
      accountingCode: l.accountingCode,
    };
  });
  const summary = {
    transactions: r.lines.length,
    totalCents: r.totalCents,
    feeCents: r.feeCents,
    netCents: r.netCents,
    refundFeeCents: refunds
      .filter(({ payment: p }) => p.currency.toUpperCase() === currency.toUpperCase())
      .reduce((sum, { refund: f }) => sum + f.feeCents, 0),
    otherCurrencies: r.otherCurrencies,
  };
  const settlement = checkSettlements(
    payments
      .filter(({ payment: p }) => p.currency.toUpperCase() === currency.toUpperCase())
      .map(({ payment: p }) => ({
        id: p.id,
        provider: p.provider,
        providerTransactionId: p.providerTransactionId,
        currency: p.currency,
        amountCents: p.amountCents,
        feeCents: p.feeCents,
        netCents: p.netCents,
        paidAt: p.paidAt ?? p.createdAt,
        settlementDate: p.settlementDate,
        settlementBatch: p.settlementBatch,
      })),
    routing.cutoff,
    timezone,
  );
  return {
    date,
    timezone,
    currency,
    hours: Math.round((toMs - fromMs) / 3_600_000),
    reportPeriod: { from: new Date(fromMs).toISOString(), to: new Date(toMs - 1).toISOString() },
    transactions,
    summary,
    settlement,
    fingerprint: await sha256Hex(JSON.stringify({ date, currency, transactions, summary })),
  };
}
