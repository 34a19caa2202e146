// Meter alerts for the operations screen: every meter that shows an alert now (offline, fault, low
// battery), by zone, with the tenant's thresholds. Offline is judged now, against the registry, so a
// meter that never reported shows here once it has been registered for the offline time.
import { createRoute, z } from "@hono/zod-openapi";
import type { MeterAlert as Alert } from "../../domain/meters";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { enforcementSettingsOf } from "../../storage/enforcement-settings";
import { listMeters, type MeterRow } from "../../storage/meters";
import { liveMeterViews } from "../../storage/zone-state";
import { bearer, errors, iso, json } from "../common";
import { presentMeter } from "../meters/present";
import { MeterAlert, MeterSchema } from "../meters/schemas";

const PAGE = 500;

const MeterMonitoring = z
  .object({
    at: z.string(),
    thresholds: z.object({ offlineMinutes: z.number().int(), lowBatteryPercent: z.number().int() }),
    counts: z.record(MeterAlert, z.number().int()).openapi({ description: "Meters showing each alert" }),
    zones: z.array(z.object({ zone: z.string(), meters: z.array(MeterSchema) })),
  })
  .openapi("MeterMonitoring");

const route = createRoute({
  method: "get",
  path: "/meters",
  tags: ["Meters"],
  summary: "Meters with alerts now (offline, fault, low battery), by zone",
  security: bearer,
  middleware: [requireScope("meters:read")] as const,
  responses: { 200: json(MeterMonitoring, "Alerting meters by zone"), ...errors() },
});

export const meterMonitoring = router().openapi(route, async (c) => {
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const now = Date.now();
  const settings = await enforcementSettingsOf(database, tenantId);
  const counts: Record<Alert, number> = { offline: 0, fault: 0, low_battery: 0 };
  const zones = new Map<string, ReturnType<typeof presentMeter>[]>();
  let after: string | undefined;
  for (;;) {
    const page: MeterRow[] = await listMeters(database, tenantId, { after, limit: PAGE });
    const views = await liveMeterViews(c.env, tenantId, page, now);
    for (const m of page) {
      const shown = presentMeter(m, views.get(m.id));
      if (shown.alerts.length === 0) continue;
      for (const a of shown.alerts) counts[a]++;
      const inZone = zones.get(m.zone) ?? [];
      inZone.push(shown);
      zones.set(m.zone, inZone);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return c.json(
    {
      at: iso(now),
      thresholds: { offlineMinutes: settings.meterOfflineMinutes, lowBatteryPercent: settings.meterLowBatteryPercent },
      counts,
      zones: [...zones].sort(([a], [b]) => (a < b ? -1 : 1)).map(([zone, meters]) => ({ zone, meters })),
    },
    200,
  );
});
