// A Parkeon remote configuration taken as a zone's rules, and read back the way the connector writes it.
import { describe, expect, it } from "vitest";
import config from "../../../fixtures/enforcement/parkeon-meter-config.json";
import { sameRules, validateZoneRules } from "../../../../src/domain/rules";
import { DAYS } from "../../../../src/domain/types";
import { meterConfig } from "../../../../src/vendors/parkeon/connector";
import { configProblems, ParkeonMeterConfig, rulesFromMeterConfig } from "../../../../src/vendors/parkeon/meter-config";
import { A1 } from "../../domain/zones";

const parsed = ParkeonMeterConfig.parse(config);

describe("rulesFromMeterConfig (the guide's configuration)", () => {
  const rules = rulesFromMeterConfig(A1, parsed);

  it("makes each time slot a rate slot on every day, in cents per hour, with its own maximum stay and grace", () => {
    expect(rules.rateSlots).toEqual([
      { days: [...DAYS], start: "08:00", end: "18:00", rateCentsPerHour: 200, maxStayMinutes: 240, graceMinutes: 5 },
      { days: [...DAYS], start: "18:00", end: "08:00", rateCentsPerHour: 100, maxStayMinutes: 720, graceMinutes: 10 },
    ]);
    expect(validateZoneRules(rules)).toEqual([]);
  });

  it("keeps the zone's own fields, takes the largest slot maximum as the zone's, and keeps the alert threshold and code", () => {
    expect(rules).toMatchObject({
      code: "A1",
      name: A1.name,
      timezone: A1.timezone,
      graceMinutes: A1.graceMinutes,
      incrementMinutes: A1.incrementMinutes,
      maxStayMinutes: 720,
      enforcement: A1.enforcement,
      meterAlertSeconds: 300,
      defaultViolationCode: "PKG-001",
    });
  });

  it("leaves the zone unenforced when enforcement is disabled, and covers the slots when it had no windows", () => {
    const off = rulesFromMeterConfig(A1, { ...parsed, enforcement: { ...parsed.enforcement, enabled: false } });
    expect(off.enforcement).toEqual([]);
    const on = rulesFromMeterConfig(off, parsed);
    expect(on.enforcement).toEqual(on.rateSlots.map(({ days, start, end }) => ({ days, start, end })));
  });

  it("is what the connector sends back: a round trip changes nothing", () => {
    const sent = ParkeonMeterConfig.parse(meterConfig(rules, "STF-1"));
    expect(sameRules(rulesFromMeterConfig(rules, sent), rules)).toBe(true);
  });
});

describe("ParkeonMeterConfig and configProblems: refusals in the configuration's own field names", () => {
  it("refuses a rate that is not dollars and cents, and a malformed time slot", () => {
    const bad = ParkeonMeterConfig.safeParse({
      ...config,
      rates: [{ ...config.rates[0], rate: 2.005, timeSlot: "8:00-18:00" }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["rates.0.timeSlot", "rates.0.rate"]);
  });

  it("names rates.N.maxDuration for a maximum stay that is not a whole number of increments, once", () => {
    const body = { ...parsed, rates: [parsed.rates[0]!, { ...parsed.rates[1]!, maxDuration: 725 }] };
    const problems = configProblems(body, validateZoneRules(rulesFromMeterConfig(A1, body)));
    expect(problems.map((p) => p.path)).toEqual(["rates.1.maxDuration"]);
    expect(problems[0]!.message).toMatch(/multiple of incrementMinutes \(15\)/);
  });

  it("names rates.N.timeSlot for a slot that starts and ends at the same time", () => {
    const body = { ...parsed, rates: [{ ...parsed.rates[0]!, timeSlot: "08:00-08:00" }] };
    const problems = configProblems(body, validateZoneRules(rulesFromMeterConfig(A1, body)));
    expect(problems.map((p) => p.path)).toEqual(["rates.0.timeSlot"]);
  });
});
