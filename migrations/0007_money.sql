CREATE TABLE `payment_routing` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`revenue_account` text NOT NULL,
	`fee_account` text NOT NULL,
	`fee_mode` text NOT NULL,
	`fee_basis_points` integer DEFAULT 0 NOT NULL,
	`fee_fixed_minor` integer DEFAULT 0 NOT NULL,
	`settlement_account` text NOT NULL,
	`cutoff` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `payment_refunds` ADD `fee_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `payment_refunds_tenant_created_idx` ON `payment_refunds` (`tenant_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `payments` ADD `zone` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `citation_id` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `method` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `source` text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `paid_at` integer;--> statement-breakpoint
ALTER TABLE `payments` ADD `settlement_date` text;--> statement-breakpoint
ALTER TABLE `payments` ADD `settlement_batch` text;--> statement-breakpoint
CREATE INDEX `payments_tenant_paid_idx` ON `payments` (`tenant_id`,`paid_at`);--> statement-breakpoint
CREATE INDEX `payments_tenant_zone_paid_idx` ON `payments` (`tenant_id`,`zone`,`paid_at`);--> statement-breakpoint
CREATE INDEX `payments_tenant_settlement_idx` ON `payments` (`tenant_id`,`settlement_date`);--> statement-breakpoint
-- Payments recorded before this migration: paid when first seen, in the zone their session id names (ses_<zone>_…).
UPDATE `payments` SET `paid_at` = `created_at` WHERE `paid_at` IS NULL;--> statement-breakpoint
UPDATE `payments` SET `zone` = substr(`session_id`, 5, instr(substr(`session_id`, 5), '_') - 1) WHERE `zone` IS NULL AND `session_id` LIKE 'ses\_%\_%' ESCAPE '\';
