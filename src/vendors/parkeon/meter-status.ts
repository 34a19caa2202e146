// Parkeon's meter status body (the Stamford integration guide, docs/sources.md; the contract is
// test/fixtures/enforcement/parkeon-meter-status.json), read into Curbgate's MeterReport: dollars become
// cents, ISO instants epoch ms. The same reader serves POST /api/parkeon/meter-status and the meter.status
// webhook's `data`, so both accept exactly the same bodies.
import { z } from "zod";
import type { MeterReport } from "../../domain/meters";

const Instant = z.iso.datetime({ offset: true });

/** A meter id as Parkeon writes it ("METER-A1-001"): kept exactly, case included. */
export const MeterId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    "1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit",
  );

/** A zone code, upper-cased as Curbgate keeps it (src/routes/common.ts, ZoneCode). */
export const MeterZone = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,16}$/, "1-16 letters, digits or dashes")
  .transform((s) => s.toUpperCase());

export const ParkeonMeterStatus = z.object({
  meterId: MeterId,
  zoneNumber: MeterZone,
  status: z.object({
    operational: z.boolean(),
    spaceOccupied: z.boolean(),
    /** Seconds of paid time left on the meter. */
    timeRemaining: z.number().int().min(0).max(604_800),
    lastPayment: z
      .object({
        amount: z.number().min(0).max(10_000), // dollars
        duration: z.number().int().min(0).max(10_080), // minutes
        timestamp: Instant,
        paymentMethod: z.string().min(1).max(40),
      })
      .nullable()
      .optional(),
  }),
  diagnostics: z
    .object({
      batteryLevel: z.number().min(0).max(100).optional(), // percent
      signalStrength: z.number().min(-150).max(0).optional(), // dBm
      temperature: z.number().min(-60).max(90).optional(), // °C
      lastMaintenance: Instant.optional(),
    })
    .optional(),
});
export type ParkeonMeterStatus = z.infer<typeof ParkeonMeterStatus>;

/** The body as Curbgate keeps it, taken to be from `reportedAtMs` (the body itself carries no report time). */
export function meterReportOf(body: ParkeonMeterStatus, reportedAtMs: number): MeterReport {
  const { status, diagnostics: d = {} } = body;
  const paid = status.lastPayment;
  return {
    meterId: body.meterId,
    zone: body.zoneNumber,
    reportedAtMs,
    status: {
      operational: status.operational,
      spaceOccupied: status.spaceOccupied,
      timeRemainingSeconds: status.timeRemaining,
      lastPayment: paid
        ? {
            amountCents: Math.round(paid.amount * 100),
            durationMinutes: paid.duration,
            atMs: Date.parse(paid.timestamp),
            method: paid.paymentMethod,
          }
        : null,
      batteryPercent: d.batteryLevel ?? null,
      signalDbm: d.signalStrength ?? null,
      temperatureC: d.temperature ?? null,
      lastMaintenanceAtMs: d.lastMaintenance ? Date.parse(d.lastMaintenance) : null,
    },
  };
}
