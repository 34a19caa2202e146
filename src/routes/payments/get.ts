import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { notFound } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findPayment, refundsOf } from "../../storage/payments";
import { bearer, errors, json } from "../common";
import { presentPayment, presentRefund } from "./present";
import { PaymentDetailSchema, PaymentIdParams } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Payments"],
  summary: "One payment of the ledger, with its refunds and each refund's fee share",
  security: bearer,
  middleware: [requireScope("payments:read")] as const,
  request: { params: PaymentIdParams },
  responses: { 200: json(PaymentDetailSchema, "The payment"), ...errors(404) },
});

export const getPayment = router().openapi(route, async (c) => {
  const database = db(c.env.DB);
  const tenantId = c.get("principal").tenantId;
  const row = await findPayment(database, tenantId, c.req.valid("param").id);
  if (!row) throw notFound("Payment");
  const refunds = await refundsOf(database, tenantId, row.id);
  return c.json({ ...presentPayment(row), refunds: refunds.map(presentRefund) }, 200);
});
