// The ledger and the payment routing as the API shows them (docs/payments.md). Money is integer minor
// units of the row's currency; times are ISO 8601 instants; settlement dates are the tenant's local days.
import { z } from "@hono/zod-openapi";
import { Instant, ZoneCode } from "../common";

const Minor = z.number().int();
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const PaymentStatus = z.enum(["pending", "succeeded", "failed", "refunded", "partially_refunded"]);
const Source = z.enum(["webhook", "pull", "initiated"]);

export const RefundSchema = z
  .object({
    id: z.string(),
    amount: Minor,
    fee: Minor.openapi({ description: "This refund's share of the payment's fee (docs/payments.md)" }),
    createdAt: z.string(),
  })
  .openapi("PaymentRefund");

export const PaymentSchema = z
  .object({
    id: z.string().openapi({ example: "pay_4mZ0bq8Hk2Qw7YtR1sVx" }),
    provider: z.string().openapi({ example: "teller" }),
    providerTransactionId: z.string(),
    source: Source,
    status: PaymentStatus,
    currency: z.string().openapi({ example: "USD" }),
    gross: Minor.openapi({ example: 475 }),
    fee: Minor.openapi({ example: 24 }),
    net: Minor.openapi({ example: 451 }),
    refunded: Minor,
    revenueAccount: z.string().nullable(),
    feeAccount: z.string().nullable(),
    sessionId: z.string().nullable(),
    zone: z.string().nullable(),
    method: z.string().nullable(),
    paidAt: z.string().nullable(),
    settlementDate: z.string().nullable(),
    settlementBatch: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Payment");

export const PaymentDetailSchema = PaymentSchema.extend({ refunds: z.array(RefundSchema) }).openapi("PaymentDetail");

export const PaymentIdParams = z.object({
  id: z
    .string()
    .regex(/^pay_[A-Za-z0-9]{1,60}$/, "A payment id (pay_…)")
    .openapi({ param: { name: "id", in: "path" } }),
});

export const ListPaymentsQuery = z.object({
  zone: ZoneCode.optional(),
  provider: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/)
    .optional(),
  status: PaymentStatus.optional(),
  source: Source.optional(),
  from: Instant.optional().openapi({ description: "Paid at or after" }),
  to: Instant.optional().openapi({ description: "Paid before" }),
  settlementDate: LocalDate.optional().openapi({ description: "Only the payments settling on this local day" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,16}\.pay_[A-Za-z0-9]{1,60}$/, "Not a cursor from a previous page")
    .optional(),
});

export const RoutingSchema = z
  .object({
    revenueAccount: z.string().trim().min(1).max(64).openapi({ example: "4100-PARKING-REVENUE" }),
    feeAccount: z.string().trim().min(1).max(64).openapi({ example: "5200-PROCESSING-FEES" }),
    feeMode: z.enum(["percent", "fixed"]),
    feeBasisPoints: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .default(0)
      .openapi({ example: 500, description: "percent mode: the fee in hundredths of a percent (500 = 5 %)" }),
    feeFixedMinor: z
      .number()
      .int()
      .min(0)
      .max(100_000_000)
      .default(0)
      .openapi({ description: "fixed mode: the fee in minor units of each payment's currency, at most the gross" }),
    settlementAccount: z.string().trim().min(1).max(64).openapi({ example: "STAMFORD-OPERATING-001" }),
    cutoff: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 00:00–23:59")
      .openapi({
        example: "18:00",
        description: "Local time (the tenant's time zone) after which a payment is in the next day's batch",
      }),
  })
  .openapi("PaymentRouting");

export const RoutingResponse = RoutingSchema.extend({ timezone: z.string().openapi({ example: "America/New_York" }) }).openapi(
  "PaymentRoutingAnswer",
);
