// /v1/enforcement/settings: the tenant's enforcement settings. The stay gap reaches every zone's object
// at once (the next plate check and the next sale use it); the rest is read by the routes and the cron.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { audit } from "../../http/audit";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { enforcementSettingsOf, putEnforcementSettings } from "../../storage/enforcement-settings";
import { reconfigureTenantZones } from "../../storage/zone-state";
import { bearer, errors, json, jsonBody } from "../common";

const Settings = z
  .object({
    stayGapMinutes: z.number().int().min(0).max(1440).openapi({
      description: "Minutes a vehicle must be away before its next session starts a new stay (maximum-stay rule)",
      example: 30,
    }),
    collectionsAfterDays: z.number().int().min(0).max(365).openapi({
      description: "Days after escalation before an unpaid citation is handed to collections",
      example: 30,
    }),
    meterOfflineMinutes: z.number().int().min(5).max(10_080).openapi({
      description: "A meter that has not reported for this long is offline",
      example: 60,
    }),
    meterLowBatteryPercent: z.number().int().min(0).max(100).openapi({
      description: "A meter at or below this battery level raises a low-battery alert",
      example: 20,
    }),
  })
  .openapi("EnforcementSettings");

const getRoute = createRoute({
  method: "get",
  path: "/settings",
  tags: ["Enforcement"],
  summary: "The tenant's enforcement settings (defaults until set)",
  security: bearer,
  middleware: [requireScope("zones:read")] as const,
  responses: { 200: json(Settings, "Settings"), ...errors() },
});

const putRoute = createRoute({
  method: "put",
  path: "/settings",
  tags: ["Enforcement"],
  summary: "Replace the enforcement settings; every zone uses the stay gap from the next request",
  security: bearer,
  middleware: [requireScope("enforcement:admin")] as const,
  request: { body: jsonBody(Settings) },
  responses: { 200: json(Settings, "Saved"), ...errors() },
});

export const enforcementSettings = router()
  .openapi(getRoute, async (c) => c.json(await enforcementSettingsOf(db(c.env.DB), c.get("principal").tenantId), 200))
  .openapi(putRoute, async (c) => {
    const tenantId = c.get("principal").tenantId;
    const settings = c.req.valid("json");
    await putEnforcementSettings(db(c.env.DB), tenantId, settings, Date.now());
    await reconfigureTenantZones(c.env, tenantId);
    audit(c, "enforcement.settings.update", tenantId, settings);
    return c.json(settings, 200);
  });
