// Parkeon remote meter configuration, in the Stamford guide's shape: the configuration becomes the rules
// of the zone the meter is registered in (src/vendors/parkeon/meter-config.ts says how), validated in the
// configuration's own field names, then versioned, pushed to the zone's object and audited by the same
// path as PUT /v1/zones/{code} (../../zones/replace.ts): the very next plate check and sale use it. A
// configuration that changes nothing makes no new version (meters send theirs again when they restart).
import { createRoute, z } from "@hono/zod-openapi";
import { validateZoneRules, sameRules } from "../../../domain/rules";
import { requireScope } from "../../../http/authenticate";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { db } from "../../../storage/db";
import { findMeter } from "../../../storage/meters";
import { findZone, rulesOf, type ZoneRow } from "../../../storage/zones";
import { configProblems, ParkeonMeterConfig, rulesFromMeterConfig } from "../../../vendors/parkeon/meter-config";
import { MeterId } from "../../../vendors/parkeon/meter-status";
import { bearer, errors, iso, json, jsonBody } from "../../common";
import { assertAllowedViolationCode, presentZone } from "../../zones/present";
import { replaceZoneRules } from "../../zones/replace";
import { ZoneSchema } from "../../zones/schemas";

const Applied = z
  .object({
    meterId: z.string(),
    zoneNumber: z.string(),
    status: z.enum(["APPLIED", "UNCHANGED"]).openapi({ description: "UNCHANGED: the zone's rules already said this" }),
    configVersion: z.number().int().openapi({ description: "The zone's rules version now in force" }),
    appliedAt: z.string(),
    zone: ZoneSchema,
  })
  .openapi("ParkeonMeterConfigApplied");

const route = createRoute({
  method: "put",
  path: "/meter-config/{meterId}",
  tags: ["Vendor: Parkeon / Flowbird"],
  summary: "A meter's remote configuration (the Stamford guide's shape) becomes its zone's rules",
  description:
    "Each time slot becomes a rate slot (rate in dollars per hour) with its own maximum stay and grace; enforcement.enabled false leaves the zone unenforced. Versioned (GET /v1/zones/{code}/versions) and audited; the next plate check and price use it.",
  security: bearer,
  middleware: [requireScope("meters:write")] as const,
  request: {
    params: z.object({ meterId: MeterId.openapi({ param: { name: "meterId", in: "path" }, example: "METER-A1-001" }) }),
    body: jsonBody(ParkeonMeterConfig.openapi("ParkeonMeterConfig")),
  },
  responses: { 200: json(Applied, "In force"), ...errors(404) },
});

const applied = (meterId: string, row: ZoneRow, status: "APPLIED" | "UNCHANGED") => ({
  meterId,
  zoneNumber: row.code,
  status,
  configVersion: row.version,
  appliedAt: iso(row.updatedAt),
  zone: presentZone(row),
});

export const parkeonMeterConfig = router().openapi(route, async (c) => {
  const { meterId } = c.req.valid("param");
  const body = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const meter = await findMeter(database, tenantId, meterId);
  if (!meter) throw new ApiError(404, `Meter ${meterId} is not registered; register it with POST /v1/meters`);
  const row = await findZone(database, tenantId, meter.zone);
  if (!row) throw new ApiError(404, `Zone ${meter.zone} not found`);
  const current = rulesOf(row);
  const rules = rulesFromMeterConfig(current, body);
  const problems = configProblems(body, validateZoneRules(rules));
  if (problems.length)
    throw new ApiError(422, `This configuration does not make valid rules for zone ${row.code}`, {
      errors: problems.map((p) => ({ location: "body" as const, path: p.path, message: p.message })),
    });
  await assertAllowedViolationCode(database, tenantId, rules.defaultViolationCode, "enforcement.violationCode");
  if (sameRules(current, rules)) return c.json(applied(meterId, row, "UNCHANGED"), 200);
  const source = `parkeon:${meterId}`;
  const updated = await replaceZoneRules(c, { rules, capacity: row.capacity, source, action: "zone.rules.meter_config" });
  return c.json(applied(meterId, updated, "APPLIED"), 200);
});
