// Parkeon meter status, in the Stamford guide's shape (src/vendors/parkeon/meter-status.ts reads it; the
// contract is test/fixtures/enforcement/parkeon-meter-status.json). The body carries no report time, so a
// report is taken to be from its arrival and the latest arrival is the meter's state. The answer is
// Curbgate's own (the guide shows none), shaped like Parkeon's bodies.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { recordMeterStatus } from "../../../effects/meters";
import { meterReportOf, ParkeonMeterStatus } from "../../../vendors/parkeon/meter-status";
import { bearer, errors, iso, json, jsonBody } from "../../common";
import { MeterAlert } from "../../meters/schemas";

const Received = z
  .object({
    meterId: z.string(),
    zoneNumber: z.string(),
    received: z.literal(true),
    reportedAt: z.string(),
    alerts: z.array(MeterAlert).openapi({ description: "The alerts the meter shows now" }),
    raised: z.array(MeterAlert).openapi({ description: "Alerts this report newly raised (each a meter.alert event)" }),
  })
  .openapi("ParkeonMeterStatusReceived");

const route = createRoute({
  method: "post",
  path: "/meter-status",
  tags: ["Vendor: Parkeon / Flowbird"],
  summary: "A meter's status (the Stamford guide's shape): kept as the meter's state in its zone",
  description:
    "The meter must be registered (POST /v1/meters) in the zone it reports from. Its occupied space counts in the zone's live occupancy; low battery, fault and offline show as alerts.",
  security: bearer,
  middleware: [requireScope("meters:write")] as const,
  request: { body: jsonBody(ParkeonMeterStatus.openapi("ParkeonMeterStatus")) },
  responses: { 200: json(Received, "Kept"), ...errors(404) },
});

export const parkeonMeterStatus = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const now = Date.now();
  const report = meterReportOf(body, now);
  const { view, raised } = await recordMeterStatus(c.env, c.get("principal").tenantId, report, now, "zoneNumber");
  return c.json(
    {
      meterId: body.meterId,
      zoneNumber: body.zoneNumber,
      received: true as const,
      reportedAt: iso(now),
      alerts: view.alerts,
      raised,
    },
    200,
  );
});
