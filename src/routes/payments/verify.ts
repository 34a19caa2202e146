// POST /v1/payments/verify (test/fixtures/payments/paystack-verify-response.json). Curbgate asks the provider (Paystack's
// GET /transaction/verify/:reference, through the connector) how the payment it started stands; a
// success is recorded as the webhook would record it, so the session is paid once whichever comes first.
// The answer is Paystack's envelope with the amount in major units, as the documented shape converts it (docs/payments.md).
import { createRoute, z } from "@hono/zod-openapi";
import { fromMinorUnits } from "../../domain/money";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { verifyPayment } from "../../sync/initiations";
import { CONNECTORS } from "../../vendors";
import { ProblemSchema, bearer, errors, iso, json, jsonBody } from "../common";

const VerifyBody = z
  .object({ reference: z.string().regex(/^[A-Za-z0-9._=-]{1,100}$/, "1–100 letters, digits, '-', '.', '='") })
  .openapi("PaymentVerify");

const Verified = z
  .object({
    status: z.literal(true),
    message: z.literal("Verification successful"),
    data: z.object({
      status: z.string().openapi({ description: "The provider's word: success, abandoned, failed, … (Stripe: succeeded, …)" }),
      paid: z.boolean().openapi({ description: "True once the payment succeeded and the session was credited" }),
      amount: z.number().openapi({ description: "Major units of `currency`" }),
      amountMinor: z.number().int(),
      currency: z.string(),
      fees: z.number().openapi({ description: "The provider's fee, major units" }),
      reference: z.string(),
      provider: z.string(),
      sessionId: z.string(),
      paidAt: z.string().nullable(),
      channel: z.string().nullable().openapi({ description: "card, bank_transfer, mobile_money, wallet, other" }),
      customer: z.object({ email: z.string().nullable() }),
      session: z
        .record(z.string(), z.unknown())
        .nullable()
        .openapi({ description: "The session as the payment left it (paidCents, endTime), when it succeeded" }),
    }),
  })
  .openapi("PaymentVerified");

const route = createRoute({
  method: "post",
  path: "/verify",
  tags: ["Payments"],
  summary: "Ask the provider how a payment Curbgate started stands; a success pays the session (Paystack's verify shape)",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: { body: jsonBody(VerifyBody) },
  responses: {
    200: json(Verified, "Verification successful (whatever the payment's status)"),
    503: {
      description: "The provider is unavailable; nothing was recorded",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
    ...errors(404, 409),
  },
});

export const verifyPaymentRoute = router().openapi(route, async (c) => {
  const { reference } = c.req.valid("json");
  const v = await verifyPayment(c.env, CONNECTORS, c.get("principal").tenantId, reference);
  const s = v.state;
  return c.json(
    {
      status: true as const,
      message: "Verification successful" as const,
      data: {
        status: s.providerStatus,
        paid: s.status === "succeeded",
        amount: fromMinorUnits(s.amountMinor, s.currency),
        amountMinor: s.amountMinor,
        currency: s.currency,
        fees: fromMinorUnits(s.feeMinor, s.currency),
        reference: v.initiation.reference,
        provider: v.initiation.provider,
        sessionId: v.initiation.sessionId,
        paidAt: s.paidAtMs === null ? null : iso(s.paidAtMs),
        channel: s.method,
        customer: { email: s.customerEmail },
        session: (v.recorded?.session as Record<string, unknown> | undefined) ?? null,
      },
    },
    200,
  );
});
