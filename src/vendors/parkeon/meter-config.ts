// Parkeon's remote meter configuration (the Stamford integration guide, docs/sources.md; the contract is
// test/fixtures/enforcement/parkeon-meter-config.json) taken as the rules of the meter's zone. This is the
// inverse of what the connector sends (connector.ts, meterConfig), so a configuration Curbgate pushed and
// a meter sends back unchanged changes nothing.
//
//   rates[i]            → rate slot i: timeSlot "HH:MM-HH:MM" (may wrap midnight), every day unless `days`
//                         says otherwise; rate is dollars per hour; maxDuration and gracePeriod are the
//                         slot's own maximum stay and grace, in minutes
//   enforcement.enabled → false: the zone is not enforced (no windows); true: the zone's windows are
//                         kept, or, if it had none, windows matching the rate slots are set
//   alertThreshold      → the zone's meterAlertSeconds; violationCode → its defaultViolationCode
// The zone-level maximum stay (for times no slot covers) becomes the largest slot maximum; the zone's
// own grace, name, time zone and increment stay as they are.
import { z } from "zod";
import type { RuleProblem } from "../../domain/rules";
import { DAYS, type ZoneRules } from "../../domain/types";

// Capturing groups only: the OpenAPI fuzz (test/worker/fuzz/schema.ts) samples values from the pattern.
const TimeSlot = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM-HH:MM, e.g. "08:00-18:00"');

/** Dollars with at most two decimals: a price is kept in whole cents, never rounded. */
const Dollars = z
  .number()
  .min(0)
  .max(1000)
  .refine((d) => Math.abs(d * 100 - Math.round(d * 100)) < 1e-6, "must be dollars and cents (at most two decimals)");

export const ParkeonMeterConfig = z.object({
  rates: z
    .array(
      z.object({
        timeSlot: TimeSlot,
        rate: Dollars, // per hour
        maxDuration: z.number().int().min(1).max(1440), // minutes; a meter sells at most a day
        gracePeriod: z.number().int().min(0).max(120), // minutes
        days: z.array(z.enum(DAYS)).min(1).max(7).optional(),
      }),
    )
    .min(1)
    .max(24),
  enforcement: z.object({
    enabled: z.boolean(),
    alertThreshold: z.number().int().min(0).max(86_400), // seconds after paid time runs out
    violationCode: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, "1-20 letters, digits or dashes"),
  }),
});
export type ParkeonMeterConfig = z.infer<typeof ParkeonMeterConfig>;

/** The zone's next rules, from its current ones and the meter's configuration. */
export function rulesFromMeterConfig(current: ZoneRules, body: ParkeonMeterConfig): ZoneRules {
  const rateSlots = body.rates.map((r) => {
    const [start, end] = r.timeSlot.split("-") as [string, string];
    return {
      days: r.days ?? [...DAYS],
      start,
      end,
      rateCentsPerHour: Math.round(r.rate * 100),
      maxStayMinutes: r.maxDuration,
      graceMinutes: r.gracePeriod,
    };
  });
  const { enabled, alertThreshold, violationCode } = body.enforcement;
  const slotWindows = rateSlots.map(({ days, start, end }) => ({ days, start, end }));
  return {
    ...current,
    rateSlots,
    enforcement: !enabled ? [] : current.enforcement.length > 0 ? current.enforcement : slotWindows,
    maxStayMinutes: Math.max(...body.rates.map((r) => r.maxDuration)),
    meterAlertSeconds: alertThreshold,
    defaultViolationCode: violationCode,
  };
}

/** The rules' problems (validateZoneRules) named by the configuration's own fields, each field once. */
export function configProblems(body: ParkeonMeterConfig, problems: readonly RuleProblem[]): RuleProblem[] {
  const longest = body.rates.findIndex((r) => r.maxDuration === Math.max(...body.rates.map((x) => x.maxDuration)));
  const named = problems.map((p) => ({ path: configPath(p.path, longest), message: p.message }));
  return named.filter((p, i) => named.findIndex((q) => q.path === p.path) === i);
}

const SLOT_FIELD: Record<string, string> = {
  start: "timeSlot",
  end: "timeSlot",
  days: "days",
  rateCentsPerHour: "rate",
  maxStayMinutes: "maxDuration",
  graceMinutes: "gracePeriod",
};

function configPath(path: string, longest: number): string {
  const slot = /^(rateSlots|enforcement)\.(\d+)\.(\w+)/.exec(path);
  // Enforcement windows the configuration set are copies of the rate slots; kept ones were already valid.
  if (slot) return `rates.${slot[2]}.${SLOT_FIELD[slot[3]!] ?? slot[3]}`;
  if (path === "maxStayMinutes") return `rates.${longest}.maxDuration`;
  if (path === "meterAlertSeconds") return "enforcement.alertThreshold";
  if (path === "defaultViolationCode") return "enforcement.violationCode";
  return path; // the zone's own fields, which the configuration does not set
}
