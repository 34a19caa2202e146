// The tenant's payment routing: which accounts a payment is split between, the fee, and the settlement
// cutoff (src/domain/money.ts PaymentRouting; docs/payments.md). It applies to payments recorded after
// the change; a payment already succeeded keeps the split and batch it was given.
import { createRoute } from "@hono/zod-openapi";
import { audit } from "../../http/audit";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { paymentRoutingOf, putPaymentRouting } from "../../storage/payment-routing";
import { tenantTimezone } from "../../storage/tenants";
import { bearer, errors, json, jsonBody } from "../common";
import { RoutingResponse, RoutingSchema } from "./schemas";

const read = createRoute({
  method: "get",
  path: "/routing",
  tags: ["Payments"],
  summary: "The tenant's payment routing",
  description:
    "A tenant that never set one gets the default: no fee of its own, the Stamford guide's accounts and an 18:00 cutoff.",
  security: bearer,
  middleware: [requireScope("payments:read")] as const,
  responses: { 200: json(RoutingResponse, "The routing, with the tenant's time zone the cutoff is read in"), ...errors() },
});

const write = createRoute({
  method: "put",
  path: "/routing",
  tags: ["Payments"],
  summary: "Set the tenant's payment routing",
  description:
    "Applies to payments recorded from now on. A fee the provider reports is still the fee; this fee applies when the provider reports none (docs/payments.md).",
  security: bearer,
  middleware: [requireScope("payments:write")] as const,
  request: { body: jsonBody(RoutingSchema) },
  responses: { 200: json(RoutingResponse, "The routing as stored"), ...errors() },
});

export const paymentRoutingRoutes = router()
  .openapi(read, async (c) => {
    const database = db(c.env.DB);
    const tenantId = c.get("principal").tenantId;
    const [routing, timezone] = await Promise.all([paymentRoutingOf(database, tenantId), tenantTimezone(database, tenantId)]);
    return c.json({ ...routing, timezone }, 200);
  })
  .openapi(write, async (c) => {
    const database = db(c.env.DB);
    const tenantId = c.get("principal").tenantId;
    const body = c.req.valid("json");
    const before = await paymentRoutingOf(database, tenantId);
    const routing = body;
    await putPaymentRouting(database, tenantId, routing, Date.now());
    audit(c, "payments.routing.update", tenantId, { before, after: routing });
    return c.json({ ...routing, timezone: await tenantTimezone(database, tenantId) }, 200);
  });
