// D1 schema: the relational record of every tenant. Live zone state lives in ZoneState Durable Objects;
// these tables hold identities, configuration and history. Every table carries tenant_id.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const createdAt = () => integer("created_at").notNull().default(sql`(unixepoch() * 1000)`);

export const tenants = sqliteTable("tenants", {
  id: text("id").primaryKey(), // slug, e.g. "demo"
  name: text("name").notNull(),
  timezone: text("timezone").notNull(),
  status: text("status", { enum: ["active", "suspended"] })
    .notNull()
    .default("active"),
  createdAt: createdAt(),
});

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["platform_admin", "tenant_admin", "officer", "developer", "viewer"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), index("users_tenant_idx").on(t.tenantId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(), // shown to humans, e.g. "cg_live_a1b2"
    hash: text("hash").notNull(), // hex SHA-256 of the whole key; the key itself is never stored
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(6000),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_keys_hash_uq").on(t.hash), index("api_keys_tenant_idx").on(t.tenantId)],
);

export const zones = sqliteTable(
  "zones",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    timezone: text("timezone").notNull(),
    // rateSlots, enforcement, graceMinutes, maxStayMinutes, incrementMinutes, as in domain ZoneRules
    rules: text("rules", { mode: "json" }).notNull(),
    capacity: integer("capacity"),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.code] })],
);

export const permits = sqliteTable(
  "permits",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    plate: text("plate").notNull(), // normalised
    state: text("state"),
    type: text("type", { enum: ["RESIDENTIAL", "BUSINESS", "VISITOR"] }).notNull(),
    number: text("number").notNull(),
    zones: text("zones", { mode: "json" }).$type<string[]>().notNull(),
    validFrom: integer("valid_from").notNull(),
    validUntil: integer("valid_until").notNull(),
    status: text("status", { enum: ["active", "revoked"] })
      .notNull()
      .default("active"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("permits_tenant_plate_idx").on(t.tenantId, t.plate),
    uniqueIndex("permits_tenant_number_uq").on(t.tenantId, t.number),
  ],
);

// History of parking sessions, written from each ZoneState's outbox (idempotent upsert by id and version).
export const parkingSessions = sqliteTable(
  "parking_sessions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    zone: text("zone").notNull(),
    plate: text("plate").notNull(),
    state: text("state"),
    startAt: integer("start_at").notNull(),
    endAt: integer("end_at").notNull(),
    paidMinutes: integer("paid_minutes").notNull(),
    amountCents: integer("amount_cents").notNull(),
    refundCents: integer("refund_cents").notNull().default(0),
    paidCents: integer("paid_cents").notNull().default(0), // confirmed by payment webhooks
    status: text("status", { enum: ["active", "ended", "expired"] }).notNull(),
    endedAt: integer("ended_at"),
    version: integer("version").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("sessions_tenant_zone_start_idx").on(t.tenantId, t.zone, t.startAt),
    index("sessions_tenant_plate_idx").on(t.tenantId, t.plate),
  ],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    actor: text("actor").notNull(), // "key:<id>" or "user:<id>"
    action: text("action").notNull(), // e.g. "permit.create"
    target: text("target"),
    detail: text("detail", { mode: "json" }),
    requestId: text("request_id"),
    at: integer("at").notNull(),
  },
  (t) => [index("audit_tenant_at_idx").on(t.tenantId, t.at)],
);

// ---- Integrations: credential vault and connections ------------------------------------------

// One data key per tenant and version, wrapped (AES-256-GCM) by a master key from the
// VAULT_MASTER_KEYS worker secret. Rotation rewraps these rows; ciphertexts never change.
export const tenantDataKeys = sqliteTable(
  "tenant_data_keys",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    version: integer("version").notNull(),
    wrappedKey: text("wrapped_key").notNull(), // base64(iv | ciphertext+tag)
    masterVersion: integer("master_version").notNull(),
    createdAt: createdAt(),
    rewrappedAt: integer("rewrapped_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.version] })],
);

export const integrationConnections = sqliteTable(
  "integration_connections",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    provider: text("provider").notNull(),
    // authorization_required: an OAuth app is configured but nobody has approved it yet;
    // needs_reconnect: the provider refused to renew its tokens (src/sync/oauth/). Plain text in SQLite, no migration.
    status: text("status", { enum: ["connected", "error", "disconnected", "authorization_required", "needs_reconnect"] })
      .notNull()
      .default("connected"),
    credentialsCiphertext: text("credentials_ciphertext").notNull(), // base64(iv | AES-256-GCM ciphertext+tag)
    keyVersion: integer("key_version").notNull(), // the tenant data key version that encrypted it
    masked: text("masked", { mode: "json" }).$type<Record<string, string>>().notNull(), // e.g. {"secretKey": "sk_…a1b2"}
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("connections_tenant_provider_uq").on(t.tenantId, t.provider)],
);

