// A parking meter's live state in Curbgate's terms (whichever vendor reported it), the alerts it shows,
// and how its space counts in the zone's live occupancy. Money is integer cents, instants epoch ms.
//
// Alerts, in the order they are listed:
//   offline      no report for the tenant's meterOfflineMinutes (a meter that never reported: since it
//                was registered); judged at read time, since nothing arrives when a meter falls silent
//   fault        the last report said the meter is not operational
//   low_battery  the last report's battery level is at or below the tenant's meterLowBatteryPercent
// An offline meter keeps showing what its last report raised: that is the last thing known of it.

export type MeterAlert = "offline" | "fault" | "low_battery";

export interface MeterPayment {
  amountCents: number;
  durationMinutes: number;
  atMs: number;
  method: string;
}

/** What a meter says about itself and its space. Diagnostics a meter did not send are null. */
export interface MeterStatus {
  operational: boolean;
  spaceOccupied: boolean;
  /** Paid time left on the meter when it reported, in seconds. */
  timeRemainingSeconds: number;
  lastPayment: MeterPayment | null;
  batteryPercent: number | null;
  signalDbm: number | null;
  temperatureC: number | null;
  lastMaintenanceAtMs: number | null;
}

/** One report: the meter, the zone it reported from, what it said, and when Curbgate takes it to be from. */
export interface MeterReport {
  meterId: string;
  zone: string;
  status: MeterStatus;
  reportedAtMs: number;
}

export interface MeterThresholds {
  offlineMinutes: number;
  lowBatteryPercent: number;
}

/** The tenant's defaults until it sets its own (enforcement settings). */
export const DEFAULT_METER_THRESHOLDS: MeterThresholds = { offlineMinutes: 60, lowBatteryPercent: 20 };

const MINUTE = 60_000;

/** The alerts a report raises by itself: what changes only when the next report arrives. */
export function reportedAlerts(status: MeterStatus, t: MeterThresholds): MeterAlert[] {
  const alerts: MeterAlert[] = [];
  if (!status.operational) alerts.push("fault");
  if (status.batteryPercent !== null && status.batteryPercent <= t.lowBatteryPercent) alerts.push("low_battery");
  return alerts;
}

/** Silent for the tenant's offline time: since its last report, or since it was registered if it never reported. */
export const isOffline = (lastHeardMs: number, nowMs: number, t: MeterThresholds) =>
  nowMs - lastHeardMs >= t.offlineMinutes * MINUTE;

/** Every alert a meter shows at `nowMs`, from its last report (null: it never reported). */
export function meterAlerts(
  last: { status: MeterStatus; reportedAtMs: number } | null,
  registeredAtMs: number,
  nowMs: number,
  t: MeterThresholds,
): MeterAlert[] {
  const offline = isOffline(last?.reportedAtMs ?? registeredAtMs, nowMs, t);
  return [...(offline ? (["offline"] as const) : []), ...(last ? reportedAlerts(last.status, t) : [])];
}

/** The alerts `after` shows that `before` did not: each becomes one meter.alert event. */
export const raisedAlerts = (before: readonly MeterAlert[], after: readonly MeterAlert[]): MeterAlert[] =>
  after.filter((a) => !before.includes(a));

/**
 * A zone's occupied spaces now. Sessions and meters each see only part of the street (a driver who paid
 * at the meter has no session; one who paid by app may be parked at a meter that also reports the space
 * taken), so their sum could count one car twice. The larger of the two is a floor both sources support.
 */
export const occupiedSpaces = (activeSessions: number, meteredSpacesOccupied: number) =>
  Math.max(activeSessions, meteredSpacesOccupied);
