// Confirming a hold with a payment already in the tenant's ledger (a webhook, a pull or a verify put it
// there). The payment is checked here (paymentRefusal), claimed in D1 so it confirms one reservation
// only, and then the zone's object confirms the hold if it has not lapsed meanwhile; if the object
// refuses, the claim is given back.
import { createRoute } from "@hono/zod-openapi";
import { paymentRefusal, statusAt, zoneOfReservationId } from "../../domain/reservations";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findPayment, findPaymentByTransaction } from "../../storage/payments";
import { claimPayment, releaseClaim } from "../../storage/reservation-payments";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json, jsonBody } from "../common";
import { presentReservation } from "./present";
import { ConfirmReservation, ReservationIdParams, ReservationSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{id}/confirm",
  tags: ["Reservations"],
  summary: "Confirm a held reservation with a succeeded payment from the ledger",
  description:
    "The payment (by `paymentId`, or by `provider` and `reference`) must be in the tenant's ledger, succeeded, in USD, cover the price after refunds, not pay a session or citation, and not have confirmed another reservation. An unknown payment is 422; an unusable one, or a reservation that is not held (lapsed, released), is 409. Confirming again with the same payment answers the confirmed reservation.",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: { params: ReservationIdParams, body: jsonBody(ConfirmReservation) },
  responses: { 200: json(ReservationSchema, "Confirmed"), ...errors(404, 409) },
});

export const confirmReservation = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const zone = zoneOfReservationId(id);
  const database = db(c.env.DB);
  const now = Date.now();
  const held = await callZone(c.env, tenantId, zone, (s) => s.getReservation(id, now));
  const payment = body.paymentId
    ? await findPayment(database, tenantId, body.paymentId)
    : await findPaymentByTransaction(database, tenantId, body.provider!, body.reference!);
  if (!payment) {
    const path = body.paymentId ? "paymentId" : "reference";
    throw new ApiError(422, "No such payment in the ledger", {
      errors: [{ location: "body", path, message: "Unknown payment" }],
    });
  }
  const refused = paymentRefusal(payment, held);
  if (refused) throw new ApiError(409, refused);
  const status = statusAt(held, now);
  if (status !== "held" && status !== "confirmed")
    throw new ApiError(409, `Reservation ${id} is ${status}; only a held reservation can be confirmed`);

  const claim = { tenantId, paymentId: payment.id, reservationId: id };
  const claimed = await claimPayment(database, claim, now);
  if (claimed === "taken") throw new ApiError(409, `Payment ${payment.id} has already confirmed another reservation`);
  const left = payment.amountCents - payment.refundedCents;
  try {
    const r = await callZone(c.env, tenantId, zone, (s) => s.confirmReservation(id, payment.id, left, now));
    return c.json(presentReservation(r, zone, now), 200);
  } catch (err) {
    if (claimed === "claimed") await releaseClaim(database, claim);
    throw err;
  }
});
