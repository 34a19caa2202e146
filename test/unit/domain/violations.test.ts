import { describe, expect, it } from "vitest";
import { changedFields, type ViolationReport, unrecordedEvidence } from "../../../src/domain/violations";

const report = (over: Partial<ViolationReport> = {}): ViolationReport => ({
  source: "ips",
  externalId: "ips_viol_789",
  plate: "XYZ789",
  state: "CT",
  zone: "A1",
  violationType: "EXPIRED_METER",
  description: null,
  fineCents: 2500,
  officerId: "officer_123",
  deviceId: "handheld_456",
  latitude: 41.0534,
  longitude: -73.5387,
  address: "123 Main Street, Stamford, CT",
  weather: "Clear",
  timeOfDay: "Midday",
  observedAt: Date.parse("2024-01-01T12:15:00.000Z"),
  evidence: [],
  ...over,
});
const recorded = (over: Partial<ViolationReport> = {}) => ({ ...report(over), status: "pending" as const });

describe("changedFields", () => {
  it("is empty for the same report, whatever its evidence", () => {
    expect(
      changedFields(
        recorded(),
        report({ evidence: [{ kind: "PHOTO", url: "https://x.test/a.jpg", capturedAt: null, metadata: null }] }),
      ),
    ).toEqual([]);
  });

  it("names each fact that differs, null and absent alike", () => {
    expect(changedFields(recorded(), report({ fineCents: 3500, weather: null, plate: "XYZ780" }))).toEqual([
      "plate",
      "fineCents",
      "weather",
    ]);
  });

  it("counts status only when the report names one", () => {
    expect(changedFields(recorded(), report({ status: undefined }))).toEqual([]);
    expect(changedFields(recorded(), report({ status: "pending" }))).toEqual([]);
    expect(changedFields(recorded(), report({ status: "issued" }))).toEqual(["status"]);
  });
});

describe("unrecordedEvidence", () => {
  const item = (url: string) => ({ kind: "PHOTO" as const, url, capturedAt: null, metadata: null });

  it("keeps only URLs not recorded yet, each once, in the report's order", () => {
    const items = [
      item("https://x.test/b.jpg"),
      item("https://x.test/a.jpg"),
      item("https://x.test/b.jpg"),
      item("https://x.test/c.jpg"),
    ];
    expect(unrecordedEvidence(items, ["https://x.test/a.jpg", null]).map((e) => e.url)).toEqual([
      "https://x.test/b.jpg",
      "https://x.test/c.jpg",
    ]);
  });
});