// ---- Webhook ingestion -------------------------------------------------------------------------

export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    provider: text("provider").notNull(),
    externalId: text("external_id").notNull(), // the vendor's event id, the dedupe key
    type: text("type").notNull(),
    status: text("status", { enum: ["received", "processing", "processed", "unhandled", "failed", "dead"] }).notNull(),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(), // secrets masked
    url: text("url"), // as called, secret query values masked
    payload: text("payload"), // raw body as text; null when kept in R2
    payloadKey: text("payload_key"), // R2 key for large bodies
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    effect: text("effect", { mode: "json" }),
    receivedAt: integer("received_at").notNull(),
    processedAt: integer("processed_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_events_dedupe_uq").on(t.tenantId, t.provider, t.externalId),
    index("webhook_events_tenant_received_idx").on(t.tenantId, t.receivedAt),
    index("webhook_events_tenant_status_idx").on(t.tenantId, t.status),
    index("webhook_events_status_updated_idx").on(t.status, t.updatedAt), // the stranded-event sweep, across tenants
  ],
);

export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    eventId: text("event_id").notNull(),
    attempt: integer("attempt").notNull(),
    ok: integer("ok", { mode: "boolean" }).notNull(),
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("webhook_attempts_event_idx").on(t.eventId)],
);

export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kind: text("kind").notNull(), // "webhook" now; "sync" later
    refId: text("ref_id").notNull(), // webhook event id
    provider: text("provider").notNull(),
    attempts: integer("attempts").notNull(),
    lastError: text("last_error"),
    failedAt: integer("failed_at").notNull(),
    replayedAt: integer("replayed_at"),
  },
  (t) => [
    index("dead_letters_tenant_failed_idx").on(t.tenantId, t.failedAt),
    uniqueIndex("dead_letters_ref_uq").on(t.kind, t.refId, t.failedAt),
  ],
);

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

// ---- Idempotency ---------------------------------------------------------------------------------

// Which request an Idempotency-Key was first used with, per tenant and credential. The zone's
// object keeps the first response; this table only stops a key being reused for a different request.
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    tenantId: text("tenant_id").notNull(),
    scope: text("scope").notNull(), // "<credential>:<operation>"
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.scope, t.key] })],
);

// Each refund a provider reports, by its own refund id, so a replayed event never refunds twice.
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

// ---- Outbound sync -------------------------------------------------------------------------------

export const syncJobs = sqliteTable(
  "sync_jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    provider: text("provider").notNull(),
    entity: text("entity").notNull(),
    direction: text("direction", { enum: ["push", "pull"] }).notNull(),
    priority: text("priority", { enum: ["high", "normal", "low"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed", "dead", "stopped"] }).notNull(),
    since: integer("since"),
    params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    result: text("result", { mode: "json" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("sync_jobs_tenant_provider_created_idx").on(t.tenantId, t.provider, t.createdAt),
    index("sync_jobs_status_updated_idx").on(t.status, t.updatedAt),
  ],
);

// Every outbound call to a provider: for health (error rate, p95), cost (billable units) and debugging.
export const integrationCalls = sqliteTable(
  "integration_calls",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    provider: text("provider").notNull(),
    jobId: text("job_id"),
    method: text("method").notNull(),
    path: text("path").notNull(), // no query string: it may carry secrets
    status: integer("status"), // null when no response (timeout, network, breaker open)
    ok: integer("ok", { mode: "boolean" }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    units: integer("units").notNull().default(1),
    idempotencyKey: text("idempotency_key"),
    at: integer("at").notNull(),
  },
  (t) => [index("integration_calls_tenant_provider_at_idx").on(t.tenantId, t.provider, t.at)],
);

export const fieldMappings = sqliteTable(
  "field_mappings",
  {
    tenantId: text("tenant_id").notNull(),
    provider: text("provider").notNull(),
    entity: text("entity").notNull(),
    // [{ from: "curbgate field path", to: "provider field path", transform?: "cents_to_dollars" | … }]
    mappings: text("mappings", { mode: "json" }).$type<{ from: string; to: string; transform?: string }[]>().notNull(),
    template: text("template"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.entity] })],
);

// OAuth authorisations in flight: the state parameter, bound to tenant and user, and the PKCE verifier.
export const oauthStates = sqliteTable("oauth_states", {
  state: text("state").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  userId: text("user_id").notNull(),
  provider: text("provider").notNull(),
  codeVerifier: text("code_verifier"),
  redirectUri: text("redirect_uri").notNull(),
  createdAt: integer("created_at").notNull(),
  usedAt: integer("used_at"),
});

// ---- Enforcement: violation codes, violations, citations with evidence, meters, shifts ------------

// A tenant's enforcement settings. The stay gap is pushed into every zone's object with its rules
// (a plate check never reads D1); the rest is read by the routes and the cron.
export const enforcementSettings = sqliteTable("enforcement_settings", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  /** Minutes a vehicle must be away before its next session starts a new stay (maximum-stay rule). */
  stayGapMinutes: integer("stay_gap_minutes").notNull().default(30),
  /** Days after escalation before an unpaid citation is handed to collections. */
  collectionsAfterDays: integer("collections_after_days").notNull().default(30),
  /** A meter that has not reported for this long is offline. */
  meterOfflineMinutes: integer("meter_offline_minutes").notNull().default(60),
  /** A meter at or below this battery percentage raises a low-battery alert. */
  meterLowBatteryPercent: integer("meter_low_battery_percent").notNull().default(20),
  updatedAt: integer("updated_at").notNull(),
});

// The city's violation-code table: the fine, and when and by how much an unpaid citation escalates.
export const violationCodes = sqliteTable(
  "violation_codes",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    code: text("code").notNull(), // e.g. "PKG-001"
    name: text("name").notNull(),
    fineCents: integer("fine_cents").notNull(),
    escalateAfterDays: integer("escalate_after_days"), // null: never escalates
    lateFeeCents: integer("late_fee_cents").notNull().default(0),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.code] })],
);

