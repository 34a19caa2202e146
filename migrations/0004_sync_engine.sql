CREATE TABLE `field_mappings` (
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`entity` text NOT NULL,
	`mappings` text NOT NULL,
	`template` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `provider`, `entity`)
);
--> statement-breakpoint
CREATE TABLE `integration_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`job_id` text,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`status` integer,
	`ok` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`error` text,
	`units` integer DEFAULT 1 NOT NULL,
	`idempotency_key` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `integration_calls_tenant_provider_at_idx` ON `integration_calls` (`tenant_id`,`provider`,`at`);--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`state` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`provider` text NOT NULL,
	`code_verifier` text,
	`redirect_uri` text NOT NULL,
	`created_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE TABLE `sync_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`entity` text NOT NULL,
	`direction` text NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`since` integer,
	`params` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`result` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `sync_jobs_tenant_provider_created_idx` ON `sync_jobs` (`tenant_id`,`provider`,`created_at`);--> statement-breakpoint
CREATE INDEX `sync_jobs_status_updated_idx` ON `sync_jobs` (`status`,`updated_at`);