// POST /v1/payments/initialize: Paystack's initialize as test/fixtures/payments/paystack-initialize-*.json
// shows it (`{email, amount, reference?, metadata, callback_url}`, the amount in major units) and answered in
// Paystack's own envelope. Curbgate's payments are for parking sessions, so `metadata.sessionId` names
// the session and the amount must be what it owes; the payment goes through the tenant's Paystack
// connection (src/sync/initiations.ts), as POST /v1/sessions/{id}/payments does.
import { createRoute, z } from "@hono/zod-openapi";
import { actorOf } from "../../auth/principal";
import { SESSION_ID_PATTERN } from "../../domain/session-id";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { sha256Hex } from "../../lib/crypto";
import { initiatePayment } from "../../sync/initiations";
import { CONNECTORS } from "../../vendors";
import { ProblemSchema, bearer, errors, json, jsonBody } from "../common";

const REFERENCE = /^[A-Za-z0-9._=-]{1,100}$/;

export const InitializeBody = z
  .object({
    email: z.email().max(254),
    amount: z
      .union([z.number(), z.string().max(32)])
      .openapi({ description: 'Major units (naira, dollars; yen have no minor unit), e.g. 5000 or "4.50"', example: 4.5 }),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "An ISO 4217 code, e.g. NGN")
      .optional()
      .openapi({ description: "Default: the Paystack connection's settings.currency, else USD" }),
    reference: z
      .string()
      .regex(REFERENCE, "1–100 letters, digits, '-', '.', '='")
      .optional()
      .openapi({ description: "Your reference for the transaction; default: one Curbgate derives" }),
    metadata: z
      .object({
        sessionId: z.string().regex(SESSION_ID_PATTERN, "Not a session id").openapi({ example: "ses_A1_4Fh8kPq2xZt9mWc3bNv7" }),
      })
      .passthrough()
      .openapi({ description: "`sessionId` names the parking session paid for; other keys are ignored" }),
    callback_url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .openapi("PaymentInitialize");

const Initialized = z
  .object({
    status: z.literal(true),
    message: z.literal("Authorization URL created"),
    data: z.object({ authorization_url: z.string(), access_code: z.string(), reference: z.string() }),
  })
  .openapi("PaymentInitialized");

const route = createRoute({
  method: "post",
  path: "/initialize",
  tags: ["Payments"],
  summary: "Start a Paystack payment for a session (Paystack's initialize shape)",
  description:
    "The Idempotency-Key header (else `reference`) makes a retry answer the first result without a second transaction at Paystack.",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
    body: jsonBody(InitializeBody),
  },
  responses: {
    200: json(Initialized, "Authorization URL created (or the first answer again, on a retry)"),
    503: {
      description: "Paystack is unavailable or refused the city's credentials; nothing was started",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
    ...errors(404, 409),
  },
});

export const initializePayment = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const principal = c.get("principal");
  const header = c.req.valid("header")["idempotency-key"];
  const key = header ?? (body.reference ? `reference:${body.reference}` : `once:${crypto.randomUUID()}`);
  const sessionId = body.metadata.sessionId;
  const request = { sessionId, email: body.email, amount: body.amount, currency: body.currency, reference: body.reference };
  const result = await initiatePayment(c.env, CONNECTORS, principal.tenantId, {
    sessionId,
    provider: "paystack",
    email: body.email,
    callbackUrl: body.callback_url,
    currency: body.currency,
    reference: body.reference,
    amountMajor: body.amount,
    idempotencyKey: `${actorOf(principal)}:${key}`,
    fingerprint: await sha256Hex(JSON.stringify({ route: "payments.initialize", ...request, callback: body.callback_url })),
    // Without the header the reference is the key, so a reference reused for another payment is what is at fault.
    fields: header || !body.reference ? undefined : { key: { location: "body", path: "reference" } },
  });
  // initiatePayment refuses a free session when an amount is given, so every answer here has a client.
  if (result.status === "free") throw new ApiError(422, "This session owes nothing");
  if (result.replayed) c.header("Idempotent-Replayed", "true");
  const { authorization_url = "", access_code = "", reference = result.reference } = result.client;
  return c.json(
    { status: true as const, message: "Authorization URL created" as const, data: { authorization_url, access_code, reference } },
    200,
  );
});
