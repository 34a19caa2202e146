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
CREATE TABLE `reservation_payments` (
	`tenant_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`reservation_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `payment_id`)
);
