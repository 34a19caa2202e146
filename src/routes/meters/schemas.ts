import { z } from "@hono/zod-openapi";
import { MeterId } from "../../vendors/parkeon/meter-status";
import { ZoneCode } from "../common";

export const MeterIdParam = MeterId.openapi({ param: { name: "id", in: "path" }, example: "METER-A1-001" });

export const CreateMeter = z
  .object({
    id: MeterId.openapi({ description: "The vendor's meter id, kept exactly", example: "METER-A1-001" }),
    zone: ZoneCode,
    address: z.string().min(1).max(200).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  })
  .openapi("CreateMeter");

export const MeterAlert = z.enum(["offline", "fault", "low_battery"]).openapi("MeterAlert");

export const MeterStatusSchema = z
  .object({
    reportedAt: z.string().openapi({ description: "When Curbgate received the report (a webhook: the event's timestamp)" }),
    operational: z.boolean(),
    spaceOccupied: z.boolean(),
    timeRemaining: z.number().int().openapi({ description: "Seconds of paid time the meter had left when it reported" }),
    paidUntil: z.string().openapi({ description: "reportedAt + timeRemaining" }),
    lastPayment: z
      .object({ amountCents: z.number().int(), durationMinutes: z.number().int(), at: z.string(), method: z.string() })
      .nullable(),
    batteryPercent: z.number().nullable(),
    signalDbm: z.number().nullable(),
    temperatureC: z.number().nullable(),
    lastMaintenanceAt: z.string().nullable(),
  })
  .openapi("MeterStatus");

export const MeterSchema = z
  .object({
    id: z.string(),
    zone: z.string(),
    vendor: z.string(),
    address: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    registeredAt: z.string(),
    status: MeterStatusSchema.nullable().openapi({ description: "The meter's last report; null until it reports" }),
    alerts: z.array(MeterAlert),
  })
  .openapi("Meter");

export const ListMetersQuery = z.object({
  zone: ZoneCode.optional(),
  after: MeterId.optional().openapi({ description: "Page on: meters whose id sorts after this (nextAfter of the last page)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