// What an officer observed (IPS's violation report). A violation may lead to a citation.
export const violations = sqliteTable(
  "violations",
  {
    id: text("id").primaryKey(), // "vio_…"
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    externalId: text("external_id"), // the vendor's id (IPS violationId); unique per tenant and source
    source: text("source").notNull(), // "ips", "native"
    status: text("status", { enum: ["pending", "issued", "cancelled"] })
      .notNull()
      .default("pending"),
    plate: text("plate").notNull(), // normalised
    state: text("state"),
    zone: text("zone").notNull(),
    violationType: text("violation_type").notNull(), // e.g. "EXPIRED_METER"
    description: text("description"),
    fineCents: integer("fine_cents"),
    officerId: text("officer_id"),
    deviceId: text("device_id"),
    latitude: real("latitude"),
    longitude: real("longitude"),
    address: text("address"),
    weather: text("weather"),
    timeOfDay: text("time_of_day"),
    citationId: text("citation_id"),
    observedAt: integer("observed_at").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("violations_tenant_source_external_uq").on(t.tenantId, t.source, t.externalId),
    index("violations_tenant_observed_idx").on(t.tenantId, t.observedAt),
    index("violations_tenant_plate_idx").on(t.tenantId, t.plate),
  ],
);

// A citation: the ticket itself, with its fine and where it is in its lifecycle (src/domain/citations.ts).
export const citations = sqliteTable(
  "citations",
  {
    id: text("id").primaryKey(), // "cit_…"
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    number: text("number").notNull(), // unique per tenant, e.g. "AIMS-2024-000123"
    source: text("source").notNull(), // "aims", "native", "ips"
    /** SHA-256 of the normalised request that created it: a retry with the same number and body gets the first result. */
    fingerprint: text("fingerprint").notNull(),
    status: text("status", {
      enum: ["issued", "appealed", "upheld", "escalated", "in_collections", "paid", "voided", "dismissed"],
    }).notNull(),
    plate: text("plate").notNull(), // normalised
    state: text("state"),
    zone: text("zone").notNull(),
    violationCode: text("violation_code").notNull(),
    description: text("description"),
    fineCents: integer("fine_cents").notNull(),
    lateFeeCents: integer("late_fee_cents").notNull().default(0),
    officerId: text("officer_id"),
    officerName: text("officer_name"),
    officerBadge: text("officer_badge"),
    deviceId: text("device_id"),
    latitude: real("latitude"),
    longitude: real("longitude"),
    address: text("address"),
    violationId: text("violation_id"),
    /** What the plate check said at the issue time, and the officer's reason when they overrode it. */
    checkStatus: text("check_status"),
    overrideReason: text("override_reason"),
    issuedAt: integer("issued_at").notNull(),
    paidAt: integer("paid_at"),
    escalatedAt: integer("escalated_at"),
    collectionsAt: integer("collections_at"),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("citations_tenant_number_uq").on(t.tenantId, t.number),
    index("citations_tenant_issued_idx").on(t.tenantId, t.issuedAt),
    index("citations_tenant_status_idx").on(t.tenantId, t.status),
    index("citations_tenant_plate_idx").on(t.tenantId, t.plate),
  ],
);

