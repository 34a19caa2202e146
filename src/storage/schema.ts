// Curbgate's D1 schema (drizzle). The tables live in files by concern; this one holds integrations,
// idempotency and outbound sync, and re-exports the others, so every query imports "./schema".
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, tenants } from "./schema-core";

export * from "./schema-core";
export * from "./schema-enforcement";
export * from "./schema-money";

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
