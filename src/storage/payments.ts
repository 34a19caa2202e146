// Payments and refunds as payment webhooks (and the refunds Curbgate asks for) record them: one payment
// row per provider transaction, one refund row per provider refund id. Every write is idempotent, so a
// replayed event changes nothing. Reports read them through ./payment-ledger.ts.
import { type AnyColumn, type SQL, and, asc, desc, eq, gte, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import { newId } from "../lib/ids";
import type { Db } from "./db";
import { paymentRefunds, payments } from "./schema";

export type PaymentRow = typeof payments.$inferSelect;
type NewPayment = Pick<
  PaymentRow,
  | "tenantId"
  | "provider"
  | "providerTransactionId"
  | "sessionId"
  | "amountCents"
  | "feeCents"
  | "currency"
  | "revenueAccount"
  | "feeAccount"
  | "zone"
  | "method"
  | "source"
  | "paidAt"
> & {
  status: "pending" | "succeeded" | "failed";
};

// A payment's split (amount, fee, net, accounts) is fixed once it has succeeded: a later event or pull for
// the same transaction can fill what is missing (session, zone, method, paidAt) but never re-split it.
const settled = sql`${payments.status} IN ('succeeded', 'refunded', 'partially_refunded')`;
const keepIfSettled = (column: AnyColumn, name: string) =>
  sql`CASE WHEN ${settled} THEN ${column} ELSE excluded.${sql.raw(name)} END`;

/**
 * Records a provider transaction, or brings the recorded one up to date; returns the stored row. A repeat
 * that adds nothing (a pull run twice, a replayed event for a settled payment) writes nothing at all.
 */
export async function upsertPayment(database: Db, p: NewPayment, nowMs: number): Promise<PaymentRow> {
  const [row] = await database
    .insert(payments)
    .values({
      id: newId("pay"),
      tenantId: p.tenantId,
      provider: p.provider,
      providerTransactionId: p.providerTransactionId,
      sessionId: p.sessionId,
      amountCents: p.amountCents,
      feeCents: p.feeCents,
      netCents: p.amountCents - p.feeCents,
      currency: p.currency,
      status: p.status,
      revenueAccount: p.revenueAccount,
      feeAccount: p.feeAccount,
      zone: p.zone,
      method: p.method,
      source: p.source,
      paidAt: p.paidAt,
      createdAt: nowMs,
      updatedAt: nowMs,
    })
    .onConflictDoUpdate({
      target: [payments.tenantId, payments.provider, payments.providerTransactionId],
      // Queues do not keep order: a late "pending" never overwrites a settled state, and a late
      // "failed" (an earlier attempt on the same intent) never overwrites "succeeded".
      set: {
        status: sql`CASE WHEN ${payments.status} IN ('refunded', 'partially_refunded') THEN ${payments.status} WHEN ${payments.status} = 'succeeded' AND excluded.status != 'succeeded' THEN ${payments.status} WHEN excluded.status = 'pending' AND ${payments.status} != 'pending' THEN ${payments.status} ELSE excluded.status END`,
        amountCents: keepIfSettled(payments.amountCents, "amount_cents"),
        feeCents: keepIfSettled(payments.feeCents, "fee_cents"),
        netCents: keepIfSettled(payments.netCents, "net_cents"),
        revenueAccount: keepIfSettled(payments.revenueAccount, "revenue_account"),
        feeAccount: keepIfSettled(payments.feeAccount, "fee_account"),
        updatedAt: nowMs,
        sessionId: sql`COALESCE(${payments.sessionId}, excluded.session_id)`,
        zone: sql`COALESCE(${payments.zone}, excluded.zone)`,
        method: sql`COALESCE(${payments.method}, excluded.method)`,
        // The first report of when the money moved stands; a later pull or replay does not move it.
        paidAt: sql`COALESCE(${payments.paidAt}, excluded.paid_at)`,
      },
      // A settled payment changes only where it still lacks something the repeat knows.
      setWhere: sql`NOT (${settled})
        OR (${payments.sessionId} IS NULL AND excluded.session_id IS NOT NULL)
        OR (${payments.zone} IS NULL AND excluded.zone IS NOT NULL)
        OR (${payments.method} IS NULL AND excluded.method IS NOT NULL)
        OR (${payments.paidAt} IS NULL AND excluded.paid_at IS NOT NULL)`,
    })
    .returning();
  if (row) return row;
  const stored = await findPaymentByTransaction(database, p.tenantId, p.provider, p.providerTransactionId);
  if (!stored) throw new Error(`payment ${p.provider}:${p.providerTransactionId} vanished while being recorded`);
  return stored;
}

/** Fixes a succeeded payment's settlement batch, once: a later call leaves the first one standing. */
export async function settlePayment(
  database: Db,
  tenantId: string,
  paymentId: string,
  s: { settlementDate: string; settlementBatch: string },
): Promise<PaymentRow | null> {
  const [row] = await database
    .update(payments)
    .set(s)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.id, paymentId), isNull(payments.settlementDate)))
    .returning();
  return row ?? null;
}

