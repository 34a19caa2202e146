import { createRoute } from "@hono/zod-openapi";
import { zoneOfReservationId } from "../../domain/reservations";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json } from "../common";
import { presentReservation } from "./present";
import { ReservationIdParams, ReservationSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Reservations"],
  summary: "One reservation, from its zone's object (the id names the zone)",
  security: bearer,
  middleware: [requireScope("sessions:read")] as const,
  request: { params: ReservationIdParams },
  responses: { 200: json(ReservationSchema, "The reservation"), ...errors(404) },
});

export const getReservation = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const zone = zoneOfReservationId(id);
  const now = Date.now();
  const r = await callZone(c.env, c.get("principal").tenantId, zone, (s) => s.getReservation(id, now));
  return c.json(presentReservation(r, zone, now), 200);
});
