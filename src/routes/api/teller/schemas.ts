// The Stamford guide's Teller shapes (test/fixtures/teller/, copied from the guide): the payment and refund
// requests a city's own system sends, the payment answer, and Curbgate's refund answer (the guide gives
// none; docs/payments.md, "Teller"). Amounts are minor units (cents for USD).
import { z } from "@hono/zod-openapi";
import { isCurrency } from "../../../domain/money";

const Minor = z.number().int();
const Metadata = z
  .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 50, "At most 50 metadata keys");

export const TellerPaymentBody = z
  .object({
    paymentId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "1–100 letters, digits, _ . : -")
      .openapi({ example: "park_payment_123" }),
    amount: Minor.min(1, "Must be more than 0").max(100_000_000).openapi({ example: 475 }),
    currency: z
      .string()
      .refine(isCurrency, "Not an ISO 4217 currency")
      .transform((s) => s.toUpperCase())
      .openapi({ example: "USD" }),
    paymentMethod: z.object({ type: z.string().min(1).max(40), token: z.string().min(1).max(200) }),
    metadata: Metadata.optional(),
    description: z.string().max(500).optional(),
    statementDescriptor: z.string().max(22).optional(),
    applicationFee: z
      .object({ amount: Minor.min(0), description: z.string().max(200).optional() })
      .optional()
      .openapi({ description: "The fee when given; else the tenant's payment routing decides it" }),
  })
  .superRefine((b, ctx) => {
    if (b.applicationFee && b.applicationFee.amount > b.amount)
      ctx.addIssue({ code: "custom", path: ["applicationFee", "amount"], message: "The fee cannot exceed the amount" });
  })
  .openapi("TellerPaymentRequest");

export const TellerPaymentAnswer = z
  .object({
    paymentId: z.string(),
    tellerTransactionId: z.string(),
    status: z.string().openapi({ example: "COMPLETED" }),
    amount: Minor,
    netAmount: Minor,
    processingFee: Minor,
    timestamp: z.string(),
    confirmation: z.object({ number: z.string(), receiptUrl: z.string() }).nullable(),
    accounting: z.object({ revenueAccount: z.string(), feeAccount: z.string(), batchId: z.string().nullable() }),
    reconciliation: z.object({ settlementDate: z.string().nullable(), merchantReference: z.string().nullable() }),
  })
  .openapi("TellerPaymentAnswer");

export const TellerRefundBody = z
  .object({
    originalPaymentId: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/)
      .openapi({ example: "park_payment_123" }),
    refundAmount: Minor.min(1, "Must be more than 0").max(100_000_000).openapi({ example: 238 }),
    reason: z.string().min(1).max(200).optional().openapi({ example: "EARLY_SESSION_END" }),
    metadata: Metadata.optional(),
  })
  .openapi("TellerRefundRequest");

export const TellerRefundAnswer = z
  .object({
    refundId: z.string(),
    originalPaymentId: z.string(),
    tellerTransactionId: z.string(),
    status: z.string().openapi({ example: "COMPLETED" }),
    refundAmount: Minor,
    processingFeeRefunded: Minor.openapi({ description: "This refund's share of the payment's fee" }),
    netRefund: Minor.openapi({ description: "refundAmount − processingFeeRefunded: what leaves the revenue account" }),
    remainingAmount: Minor.openapi({ description: "What is left of the payment to refund" }),
    reason: z.string(),
    timestamp: z.string(),
    accounting: z.object({ revenueAccount: z.string().nullable(), feeAccount: z.string().nullable() }),
  })
  .openapi("TellerRefundAnswer");
