import { describe, expect, it } from "vitest";
import {
  DEFAULT_METER_THRESHOLDS as T,
  isOffline,
  meterAlerts,
  occupiedSpaces,
  raisedAlerts,
  reportedAlerts,
  type MeterStatus,
} from "../../../src/domain/meters";

const MIN = 60_000;
const ok: MeterStatus = {
  operational: true,
  spaceOccupied: true,
  timeRemainingSeconds: 3600,
  lastPayment: null,
  batteryPercent: 85,
  signalDbm: -65,
  temperatureC: 22,
  lastMaintenanceAtMs: null,
};

describe("reportedAlerts", () => {
  it("raises fault for a meter that is not operational and low_battery at or below the threshold", () => {
    expect(reportedAlerts(ok, T)).toEqual([]);
    expect(reportedAlerts({ ...ok, operational: false }, T)).toEqual(["fault"]);
    expect(reportedAlerts({ ...ok, batteryPercent: 20 }, T)).toEqual(["low_battery"]);
    expect(reportedAlerts({ ...ok, batteryPercent: 20.5 }, T)).toEqual([]);
    expect(reportedAlerts({ ...ok, operational: false, batteryPercent: 3 }, { ...T, lowBatteryPercent: 5 })).toEqual([
      "fault",
      "low_battery",
    ]);
  });

  it("raises nothing for a battery the meter did not report", () => {
    expect(reportedAlerts({ ...ok, batteryPercent: null }, T)).toEqual([]);
  });
});

describe("meterAlerts", () => {
  it("is offline once silent for the offline time, from the last report or else from registration", () => {
    expect(isOffline(0, 59 * MIN, T)).toBe(false);
    expect(isOffline(0, 60 * MIN, T)).toBe(true);
    expect(meterAlerts(null, 0, 30 * MIN, T)).toEqual([]);
    expect(meterAlerts(null, 0, 61 * MIN, T)).toEqual(["offline"]);
    expect(meterAlerts({ status: ok, reportedAtMs: 50 * MIN }, 0, 61 * MIN, T)).toEqual([]);
  });

  it("keeps what the last report raised while the meter is offline", () => {
    const last = { status: { ...ok, batteryPercent: 5 }, reportedAtMs: 0 };
    expect(meterAlerts(last, 0, 2 * 60 * MIN, T)).toEqual(["offline", "low_battery"]);
  });
});

describe("raisedAlerts", () => {
  it("names only the alerts the new report adds", () => {
    expect(raisedAlerts([], ["low_battery"])).toEqual(["low_battery"]);
    expect(raisedAlerts(["low_battery"], ["low_battery"])).toEqual([]);
    expect(raisedAlerts(["low_battery"], ["fault", "low_battery"])).toEqual(["fault"]);
    expect(raisedAlerts(["fault"], [])).toEqual([]);
  });
});

describe("occupiedSpaces", () => {
  it("takes the larger of sessions and metered spaces, never their sum", () => {
    expect(occupiedSpaces(3, 0)).toBe(3);
    expect(occupiedSpaces(1, 2)).toBe(2);
    expect(occupiedSpaces(2, 2)).toBe(2);
  });
});
