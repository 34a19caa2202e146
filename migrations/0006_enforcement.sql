CREATE TABLE `citation_transitions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`citation_id` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`action` text NOT NULL,
	`reason` text,
	`actor` text NOT NULL,
	`request_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `citation_transitions_citation_idx` ON `citation_transitions` (`tenant_id`,`citation_id`,`at`);--> statement-breakpoint
CREATE TABLE `citations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`number` text NOT NULL,
	`source` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` text NOT NULL,
	`plate` text NOT NULL,
	`state` text,
	`zone` text NOT NULL,
	`violation_code` text NOT NULL,
	`description` text,
	`fine_cents` integer NOT NULL,
	`late_fee_cents` integer DEFAULT 0 NOT NULL,
	`officer_id` text,
	`officer_name` text,
	`officer_badge` text,
	`device_id` text,
	`latitude` real,
	`longitude` real,
	`address` text,
	`violation_id` text,
	`check_status` text,
	`override_reason` text,
	`issued_at` integer NOT NULL,
	`paid_at` integer,
	`escalated_at` integer,
	`collections_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `citations_tenant_number_uq` ON `citations` (`tenant_id`,`number`);--> statement-breakpoint
CREATE INDEX `citations_tenant_issued_idx` ON `citations` (`tenant_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `citations_tenant_status_idx` ON `citations` (`tenant_id`,`status`);--> statement-breakpoint
CREATE INDEX `citations_tenant_plate_idx` ON `citations` (`tenant_id`,`plate`);--> statement-breakpoint
CREATE TABLE `domain_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`type` text NOT NULL,
	`subject` text NOT NULL,
	`data` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `domain_events_tenant_at_idx` ON `domain_events` (`tenant_id`,`at`);--> statement-breakpoint
CREATE TABLE `enforcement_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`stay_gap_minutes` integer DEFAULT 30 NOT NULL,
	`collections_after_days` integer DEFAULT 30 NOT NULL,
	`meter_offline_minutes` integer DEFAULT 60 NOT NULL,
	`meter_low_battery_percent` integer DEFAULT 20 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `evidence` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`owner_kind` text NOT NULL,
	`owner_id` text NOT NULL,
	`kind` text NOT NULL,
	`content_type` text,
	`bytes` integer,
	`sha256` text,
	`r2_key` text,
	`source_url` text,
	`copy_status` text NOT NULL,
	`copy_error` text,
	`captured_at` integer,
	`metadata` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `evidence_owner_idx` ON `evidence` (`tenant_id`,`owner_kind`,`owner_id`);--> statement-breakpoint
CREATE TABLE `meters` (
	`tenant_id` text NOT NULL,
	`id` text NOT NULL,
	`zone` text NOT NULL,
	`vendor` text DEFAULT 'parkeon' NOT NULL,
	`address` text,
	`latitude` real,
	`longitude` real,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `id`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meters_tenant_zone_idx` ON `meters` (`tenant_id`,`zone`);--> statement-breakpoint
CREATE TABLE `officer_shifts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`officer_id` text NOT NULL,
	`officer_name` text,
	`device_id` text,
	`zones` text,
	`source` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `officer_shifts_tenant_officer_start_uq` ON `officer_shifts` (`tenant_id`,`officer_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `officer_shifts_tenant_open_idx` ON `officer_shifts` (`tenant_id`,`ended_at`);--> statement-breakpoint
CREATE TABLE `sync_schedules` (
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`entity` text NOT NULL,
	`direction` text NOT NULL,
	`params` text NOT NULL,
	`every_minutes` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`next_run_at` integer NOT NULL,
	`last_run_at` integer,
	`last_job_id` text,
	`last_error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`, `entity`)
);
--> statement-breakpoint
CREATE INDEX `sync_schedules_due_idx` ON `sync_schedules` (`enabled`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `violation_codes` (
	`tenant_id` text NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`fine_cents` integer NOT NULL,
	`escalate_after_days` integer,
	`late_fee_cents` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `code`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `violations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`external_id` text,
	`source` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`plate` text NOT NULL,
	`state` text,
	`zone` text NOT NULL,
	`violation_type` text NOT NULL,
	`description` text,
	`fine_cents` integer,
	`officer_id` text,
	`device_id` text,
	`latitude` real,
	`longitude` real,
	`address` text,
	`weather` text,
	`time_of_day` text,
	`citation_id` text,
	`observed_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `violations_tenant_source_external_uq` ON `violations` (`tenant_id`,`source`,`external_id`);--> statement-breakpoint
CREATE INDEX `violations_tenant_observed_idx` ON `violations` (`tenant_id`,`observed_at`);--> statement-breakpoint
CREATE INDEX `violations_tenant_plate_idx` ON `violations` (`tenant_id`,`plate`);--> statement-breakpoint
CREATE TABLE `zone_rule_versions` (
	`tenant_id` text NOT NULL,
	`zone` text NOT NULL,
	`version` integer NOT NULL,
	`rules` text NOT NULL,
	`source` text NOT NULL,
	`actor` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `zone`, `version`)
);
