CREATE TABLE `payment_initiations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`session_id` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`provider_key` text NOT NULL,
	`provider_reference` text,
	`client_ciphertext` text,
	`client_key_version` integer,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payment_initiations_key_uq` ON `payment_initiations` (`tenant_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `payment_initiations_reference_idx` ON `payment_initiations` (`tenant_id`,`provider_reference`);--> statement-breakpoint
CREATE INDEX `payment_initiations_session_idx` ON `payment_initiations` (`tenant_id`,`session_id`);--> statement-breakpoint
CREATE TABLE `reconciliation_pushes` (
	`tenant_id` text NOT NULL,
	`date` text NOT NULL,
	`version` integer NOT NULL,
	`currency` text NOT NULL,
	`fingerprint` text NOT NULL,
	`transactions` integer NOT NULL,
	`total_cents` integer NOT NULL,
	`job_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `date`, `version`)
);
--> statement-breakpoint
CREATE TABLE `report_files` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`schedule_id` text,
	`period` text,
	`template` text NOT NULL,
	`format` text NOT NULL,
	`r2_key` text NOT NULL,
	`bytes` integer,
	`status` text NOT NULL,
	`delivery` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_files_schedule_period_uq` ON `report_files` (`schedule_id`,`period`);--> statement-breakpoint
CREATE INDEX `report_files_tenant_created_idx` ON `report_files` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `reservation_payments` (
	`tenant_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`reservation_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `payment_id`)
);
--> statement-breakpoint
CREATE TABLE `scheduled_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`template` text NOT NULL,
	`filters` text NOT NULL,
	`format` text NOT NULL,
	`frequency` text NOT NULL,
	`recipients` text NOT NULL,
	`link_origin` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scheduled_reports_tenant_idx` ON `scheduled_reports` (`tenant_id`);