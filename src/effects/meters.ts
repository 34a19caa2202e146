// A meter's status report, through either door: POST /api/parkeon/meter-status or a Parkeon meter.status
// webhook. One path for both: the meter must be registered (POST /v1/meters) and report from the zone it
// is registered in; the report is kept in that zone's object, which answers the alerts the meter shows now
// and those this report newly raised (each queued there as a meter.alert event for D1).
import type { MeterReport } from "../domain/meters";
import type { Bindings } from "../env";
import { Failure, isFailure } from "../lib/failure";
import type { EffectContext, EffectResult } from "../webhooks/contract";
import { db } from "../storage/db";
import { findMeter } from "../storage/meters";
import { callZone } from "../storage/zone-state";

/** `zoneField` names the caller's field for the zone in a refusal (Parkeon's `zoneNumber`). */
export async function recordMeterStatus(env: Bindings, tenantId: string, report: MeterReport, nowMs: number, zoneField = "zone") {
  const meter = await findMeter(db(env.DB), tenantId, report.meterId);
  if (!meter) throw new Failure("not_found", `Meter ${report.meterId} is not registered; register it with POST /v1/meters`);
  if (meter.zone !== report.zone) {
    const detail = `Meter ${meter.id} is registered in zone ${meter.zone}, not ${report.zone}`;
    throw new Failure("invalid", detail, [{ location: "body", path: zoneField, message: detail }]);
  }
  return callZone(env, tenantId, meter.zone, (s) => s.reportMeter(report, nowMs));
}

/** The webhook's effect: a report Curbgate cannot place (unknown meter, wrong zone) is recorded as such, not retried. */
export async function meterStatusEffect(ctx: EffectContext, report: MeterReport): Promise<EffectResult> {
  try {
    const { view, raised, stale } = await recordMeterStatus(ctx.env, ctx.tenantId, report, ctx.nowMs);
    return { status: "processed", effect: { meter: report.meterId, zone: report.zone, alerts: view.alerts, raised, stale } };
  } catch (err) {
    if (isFailure(err, "not_found", "invalid"))
      return { status: "processed", effect: { meter: report.meterId, note: err.detail } };
    throw err;
  }
}
