// A meter as the API shows it: the registry's record (D1) with its last report and alerts (its zone's object).
import type { MeterView } from "../../../durable/zone-state/contract";
import type { MeterRow } from "../../storage/meters";
import { iso } from "../common";

export function presentStatus(last: MeterView["last"]) {
  if (!last) return null;
  const { status: s, reportedAtMs } = last;
  const paid = s.lastPayment;
  return {
    reportedAt: iso(reportedAtMs),
    operational: s.operational,
    spaceOccupied: s.spaceOccupied,
    timeRemaining: s.timeRemainingSeconds,
    paidUntil: iso(reportedAtMs + s.timeRemainingSeconds * 1000),
    lastPayment: paid && {
      amountCents: paid.amountCents,
      durationMinutes: paid.durationMinutes,
      at: iso(paid.atMs),
      method: paid.method,
    },
    batteryPercent: s.batteryPercent,
    signalDbm: s.signalDbm,
    temperatureC: s.temperatureC,
    lastMaintenanceAt: s.lastMaintenanceAtMs === null ? null : iso(s.lastMaintenanceAtMs),
  };
}

export function presentMeter(m: MeterRow, view: MeterView | undefined) {
  return {
    id: m.id,
    zone: m.zone,
    vendor: m.vendor,
    address: m.address,
    latitude: m.latitude,
    longitude: m.longitude,
    registeredAt: iso(m.createdAt),
    status: presentStatus(view?.last ?? null),
    alerts: view?.alerts ?? [],
  };
}
