import { createRoute } from "@hono/zod-openapi";
import { zoneOfReservationId } from "../../domain/reservations";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json } from "../common";
import { presentReservation } from "./present";
import { ReservationIdParams, ReservationSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{id}/cancel",
  tags: ["Reservations"],
  summary: "Release a held reservation, freeing its space",
  description:
    "Cancelling a released reservation answers it again. A confirmed (paid) or lapsed reservation cannot be cancelled here: 409.",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: { params: ReservationIdParams },
  responses: { 200: json(ReservationSchema, "Released"), ...errors(404, 409) },
});

export const cancelReservation = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const zone = zoneOfReservationId(id);
  const now = Date.now();
  const r = await callZone(c.env, c.get("principal").tenantId, zone, (s) => s.cancelReservation(id, now));
  return c.json(presentReservation(r, zone, now), 200);
});