/** A payment by Curbgate's id (pay_…). */
export async function findPayment(database: Db, tenantId: string, id: string): Promise<PaymentRow | null> {
  const [row] = await database
    .select()
    .from(payments)
    .where(and(eq(payments.tenantId, tenantId), eq(payments.id, id)))
    .limit(1);
  return row ?? null;
}

/** A payment by the provider that took it and the provider's transaction id. */
export async function findPaymentByTransaction(
  database: Db,
  tenantId: string,
  provider: string,
  transactionId: string,
): Promise<PaymentRow | null> {
  const [row] = await database
    .select()
    .from(payments)
    .where(
      and(eq(payments.tenantId, tenantId), eq(payments.provider, provider), eq(payments.providerTransactionId, transactionId)),
    )
    .limit(1);
  return row ?? null;
}

/** A session's payments that money can still be refunded from (succeeded or partly refunded), newest first. */
export function refundablePayments(database: Db, tenantId: string, sessionId: string): Promise<PaymentRow[]> {
  return database
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.tenantId, tenantId),
        eq(payments.sessionId, sessionId),
        inArray(payments.status, ["succeeded", "partially_refunded"]),
      ),
    )
    .orderBy(desc(payments.createdAt));
}

// A running total (Stripe's amount_refunded) is kept under its own marked id: it already includes every
// refund also recorded one by one (a refund Curbgate made itself, an older event's list).
const CUMULATIVE = "#total";

/**
 * Stores a refund under its provider's refund id; a repeat changes nothing. With `cumulative`,
 * `amountCents` is the vendor's running total for that id, and the stored amount only ever grows to it,
 * whatever order the deliveries arrive in.
 */
export async function storeRefund(
  database: Db,
  r: {
    tenantId: string;
    provider: string;
    refundId: string;
    paymentId: string;
    amountCents: number;
    /** The refund's share of the payment's fee (refundFeeMinor); for a running total, the share of that total. */
    feeCents: number;
    cumulative?: boolean;
  },
  nowMs: number,
) {
  // The id names the tenant: refund ids of vendors whose ids the merchant picks (Teller) can repeat across cities.
  const id = `${r.tenantId}:${r.provider}:${r.refundId}${r.cumulative ? CUMULATIVE : ""}`;
  const insert = database.insert(paymentRefunds).values({
    id,
    tenantId: r.tenantId,
    paymentId: r.paymentId,
    amountCents: r.amountCents,
    feeCents: r.feeCents,
    createdAt: nowMs,
  });
  await (r.cumulative
    ? insert.onConflictDoUpdate({
        target: paymentRefunds.id,
        set: {
          amountCents: sql`MAX(${paymentRefunds.amountCents}, excluded.amount_cents)`,
          feeCents: sql`MAX(${paymentRefunds.feeCents}, excluded.fee_cents)`,
        },
      })
    : insert.onConflictDoNothing());
}

