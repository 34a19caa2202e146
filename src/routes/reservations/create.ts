import { createRoute, z } from "@hono/zod-openapi";
import { actorOf } from "../../auth/principal";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { sha256Hex } from "../../lib/crypto";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json, jsonBody } from "../common";
import { presentReservation } from "./present";
import { HoldSpace, ReservationSchema, ZoneParams } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{code}/reservations",
  tags: ["Reservations"],
  summary: "Hold a space in a zone with a capacity; it lapses unless confirmed by payment",
  description:
    "409 when every space is occupied or reserved (the problem carries `capacity` and `earliestHoldLapsesAt`), and when the zone has no capacity set. The zone's object decides, one request at a time, so the zone is never oversold.",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: {
    params: ZoneParams,
    headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
    body: jsonBody(HoldSpace),
  },
  responses: {
    201: json(ReservationSchema, "Held"),
    200: json(ReservationSchema, "A retry with the same Idempotency-Key: the reservation as it is now"),
    ...errors(404, 409),
  },
});

export const createReservation = router().openapi(route, async (c) => {
  const { code } = c.req.valid("param");
  const body = c.req.valid("json");
  const principal = c.get("principal");
  const now = Date.now();
  const key = c.req.valid("header")["idempotency-key"];
  const idempotency = key
    ? { key: `${actorOf(principal)}:${key}`, fingerprint: await sha256Hex(JSON.stringify(body)) }
    : undefined;
  const input = {
    plate: body.plate,
    state: body.state ?? null,
    startMs: body.from ? Date.parse(body.from) : now,
    minutes: body.minutes,
    idempotency,
  };
  const held = await callZone(c.env, principal.tenantId, code, (s) => s.holdSpace(input, now));
  if (held.replayed) c.header("Idempotent-Replayed", "true");
  c.header("Location", `/v1/reservations/${held.reservation.id}`);
  return c.json(presentReservation(held.reservation, code, now), held.replayed ? 200 : 201);
});
