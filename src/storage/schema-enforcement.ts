// D1 tables of enforcement (docs/enforcement.md): violation codes, violations, citations and their
// transitions, evidence, meters, zone rule versions, officer shifts, domain events. Re-exported by schema.ts.
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { tenants } from "./schema-core";

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
