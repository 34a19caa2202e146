// D1 tables of money (docs/payments.md, docs/reports.md, docs/reservations.md): the ledger and its
// refunds, payment routing, reservation payments, payment initiations, reconciliation pushes and
// scheduled reports. Re-exported by schema.ts.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./schema-core";

// ---- Payments (effects of payment webhooks) ----------------------------------------------------

export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    provider: text("provider").notNull(),
    providerTransactionId: text("provider_transaction_id").notNull(),
    sessionId: text("session_id"),
    amountCents: integer("amount_cents").notNull(),
    feeCents: integer("fee_cents").notNull().default(0),
    netCents: integer("net_cents").notNull(),
    refundedCents: integer("refunded_cents").notNull().default(0),
    currency: text("currency").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed", "refunded", "partially_refunded"] }).notNull(),
    revenueAccount: text("revenue_account"),
    feeAccount: text("fee_account"),
    /** The zone the money is for (a session's zone); null for a citation or when nobody said. */
    zone: text("zone"),
    /** The citation this payment settled, when it named one. */
    citationId: text("citation_id"),
    /** card, bank_transfer, mobile_money, wallet, cash, other; null when the provider did not say. */
    method: text("method"),
    /** How Curbgate learnt of it: a webhook, a pull from the provider, or a payment Curbgate started. */
    source: text("source", { enum: ["webhook", "pull", "initiated"] })
      .notNull()
      .default("webhook"),
    /** When the money moved, by the provider's clock when it says (else when Curbgate first saw it). */
    paidAt: integer("paid_at"),
    /** The tenant's settlement batch (src/domain/money.ts settlementOf), fixed when the payment succeeds. */
    settlementDate: text("settlement_date"),
    settlementBatch: text("settlement_batch"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("payments_provider_txn_uq").on(t.tenantId, t.provider, t.providerTransactionId),
    index("payments_tenant_session_idx").on(t.tenantId, t.sessionId),
    // Reports: a tenant's (or one zone's) payments over a range of days, and a settlement day's batch.
    index("payments_tenant_paid_idx").on(t.tenantId, t.paidAt),
    index("payments_tenant_zone_paid_idx").on(t.tenantId, t.zone, t.paidAt),
    index("payments_tenant_settlement_idx").on(t.tenantId, t.settlementDate),
  ],
);

