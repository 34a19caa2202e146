import { createRoute, z } from "@hono/zod-openapi";
import { audit } from "../../../http/audit";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { bearer, errors, json, jsonBody, ProblemSchema } from "../../common";
import { refundThroughTeller } from "./process";
import { TellerRefundAnswer, TellerRefundBody } from "./schemas";

const unavailable = {
  description: "Teller is down, throttling, or its breaker is open: nothing was recorded; retry after Retry-After",
  content: { "application/problem+json": { schema: ProblemSchema } },
};

const route = createRoute({
  method: "post",
  path: "/refunds",
  tags: ["Vendor: Teller"],
  summary: "Refund a Teller payment (the Stamford guide's request; Curbgate's answer)",
  description:
    "`originalPaymentId` is the payment's `paymentId` (or its `tellerTransactionId`). Idempotent on the `Idempotency-Key` header, else on the request itself. More than is left to refund is 409 and nothing is recorded. The answer names the refund's share of the processing fee.",
  security: bearer,
  middleware: [requireScope("payments:write")] as const,
  request: {
    body: jsonBody(TellerRefundBody),
    headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
  },
  responses: {
    201: json(TellerRefundAnswer, "Refunded (or the first answer to this key)"),
    ...errors(404, 409),
    503: unavailable,
  },
});

export const tellerRefunds = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const key = c.req.valid("header")["idempotency-key"] ?? null;
  const answer = await refundThroughTeller(c.env, c.get("principal").tenantId, body, key);
  audit(c, "payments.refund", answer.refundId, {
    provider: "teller",
    amount: answer.refundAmount,
    original: body.originalPaymentId,
  });
  return c.json(answer, 201);
});
