import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { db } from "../../storage/db";
import { tenantTimezone } from "../../storage/tenants";
import { configureZone } from "../../storage/zone-state";
import { replaceZone } from "../../storage/zones";
import { bearer, errors, json, jsonBody } from "../common";
import { assertValidRules, presentZone } from "./present";
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
  const row = await replaceZone(database, tenantId, rules, capacity ?? null);
  if (!row) throw new ApiError(404, `Zone ${code} not found`);
  await configureZone(c.env, row);
  audit(c, "zone.update", code, { version: row.version });
  return c.json(presentZone(row), 200);
});
