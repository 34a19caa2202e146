import { createRoute } from "@hono/zod-openapi";
import { actorOf } from "../../auth/principal";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { db } from "../../storage/db";
import { tenantTimezone } from "../../storage/tenants";
import { configureZone } from "../../storage/zone-state";
import { insertZone } from "../../storage/zones";
import { bearer, errors, json, jsonBody } from "../common";
import { assertAllowedViolationCode, assertValidRules, presentZone } from "./present";
import { CreateZone, ZoneSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Zones"],
  summary: "Create a zone with its rates, enforcement hours, grace and maximum stay",
  security: bearer,
  middleware: [requireScope("zones:write")] as const,
  request: { body: jsonBody(CreateZone) },
  responses: { 201: json(ZoneSchema, "Created"), ...errors(409) },
});

export const createZone = router().openapi(route, async (c) => {
  const { code, capacity, timezone, ...body } = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const rules = { ...body, code, timezone: timezone ?? (await tenantTimezone(database, tenantId)) };
  assertValidRules(rules);
  await assertAllowedViolationCode(database, tenantId, rules.defaultViolationCode, "defaultViolationCode");
  const by = { source: "staff", actor: actorOf(c.get("principal")) };
  const row = await insertZone(database, tenantId, rules, capacity ?? null, Date.now(), by);
  if (!row) throw new ApiError(409, `Zone ${rules.code} already exists`);
  await configureZone(c.env, row);
  audit(c, "zone.create", row.code);
  return c.json(presentZone(row), 201);
});
