CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref_id` text NOT NULL,
	`provider` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text,
	`failed_at` integer NOT NULL,
	`replayed_at` integer
);
--> statement-breakpoint
CREATE INDEX `dead_letters_tenant_failed_idx` ON `dead_letters` (`tenant_id`,`failed_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_ref_uq` ON `dead_letters` (`kind`,`ref_id`,`failed_at`);--> statement-breakpoint
CREATE TABLE `integration_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`status` text DEFAULT 'connected' NOT NULL,
	`credentials_ciphertext` text NOT NULL,
	`key_version` integer NOT NULL,
	`masked` text NOT NULL,
	`settings` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_tenant_provider_uq` ON `integration_connections` (`tenant_id`,`provider`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_transaction_id` text NOT NULL,
	`session_id` text,
	`amount_cents` integer NOT NULL,
	`fee_cents` integer DEFAULT 0 NOT NULL,
	`net_cents` integer NOT NULL,
	`refunded_cents` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`revenue_account` text,
	`fee_account` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_provider_txn_uq` ON `payments` (`tenant_id`,`provider`,`provider_transaction_id`);--> statement-breakpoint
CREATE INDEX `payments_tenant_session_idx` ON `payments` (`tenant_id`,`session_id`);--> statement-breakpoint
CREATE TABLE `tenant_data_keys` (
	`tenant_id` text NOT NULL,
	`version` integer NOT NULL,
	`wrapped_key` text NOT NULL,
	`master_version` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`rewrapped_at` integer,
	PRIMARY KEY(`tenant_id`, `version`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`event_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`ok` integer NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_event_idx` ON `webhook_attempts` (`event_id`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`provider` text NOT NULL,
	`external_id` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`headers` text NOT NULL,
	`payload` text,
	`payload_key` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`effect` text,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_events_dedupe_uq` ON `webhook_events` (`tenant_id`,`provider`,`external_id`);--> statement-breakpoint
CREATE INDEX `webhook_events_tenant_received_idx` ON `webhook_events` (`tenant_id`,`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_events_tenant_status_idx` ON `webhook_events` (`tenant_id`,`status`);