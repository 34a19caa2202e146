// D1 schema: the relational record of every tenant. Live zone state lives in ZoneState Durable Objects;
// these tables hold identities, configuration and history. Every table carries tenant_id. This file holds
// tenants, users, keys, zones, permits, session history and the audit log; schema.ts re-exports it.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const createdAt = () => integer("created_at").notNull().default(sql`(unixepoch() * 1000)`);

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
