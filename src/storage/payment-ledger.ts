// Reading the payments and refunds of the ledger for reports to the city's finance systems (GTCS
// reconciliation, GET /v1/reports/reconciliation): payments by when the money moved (`paid_at`, through
// payments_tenant_paid_idx), refunds by when they were made. Only money that moved: a payment that is
// pending or failed is not revenue. Each row carries its zone: the ledger's own, else its session's.
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "./db";
import { parkingSessions, paymentRefunds, payments } from "./schema";

const SETTLED = ["succeeded", "partially_refunded", "refunded"] as const;

export function settledPaymentRows(database: Db, tenantId: string, fromMs: number, toMs: number, limit: number) {
  return database
    .select({ payment: payments, zone: sql<string | null>`coalesce(${payments.zone}, ${parkingSessions.zone})` })
    .from(payments)
    .leftJoin(parkingSessions, and(eq(parkingSessions.tenantId, payments.tenantId), eq(parkingSessions.id, payments.sessionId)))
    .where(
      and(
        eq(payments.tenantId, tenantId),
        inArray(payments.status, [...SETTLED]),
        gte(payments.paidAt, fromMs),
        lt(payments.paidAt, toMs),
      ),
    )
    .orderBy(asc(payments.paidAt), asc(payments.id))
    .limit(limit);
}

export function refundRows(database: Db, tenantId: string, fromMs: number, toMs: number, limit: number) {
  return database
    .select({
      refund: paymentRefunds,
      payment: payments,
      zone: sql<string | null>`coalesce(${payments.zone}, ${parkingSessions.zone})`,
    })
    .from(paymentRefunds)
    .innerJoin(payments, and(eq(payments.tenantId, paymentRefunds.tenantId), eq(payments.id, paymentRefunds.paymentId)))
    .leftJoin(parkingSessions, and(eq(parkingSessions.tenantId, payments.tenantId), eq(parkingSessions.id, payments.sessionId)))
    .where(and(eq(paymentRefunds.tenantId, tenantId), gte(paymentRefunds.createdAt, fromMs), lt(paymentRefunds.createdAt, toMs)))
    .orderBy(asc(paymentRefunds.createdAt), asc(paymentRefunds.id))
    .limit(limit);
}
