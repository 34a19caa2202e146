import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { tenantTimezone } from "../../storage/tenants";
import { bearer, errors, json, jsonBody } from "../common";
import { assertAllowedViolationCode, assertValidRules, presentZone } from "./present";
import { replaceZoneRules } from "./replace";
import { UpdateZone, ZoneCodeParams, ZoneSchema } from "./schemas";

const route = createRoute({
  method: "put",
  path: "/{code}",
  tags: ["Zones"],
  summary: "Replace a zone's rules; the next plate check uses them",
  security: bearer,
  middleware: [requireScope("zones:write")] as const,
  request: { params: ZoneCodeParams, body: jsonBody(UpdateZone) },
  responses: { 200: json(ZoneSchema, "Updated"), ...errors(404) },
});

export const updateZone = router().openapi(route, async (c) => {
  const code = c.req.valid("param").code;
  const { capacity, timezone, ...body } = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const rules = { ...body, code, timezone: timezone ?? (await tenantTimezone(database, tenantId)) };
  assertValidRules(rules);
  await assertAllowedViolationCode(database, tenantId, rules.defaultViolationCode, "defaultViolationCode");
  const row = await replaceZoneRules(c, { rules, capacity: capacity ?? null, source: "staff", action: "zone.update" });
  return c.json(presentZone(row), 200);
});
