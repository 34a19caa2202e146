// D1 schema: the relational record of every tenant. Live zone state lives in ZoneState Durable Objects;
// these tables hold identities, configuration and history. Every table carries tenant_id.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("payments_provider_txn_uq").on(t.tenantId, t.provider, t.providerTransactionId),
    index("payments_tenant_session_idx").on(t.tenantId, t.sessionId),
  ],
);

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
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("payment_refunds_payment_idx").on(t.paymentId)],
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
