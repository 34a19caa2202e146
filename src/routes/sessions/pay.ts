// POST /v1/sessions/{id}/payments: a driver's app asks to pay what a session owes through the city's
// connected payment provider, and gets what its client needs to finish (src/sync/initiations.ts).
import { createRoute, z } from "@hono/zod-openapi";
import { actorOf } from "../../auth/principal";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { formatMinorUnits } from "../../domain/money";
import { sha256Hex } from "../../lib/crypto";
import { initiatePayment } from "../../sync/initiations";
import { CONNECTORS } from "../../vendors";
import { ProblemSchema, bearer, errors, iso, json, jsonBody } from "../common";
import { SessionIdParams } from "./schemas";

const PayBody = z
  .object({
    provider: z
      .string()
      .min(1)
      .max(40)
      .optional()
      .openapi({ description: "stripe or paystack; default: the city's connected one (the first by name)" }),
    email: z.email().max(254).optional().openapi({ description: "The driver's email; Paystack needs it" }),
    callbackUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .openapi({
        description: "Where Paystack's checkout sends the driver back to",
      }),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "An ISO 4217 code, e.g. USD")
      .optional()
      .openapi({ description: "ISO 4217; default USD. The session's price is taken as minor units of it" }),
  })
  .strict()
  .openapi("SessionPaymentInput");

export const SessionPayment = z
  .object({
    id: z.string().nullable().openapi({ description: "pin_…; null for a free session" }),
    sessionId: z.string(),
    status: z.enum(["free", "pending", "paid", "failed"]).openapi({
      description:
        "free: nothing is owed and no provider was called; pending: the driver completes the payment with `client`; paid or failed once a verify has said so",
    }),
    provider: z.string().nullable(),
    amountMinor: z.number().int().openapi({ description: "What the session owed, in minor units of `currency`" }),
    amount: z.string().openapi({ description: "The same in major units, as text", example: "4.50" }),
    currency: z.string(),
    reference: z
      .string()
      .nullable()
      .openapi({ description: "The provider's id for the payment: pi_… (Stripe), the reference (Paystack)" }),
    client: z.record(z.string(), z.string()).nullable().openapi({
      description:
        "What the driver's client needs, in the provider's words: Stripe `payment_intent`, `client_secret`; Paystack `authorization_url`, `access_code`, `reference`",
    }),
    createdAt: z.string().nullable(),
  })
  .openapi("SessionPayment");

const route = createRoute({
  method: "post",
  path: "/{id}/payments",
  tags: ["Sessions"],
  summary: "Pay what a session owes through the city's connected payment provider",
  description:
    "Creates the payment at the provider (Stripe PaymentIntent, Paystack transaction) for what the session still owes; the provider's webhook, or POST /v1/payments/verify, then marks the session paid. A retry with the same Idempotency-Key answers the first result and creates nothing more.",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: {
    params: SessionIdParams,
    headers: z.object({ "idempotency-key": z.string().min(1).max(255) }),
    body: jsonBody(PayBody),
  },
  responses: {
    201: json(SessionPayment, "Started at the provider"),
    200: json(SessionPayment, "A free session (nothing to pay), or a retry with the same Idempotency-Key"),
    503: {
      description: "The provider is unavailable or refused the city's credentials; nothing was started",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
    ...errors(404, 409),
  },
});

export const paySession = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const principal = c.get("principal");
  const key = c.req.valid("header")["idempotency-key"];
  const result = await initiatePayment(c.env, CONNECTORS, principal.tenantId, {
    sessionId: id,
    ...body,
    idempotencyKey: `${actorOf(principal)}:${key}`,
    fingerprint: await sha256Hex(JSON.stringify({ route: "session.pay", id, ...body })),
  });
  if (result.status === "free")
    return c.json(
      {
        id: null,
        sessionId: result.sessionId,
        status: "free" as const,
        provider: null,
        amountMinor: 0,
        amount: formatMinorUnits(0, result.currency),
        currency: result.currency,
        reference: null,
        client: null,
        createdAt: null,
      },
      200,
    );
  if (result.replayed) c.header("Idempotent-Replayed", "true");
  return c.json(
    {
      id: result.id,
      sessionId: result.sessionId,
      status: result.status,
      provider: result.provider,
      amountMinor: result.amountMinor,
      amount: formatMinorUnits(result.amountMinor, result.currency),
      currency: result.currency,
      reference: result.reference,
      client: result.client,
      createdAt: iso(result.createdAtMs),
    },
    result.replayed ? 200 : 201,
  );
});
