// Parkeon's meter status body (the guide's, verbatim) read into Curbgate's terms.
import { describe, expect, it } from "vitest";
import status from "../../../fixtures/enforcement/parkeon-meter-status.json";
import { meterReportOf, ParkeonMeterStatus } from "../../../../src/vendors/parkeon/meter-status";

describe("meterReportOf (the guide's status body)", () => {
  it("turns dollars into cents and ISO instants into epoch milliseconds", () => {
    const report = meterReportOf(ParkeonMeterStatus.parse(status), 1_000);
    expect(report).toEqual({
      meterId: "METER-A1-001",
      zone: "A1",
      reportedAtMs: 1_000,
      status: {
        operational: true,
        spaceOccupied: true,
        timeRemainingSeconds: 3600,
        lastPayment: {
          amountCents: 200,
          durationMinutes: 60,
          atMs: Date.parse("2024-01-01T11:00:00.000Z"),
          method: "CREDIT_CARD",
        },
        batteryPercent: 85,
        signalDbm: -65,
        temperatureC: 22,
        lastMaintenanceAtMs: Date.parse("2024-01-01T08:00:00.000Z"),
      },
    });
  });
});
