import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { zoneOfSessionId } from "../../domain/session-id";
import { log } from "../../lib/log";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { refundSessionPayment } from "../../sync/requests";
import { CONNECTORS } from "../../vendors";
import { bearer, errors, json } from "../common";
import { presentSession } from "./present";
import { SessionIdParams, SessionSchema } from "./schemas";

const ProviderRefund = z
  .object({
    status: z.enum(["queued", "no_payment", "unavailable", "failed"]),
    provider: z.string().nullable(),
    paymentId: z.string().nullable(),
    amountCents: z.number().int(),
    jobId: z.string().nullable().openapi({ description: "Follow it at GET /v1/integrations/{provider}/sync/status?jobId=" }),
    detail: z.string().optional(),
  })
  .openapi("SessionProviderRefund", {
    description: "The refund sent back through the provider that took the session's payment (a sync job), or why none was queued",
  });

const Refund = z.object({
  refundCents: z.number().int(),
  usedMinutes: z.number().int().openapi({ description: "Time parked, rounded up to whole increments" }),
  unusedIncrements: z.number().int(),
  providerRefund: ProviderRefund.nullable().openapi({ description: "Null when no refund is due" }),
});

const route = createRoute({
  method: "post",
  path: "/{id}/end",
  tags: ["Sessions"],
  summary: "End a session early; unused whole increments are refunded pro rata",
  description:
    "When the session was paid through a connected payment provider, the refund is queued back through that provider (one refund per session); `refund.providerRefund` says what happened.",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: { params: SessionIdParams },
  responses: { 200: json(SessionSchema.extend({ refund: Refund }), "Ended, with the refund"), ...errors(404, 409) },
});

export const endSession = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const now = Date.now();
  const tenantId = c.get("principal").tenantId;
  const r = await callZone(c.env, tenantId, zoneOfSessionId(id), (s) => s.endSession(id, now));
  // The session has ended in its zone whatever happens next: a refund that cannot be queued (D1 or the
  // queue down) is reported and logged for an operator, never turned into an error for an ended session.
  const providerRefund =
    r.refund.refundCents > 0
      ? await refundSessionPayment(c.env, CONNECTORS, tenantId, id, r.refund.refundCents).catch((err: unknown) => {
          log.error("session refund not queued", {
            requestId: c.get("requestId"),
            tenant: tenantId,
            session: id,
            error: String(err),
          });
          return {
            status: "failed" as const,
            provider: null,
            paymentId: null,
            amountCents: r.refund.refundCents,
            jobId: null,
            detail: "The refund could not be queued; it has been logged for an operator",
          };
        })
      : null;
  return c.json({ ...presentSession(r.session, now), refund: { ...r.refund, providerRefund } }, 200);
});
