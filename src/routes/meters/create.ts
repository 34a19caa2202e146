import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { audit } from "../../http/audit";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { insertMeter } from "../../storage/meters";
import { findZone } from "../../storage/zones";
import { bearer, errors, json, jsonBody } from "../common";
import { presentMeter } from "./present";
import { CreateMeter, MeterSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Meters"],
  summary: "Register a meter in a zone; its status reports are accepted from then on",
  security: bearer,
  middleware: [requireScope("meters:write")] as const,
  request: { body: jsonBody(CreateMeter) },
  responses: { 201: json(MeterSchema, "Registered"), ...errors(409) },
});

export const createMeter = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  if (!(await findZone(database, tenantId, body.zone))) {
    const message = `Unknown zone: ${body.zone}`;
    throw new ApiError(422, message, { errors: [{ location: "body", path: "zone", message }] });
  }
  const row = await insertMeter(database, tenantId, {
    id: body.id,
    zone: body.zone,
    address: body.address ?? null,
    latitude: body.latitude ?? null,
    longitude: body.longitude ?? null,
  });
  if (!row) throw new ApiError(409, `Meter ${body.id} is already registered`);
  audit(c, "meter.create", row.id, { zone: row.zone });
  return c.json(presentMeter(row, undefined), 201);
});