/**
 * How much of a payment, and of its fee, is refunded: for each, the larger of the itemised sum and the
 * largest running total, never their sum.
 */
export async function refundedTotals(
  database: Db,
  tenantId: string,
  paymentId: string,
): Promise<{ amountCents: number; feeCents: number }> {
  const cumulativeRow = sql`${paymentRefunds.id} LIKE ${`%${CUMULATIVE}`}`;
  const larger = (column: AnyColumn) =>
    sql<number>`MAX(COALESCE(SUM(CASE WHEN ${cumulativeRow} THEN 0 ELSE ${column} END), 0), COALESCE(MAX(CASE WHEN ${cumulativeRow} THEN ${column} END), 0))`;
  const [totals] = await database
    .select({ amountCents: larger(paymentRefunds.amountCents), feeCents: larger(paymentRefunds.feeCents) })
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.paymentId, paymentId)));
  return { amountCents: Number(totals?.amountCents ?? 0), feeCents: Number(totals?.feeCents ?? 0) };
}

/** How much of a payment is refunded (refundedTotals' amount). */
export async function refundedTotal(database: Db, tenantId: string, paymentId: string): Promise<number> {
  return (await refundedTotals(database, tenantId, paymentId)).amountCents;
}

/** A payment's refunds, oldest first. */
export function refundsOf(database: Db, tenantId: string, paymentId: string) {
  return database
    .select()
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.tenantId, tenantId), eq(paymentRefunds.paymentId, paymentId)))
    .orderBy(asc(paymentRefunds.createdAt), asc(paymentRefunds.id));
}

/** Sets what is refunded of a payment, and the status that follows from it. */
export async function setRefunded(
  database: Db,
  tenantId: string,
  paymentId: string,
  refundedCents: number,
  status: "refunded" | "partially_refunded",
  nowMs: number,
) {
  await database
    .update(payments)
    .set({ refundedCents, status, updatedAt: nowMs })
    // A refund seen again (a replay, a second pull) leaves the row as it was, updated_at included.
    .where(
      and(
        eq(payments.tenantId, tenantId),
        eq(payments.id, paymentId),
        or(ne(payments.refundedCents, refundedCents), ne(payments.status, status)),
      ),
    );
}

export interface PaymentFilter {
  zone?: string;
  provider?: string;
  status?: PaymentRow["status"];
  source?: PaymentRow["source"];
  /** paid_at in [paidFromMs, paidToMs). */
  paidFromMs?: number;
  paidToMs?: number;
  settlementDate?: string;
}

/** The ledger, newest payment first by when the money moved; `after` is the last row of the page before. */
export function paymentPage(
  database: Db,
  tenantId: string,
  f: PaymentFilter,
  limit: number,
  after?: { paidAt: number; id: string },
) {
  const where: SQL[] = [eq(payments.tenantId, tenantId)];
  if (f.zone) where.push(eq(payments.zone, f.zone));
  if (f.provider) where.push(eq(payments.provider, f.provider));
  if (f.status) where.push(eq(payments.status, f.status));
  if (f.source) where.push(eq(payments.source, f.source));
  if (f.paidFromMs !== undefined) where.push(gte(payments.paidAt, f.paidFromMs));
  if (f.paidToMs !== undefined) where.push(lt(payments.paidAt, f.paidToMs));
  if (f.settlementDate) where.push(eq(payments.settlementDate, f.settlementDate));
  // (paid_at, id) orders payments made in the same millisecond, so a page boundary never skips one.
  if (after)
    where.push(or(lt(payments.paidAt, after.paidAt), and(eq(payments.paidAt, after.paidAt), lt(payments.id, after.id)))!);
  return database
    .select()
    .from(payments)
    .where(and(...where))
    .orderBy(desc(payments.paidAt), desc(payments.id))
    .limit(limit);
}
