import { createRoute, z } from "@hono/zod-openapi";
import { actorOf } from "../../auth/principal";
import { sha256Hex } from "../../lib/crypto";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { reserveIdempotencyKey } from "../../storage/idempotency";
import { callZone } from "../../storage/zone-state";
import { bearer, errors, json, jsonBody } from "../common";
import { presentSession } from "./present";
import { SessionSchema, StartSession } from "./schemas";

const MAX_AHEAD_MS = 7 * 24 * 60 * 60 * 1000;
const CLOCK_SKEW_MS = 60_000;

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Sessions"],
  summary: "Start a parking session, priced from the zone's time-slot rates",
  security: bearer,
  middleware: [requireScope("sessions:write")] as const,
  request: {
    headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
    body: jsonBody(StartSession),
  },
  responses: {
    201: json(SessionSchema, "Started"),
    200: json(SessionSchema, "A retry with the same Idempotency-Key: the first result, unchanged"),
    ...errors(404, 409),
  },
});

export const startSession = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const now = Date.now();
  const startMs = body.startTime ? Date.parse(body.startTime) : now;
  if (startMs < now - CLOCK_SKEW_MS || startMs > now + MAX_AHEAD_MS)
    throw new ApiError(422, "startTime must be between now and 7 days ahead", {
      errors: [{ location: "body", path: "startTime", message: "Out of range" }],
    });
  const principal = c.get("principal");
  const key = c.req.valid("header")["idempotency-key"];
  const idempotency = key
    ? { key: `${actorOf(principal)}:${key}`, fingerprint: await sha256Hex(JSON.stringify(body)) }
    : undefined;
  // The zone's object replays the first response; D1 catches the same key reused for another zone.
  if (idempotency) {
    const scope = `${actorOf(principal)}:session.start`;
    const seen = await reserveIdempotencyKey(db(c.env.DB), {
      tenantId: principal.tenantId,
      scope,
      key: key!,
      fingerprint: idempotency.fingerprint,
    });
    if (seen === "mismatch")
      throw new ApiError(422, "This Idempotency-Key was used with a different request", {
        errors: [{ location: "header", path: "Idempotency-Key", message: "Already used with a different request" }],
      });
  }
  const input = {
    plate: body.plate,
    state: body.state ?? null,
    minutes: body.minutes,
    startMs,
    idempotency,
    reminder: body.reminder,
  };

  const result = await callZone(c.env, principal.tenantId, body.zone, (s) => s.startSession(input, now));
  if (result.replayed) c.header("Idempotent-Replayed", "true");
  c.header("Location", `/v1/sessions/${result.session.id}`);
  return c.json(presentSession(result.session, now, result.reminder), result.replayed ? 200 : 201);
});
