import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json } from "../common";
import { presentReservation } from "./present";
import { ListQuery, ReservationSchema, ZoneParams, ZoneUsage } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{code}/reservations",
  tags: ["Reservations"],
  summary: "A zone's reservations, newest first, and how its spaces are used now",
  description: "Released, lapsed and finished reservations are kept for a day.",
  security: bearer,
  middleware: [requireScope("sessions:read")] as const,
  request: { params: ZoneParams, query: ListQuery },
  responses: {
    200: json(z.object({ zone: z.string(), usage: ZoneUsage, data: z.array(ReservationSchema) }), "Reservations"),
    ...errors(404),
  },
});

export const listReservations = router().openapi(route, async (c) => {
  const { code } = c.req.valid("param");
  const { status, limit } = c.req.valid("query");
  const now = Date.now();
  const { usage, data } = await callZone(c.env, c.get("principal").tenantId, code, (s) => s.listReservations(now, limit, status));
  return c.json({ zone: code, usage, data: data.map((r) => presentReservation(r, code, now)) }, 200);
});
