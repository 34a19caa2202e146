// The aggregate queries behind staff reports: every sum is a GROUP BY in D1, so a month of a city taking
// 50 000 payments a day comes back as a few hundred rows, never as 1.5 million. Payments are read by when
// the money moved (`paid_at`) through payments_tenant_paid_idx, or payments_tenant_zone_paid_idx when a
// zone is named; refunds by when they were made (payment_refunds_tenant_created_idx), in the group of the
// payment they refund. `bench/scenarios/revenue-report.mjs` measures these queries at that volume.
import { and, eq, gt, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "./db";
import { citations, parkingSessions, paymentRefunds, payments, zones } from "./schema";

/** Payments whose money moved: a pending or failed payment is not revenue. */
export const SETTLED_STATUSES = ["succeeded", "partially_refunded", "refunded"] as const;

/** Instants are grouped by 15 minutes: every UTC offset in use is a multiple of it, so buckets fold into local days exactly. */
export const BUCKET_MS = 900_000;

export type RevenueGroup = "zone" | "provider" | "method" | "bucket";
export interface RevenueFilters {
  zone?: string;
  provider?: string;
  method?: string;
  currency?: string;
}

function paymentConditions(tenantId: string, f: RevenueFilters): SQL[] {
  const out: SQL[] = [eq(payments.tenantId, tenantId)];
  if (f.zone !== undefined) out.push(eq(payments.zone, f.zone));
  if (f.provider !== undefined) out.push(eq(payments.provider, f.provider));
  if (f.method !== undefined) out.push(eq(payments.method, f.method));
  if (f.currency !== undefined) out.push(eq(payments.currency, f.currency));
  return out;
}

const keyOf = (by: RevenueGroup, at: typeof payments.paidAt | typeof paymentRefunds.createdAt) =>
  by === "bucket" ? sql<number>`(${at} / ${BUCKET_MS}) * ${BUCKET_MS}` : sql<string | null>`${payments[by]}`;

/** The payments query (exported so a test can EXPLAIN it): one row per (key, currency). */
export function revenueQuery(database: Db, tenantId: string, by: RevenueGroup, fromMs: number, toMs: number, f: RevenueFilters) {
  const key = keyOf(by, payments.paidAt);
  return database
    .select({
      key,
      currency: payments.currency,
      payments: sql<number>`count(*)`,
      grossCents: sql<number>`sum(${payments.amountCents})`,
      feeCents: sql<number>`sum(${payments.feeCents})`,
      netCents: sql<number>`sum(${payments.netCents})`,
    })
    .from(payments)
    .where(
      and(
        ...paymentConditions(tenantId, f),
        gte(payments.paidAt, fromMs),
        lt(payments.paidAt, toMs),
        inArray(payments.status, [...SETTLED_STATUSES]),
      ),
    )
    .groupBy(key, payments.currency);
}

export function refundQuery(database: Db, tenantId: string, by: RevenueGroup, fromMs: number, toMs: number, f: RevenueFilters) {
  const key = keyOf(by, paymentRefunds.createdAt);
  return database
    .select({
      key,
      currency: payments.currency,
      refunds: sql<number>`count(*)`,
      refundCents: sql<number>`sum(${paymentRefunds.amountCents})`,
      refundFeeCents: sql<number>`sum(${paymentRefunds.feeCents})`,
    })
    .from(paymentRefunds)
    .innerJoin(payments, eq(payments.id, paymentRefunds.paymentId))
    .where(
      and(
        eq(paymentRefunds.tenantId, tenantId),
        gte(paymentRefunds.createdAt, fromMs),
        lt(paymentRefunds.createdAt, toMs),
        ...paymentConditions(tenantId, f),
      ),
    )
    .groupBy(key, payments.currency);
}

/** Sessions that overlap [fromMs, toMs), per zone: how many, how many vehicles, and the time they held a space inside the range. */
export function occupancyQuery(database: Db, tenantId: string, fromMs: number, toMs: number, zone?: string) {
  // A session ended early holds its space until ended_at. The index (tenant, zone, start_at) bounds the scan.
  const end = sql`min(coalesce(${parkingSessions.endedAt}, ${parkingSessions.endAt}), ${parkingSessions.endAt}, ${toMs})`;
  const start = sql`max(${parkingSessions.startAt}, ${fromMs})`;
  return database
    .select({
      zone: parkingSessions.zone,
      sessions: sql<number>`count(*)`,
      distinctPlates: sql<number>`count(distinct ${parkingSessions.plate})`,
      occupiedMs: sql<number>`coalesce(sum(max(0, ${end} - ${start})), 0)`,
    })
    .from(parkingSessions)
    .where(
      and(
        eq(parkingSessions.tenantId, tenantId),
        ...(zone !== undefined ? [eq(parkingSessions.zone, zone)] : []),
        lt(parkingSessions.startAt, toMs),
        gt(parkingSessions.endAt, fromMs),
      ),
    )
    .groupBy(parkingSessions.zone);
}

export function zoneCapacities(database: Db, tenantId: string) {
  return database.select({ zone: zones.code, capacity: zones.capacity }).from(zones).where(eq(zones.tenantId, tenantId));
}

const OUTSTANDING = sql`${citations.status} IN ('issued', 'appealed', 'upheld', 'escalated', 'in_collections')`;
const CLOSED = sql`${citations.status} IN ('voided', 'dismissed')`;

/** Citations issued in [fromMs, toMs), per zone, by where they stand. */
export function citationQuery(database: Db, tenantId: string, fromMs: number, toMs: number, zone?: string) {
  const owed = sql`${citations.fineCents} + ${citations.lateFeeCents}`;
  return database
    .select({
      zone: citations.zone,
      issued: sql<number>`count(*)`,
      outstanding: sql<number>`sum(CASE WHEN ${OUTSTANDING} THEN 1 ELSE 0 END)`,
      outstandingCents: sql<number>`sum(CASE WHEN ${OUTSTANDING} THEN ${owed} ELSE 0 END)`,
      paid: sql<number>`sum(CASE WHEN ${citations.status} = 'paid' THEN 1 ELSE 0 END)`,
      paidCents: sql<number>`sum(CASE WHEN ${citations.status} = 'paid' THEN ${owed} ELSE 0 END)`,
      closed: sql<number>`sum(CASE WHEN ${CLOSED} THEN 1 ELSE 0 END)`,
    })
    .from(citations)
    .where(
      and(
        eq(citations.tenantId, tenantId),
        ...(zone !== undefined ? [eq(citations.zone, zone)] : []),
        gte(citations.issuedAt, fromMs),
        lt(citations.issuedAt, toMs),
      ),
    )
    .groupBy(citations.zone);
}
