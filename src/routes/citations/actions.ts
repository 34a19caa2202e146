// The lifecycle steps a person takes: void and appeal (citations:write: the officer's own mistakes and
// the driver's appeal as filed), uphold, dismiss and pay (enforcement:admin: hearing outcomes and payments
// taken at the counter are staff decisions). The pure table in src/domain/citations.ts decides what is
// allowed; a refused step answers 409 naming the current status and the allowed actions.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf, type Scope } from "../../auth/principal";
import type { CitationAction } from "../../domain/citations";
import { transitionCitation } from "../../effects/citation-lifecycle";
import type { AppEnv } from "../../env";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { bearer, errors, json, jsonBody } from "../common";
import { presentCitation } from "./present";
import { CitationIdParams, CitationSchema, OptionalReasonBody, PaymentBody, ReasonBody } from "./schemas";

const step = (action: CitationAction, scope: Scope, summary: string) => ({
  method: "post" as const,
  path: `/{id}/${action}`,
  tags: ["Citations"],
  summary,
  security: bearer,
  middleware: requireScope(scope),
  responses: { 200: json(CitationSchema, "The citation after the step"), ...errors(404, 409) },
});
const withReason = { params: CitationIdParams, body: jsonBody(ReasonBody) };

const voidRoute = createRoute({
  ...step("void", "citations:write", "Void an issued citation (a reason is required)"),
  request: withReason,
});
const appealRoute = createRoute({
  ...step("appeal", "citations:write", "Record the driver's appeal (a reason is required)"),
  request: withReason,
});
const upholdRoute = createRoute({
  ...step("uphold", "enforcement:admin", "Hearing outcome: the citation stands"),
  request: { params: CitationIdParams, body: jsonBody(OptionalReasonBody) },
});
const dismissRoute = createRoute({
  ...step("dismiss", "enforcement:admin", "Hearing outcome: the citation is dismissed (a reason is required)"),
  request: withReason,
});
const payRoute = createRoute({
  ...step("pay", "enforcement:admin", "Record a payment of the whole amount due"),
  request: { params: CitationIdParams, body: jsonBody(PaymentBody) },
});

async function take(
  c: Context<AppEnv>,
  id: string,
  action: CitationAction,
  body: { reason?: string; reference?: string; amountCents?: number },
) {
  const p = c.get("principal");
  const { citation } = await transitionCitation(c.env, p.tenantId, id, action, {
    actor: actorOf(p),
    requestId: c.get("requestId"),
    reason: body.reason ?? null,
    payment: action === "pay" ? { reference: body.reference ?? null, amountCents: body.amountCents ?? null } : undefined,
  });
  return presentCitation(citation);
}

export const citationActions = router()
  .openapi(voidRoute, async (c) => c.json(await take(c, c.req.valid("param").id, "void", c.req.valid("json")), 200))
  .openapi(appealRoute, async (c) => c.json(await take(c, c.req.valid("param").id, "appeal", c.req.valid("json")), 200))
  .openapi(upholdRoute, async (c) => c.json(await take(c, c.req.valid("param").id, "uphold", c.req.valid("json")), 200))
  .openapi(dismissRoute, async (c) => c.json(await take(c, c.req.valid("param").id, "dismiss", c.req.valid("json")), 200))
  .openapi(payRoute, async (c) => c.json(await take(c, c.req.valid("param").id, "pay", c.req.valid("json")), 200));
