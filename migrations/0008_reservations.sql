CREATE TABLE `reservation_payments` (
	`tenant_id` text NOT NULL,
	`payment_id` text NOT NULL,
	`reservation_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `payment_id`)
);