// Every lifecycle step of a citation, written in the same batch as the change it records.
export const citationTransitions = sqliteTable(
  "citation_transitions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    citationId: text("citation_id").notNull(),
    fromStatus: text("from_status"), // null for the issue itself
    toStatus: text("to_status").notNull(),
    action: text("action").notNull(), // "issue", "pay", "void", …
    reason: text("reason"),
    actor: text("actor").notNull(), // "key:<id>", "user:<id>", "system:<part>", "vendor:<id>"
    requestId: text("request_id"),
    at: integer("at").notNull(),
  },
  (t) => [index("citation_transitions_citation_idx").on(t.tenantId, t.citationId, t.at)],
);

// Evidence for a violation or a citation. The bytes live in R2 under a tenant-scoped key, never in D1;
// evidence given by URL that could not be fetched is kept with copy_status "not_copied" and the reason.
export const evidence = sqliteTable(
  "evidence",
  {
    id: text("id").primaryKey(), // "evd_…"
    tenantId: text("tenant_id").notNull(),
    ownerKind: text("owner_kind", { enum: ["violation", "citation"] }).notNull(),
    ownerId: text("owner_id").notNull(),
    kind: text("kind").notNull(), // "PHOTO", "VIDEO"
    contentType: text("content_type"), // by the bytes' magic number, not the sender's word
    bytes: integer("bytes"),
    sha256: text("sha256"), // hex, for chain of custody
    r2Key: text("r2_key"),
    sourceUrl: text("source_url"),
    copyStatus: text("copy_status", { enum: ["stored", "not_copied"] }).notNull(),
    copyError: text("copy_error"),
    capturedAt: integer("captured_at"),
    metadata: text("metadata", { mode: "json" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("evidence_owner_idx").on(t.tenantId, t.ownerKind, t.ownerId)],
);

// The meter registry. A meter's live state (last report, occupancy, diagnostics) lives in its zone's
// ZoneState object; this is what it is and where.
export const meters = sqliteTable(
  "meters",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: text("id").notNull(), // the vendor's meter id, e.g. "METER-A1-001"
    zone: text("zone").notNull(),
    vendor: text("vendor").notNull().default("parkeon"),
    address: text("address"),
    latitude: real("latitude"),
    longitude: real("longitude"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("meters_tenant_zone_idx").on(t.tenantId, t.zone)],
);

// Each version of a zone's rules, whoever changed them (staff, or a meter's remote configuration).
export const zoneRuleVersions = sqliteTable(
  "zone_rule_versions",
  {
    tenantId: text("tenant_id").notNull(),
    zone: text("zone").notNull(),
    version: integer("version").notNull(),
    rules: text("rules", { mode: "json" }).notNull(),
    source: text("source").notNull(), // "staff", "parkeon:<meterId>"
    actor: text("actor").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.zone, t.version] })],
);

// Officers' shifts as the enforcement vendor reports them (IPS enforcement.start_shift / end_shift).
export const officerShifts = sqliteTable(
  "officer_shifts",
  {
    id: text("id").primaryKey(), // "shf_…"
    tenantId: text("tenant_id").notNull(),
    officerId: text("officer_id").notNull(),
    officerName: text("officer_name"),
    deviceId: text("device_id"),
    zones: text("zones", { mode: "json" }).$type<string[]>(),
    source: text("source").notNull(), // "ips"
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("officer_shifts_tenant_officer_start_uq").on(t.tenantId, t.officerId, t.startedAt),
    index("officer_shifts_tenant_open_idx").on(t.tenantId, t.endedAt),
  ],
);

// What happened, as events the developer webhooks (issue 13) will publish: "citation.issued",
// "citation.paid", "violation.created", "meter.alert", … Written in the same batch as the change.
export const domainEvents = sqliteTable(
  "domain_events",
  {
    id: text("id").primaryKey(), // "evt_…"
    tenantId: text("tenant_id").notNull(),
    type: text("type").notNull(),
    subject: text("subject").notNull(), // the record's id
    data: text("data", { mode: "json" }).notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("domain_events_tenant_at_idx").on(t.tenantId, t.at)],
);

// Connector pushes a tenant runs on a schedule (as well as on demand). The five-minute cron starts
// each one that is due, through the same sync-job path as a manual run.
export const syncSchedules = sqliteTable(
  "sync_schedules",
  {
    tenantId: text("tenant_id").notNull(),
    provider: text("provider").notNull(),
    entity: text("entity").notNull(),
    direction: text("direction", { enum: ["push", "pull"] }).notNull(),
    params: text("params", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    everyMinutes: integer("every_minutes").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    nextRunAt: integer("next_run_at").notNull(),
    lastRunAt: integer("last_run_at"),
    lastJobId: text("last_job_id"),
    lastError: text("last_error"), // why the last due run started no job (e.g. the vendor is not connected)
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.provider, t.entity] }),
    index("sync_schedules_due_idx").on(t.enabled, t.nextRunAt),
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
