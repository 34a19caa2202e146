import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { bearer, errors, json, jsonBody, ProblemSchema } from "../../common";
import { payThroughTeller } from "./process";
import { TellerPaymentAnswer, TellerPaymentBody } from "./schemas";

const unavailable = {
  description: "Teller is down, throttling, or its breaker is open: nothing was recorded; retry after Retry-After",
  content: { "application/problem+json": { schema: ProblemSchema } },
};

const route = createRoute({
  method: "post",
  path: "/payments",
  tags: ["Vendor: Teller"],
  summary: "Pay through the city's Teller connection (the Stamford guide's request and answer)",
  description:
    "Idempotent on `paymentId`: a retry gets the first answer (200) and Teller makes one payment. `applicationFee.amount` is the fee when given; else the tenant's payment routing decides it. The payment is recorded in the ledger (GET /v1/payments), split and settled.",
  security: bearer,
  middleware: [requireScope("payments:write")] as const,
  request: { body: jsonBody(TellerPaymentBody) },
  responses: {
    201: json(TellerPaymentAnswer, "Paid"),
    200: json(TellerPaymentAnswer, "The first answer to this paymentId"),
    ...errors(409),
    503: unavailable,
  },
});

export const tellerPayments = router().openapi(route, async (c) => {
  const { replayed, answer } = await payThroughTeller(c.env, c.get("principal").tenantId, c.req.valid("json"));
  return c.json(answer, replayed ? 200 : 201);
});