// How a tenant's payments are split between accounts and settled (src/domain/money.ts PaymentRouting).
// Amounts are minor units of the payment's currency. A tenant without a row gets DEFAULT_PAYMENT_ROUTING.
export const paymentRouting = sqliteTable("payment_routing", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  revenueAccount: text("revenue_account").notNull(),
  feeAccount: text("fee_account").notNull(),
  feeMode: text("fee_mode", { enum: ["percent", "fixed"] }).notNull(),
  feeBasisPoints: integer("fee_basis_points").notNull().default(0),
  feeFixedMinor: integer("fee_fixed_minor").notNull().default(0),
  settlementAccount: text("settlement_account").notNull(),
  cutoff: text("cutoff").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const paymentRefunds = sqliteTable(
  "payment_refunds",
  {
    id: text("id").primaryKey(), // "<tenant>:<provider>:<provider refund id>"
    tenantId: text("tenant_id").notNull(),
    paymentId: text("payment_id").notNull(),
    amountCents: integer("amount_cents").notNull(),
    /** The refund's share of the payment's fee (src/domain/money.ts refundFeeMinor). */
    feeCents: integer("fee_cents").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("payment_refunds_payment_idx").on(t.paymentId),
    index("payment_refunds_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

// Issue 12 item 6 (reservations): which ledger payment confirmed which reservation. One payment confirms
// one reservation at most, across all of a tenant's zones (each zone's object only sees its own).
export const reservationPayments = sqliteTable(
  "reservation_payments",
  {
    tenantId: text("tenant_id").notNull(),
    paymentId: text("payment_id").notNull(),
    reservationId: text("reservation_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.paymentId] })],
);

// ---- Payment initiations (issue 12, item 1: a driver pays a session through the city's provider) ----

// Each payment Curbgate started at a provider for a session, one per tenant and Idempotency-Key: a retry
// finds the first answer here, and verify finds the session by the provider's reference. `client` holds
// what the driver's client needs (Stripe's client_secret; Paystack's authorization_url and access_code),
// sealed with the tenant's data key: a client secret is a credential for that one payment.
export const paymentInitiations = sqliteTable(
  "payment_initiations",
  {
    id: text("id").primaryKey(), // "pin_…"
    tenantId: text("tenant_id").notNull(),
    provider: text("provider").notNull(),
    sessionId: text("session_id").notNull(),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    /** "<credential>:<the caller's Idempotency-Key>" (or its reference, or a random one). */
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 of the request: the same key with another request is refused. */
    fingerprint: text("fingerprint").notNull(),
    /** The key the provider dedupes by (Stripe's Idempotency-Key; Paystack's reference). */
    providerKey: text("provider_key").notNull(),
    /** The provider's id for the payment (pi_…, the Paystack reference), once it answered. */
    providerReference: text("provider_reference"),
    clientCiphertext: text("client_ciphertext"),
    clientKeyVersion: integer("client_key_version"),
    /** creating: the provider call is under way; pending: the driver has to complete it; paid; failed. */
    status: text("status", { enum: ["creating", "pending", "paid", "failed"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("payment_initiations_key_uq").on(t.tenantId, t.idempotencyKey),
    index("payment_initiations_reference_idx").on(t.tenantId, t.providerReference),
    index("payment_initiations_session_idx").on(t.tenantId, t.sessionId),
  ],
);

// ---- Issue 12 items 4 and 5: daily reconciliation pushes, scheduled reports --------------------

// Each GTCS push of one tenant's local day: one row per version, the fingerprint of what it carried.
// The unique (tenant, date, version) is what lets a cron that fires twice push a day once: both runs
// try to insert the same next version and only one succeeds.
export const reconciliationPushes = sqliteTable(
  "reconciliation_pushes",
  {
    tenantId: text("tenant_id").notNull(),
    date: text("date").notNull(), // the tenant's local date, YYYY-MM-DD
    version: integer("version").notNull(),
    currency: text("currency").notNull(),
    fingerprint: text("fingerprint").notNull(), // SHA-256 hex of the day's content (src/domain/reconciliation.ts)
    transactions: integer("transactions").notNull(),
    totalCents: integer("total_cents").notNull(),
    jobId: text("job_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.date, t.version] })],
);

// A report a tenant asked to have made every day, week or month (src/domain/reports.ts).
export const scheduledReports = sqliteTable(
  "scheduled_reports",
  {
    id: text("id").primaryKey(), // "srp_…"
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    template: text("template").notNull(),
    filters: text("filters", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    format: text("format", { enum: ["csv", "json", "pdf"] }).notNull(),
    frequency: text("frequency", { enum: ["daily", "weekly", "monthly"] }).notNull(),
    recipients: text("recipients", { mode: "json" }).$type<string[]>().notNull(),
    /** The origin the schedule was created on: download links in its emails point there. */
    linkOrigin: text("link_origin").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("scheduled_reports_tenant_idx").on(t.tenantId)],
);

// Every report file made (on demand or by a schedule), stored in R2 under reports/<tenant>/<id>.<ext>.
// A schedule's run is unique per (schedule, period): a second cron run for the same period inserts nothing.
export const reportFiles = sqliteTable(
  "report_files",
  {
    id: text("id").primaryKey(), // "rpt_…"
    tenantId: text("tenant_id").notNull(),
    scheduleId: text("schedule_id"),
    period: text("period"), // the schedule's period: YYYY-MM-DD (daily), YYYY-Www (weekly), YYYY-MM (monthly)
    template: text("template").notNull(),
    format: text("format").notNull(),
    r2Key: text("r2_key").notNull(),
    bytes: integer("bytes"),
    status: text("status", { enum: ["pending", "stored", "failed"] }).notNull(),
    /** What happened to the email: "queued <job id>", "no messaging connector", … */
    delivery: text("delivery"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("report_files_schedule_period_uq").on(t.scheduleId, t.period),
    index("report_files_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);
