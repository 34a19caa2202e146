import { z } from "@hono/zod-openapi";
import { Clock, Day, ZoneCode } from "../common";

const Window = { days: z.array(Day).min(1), start: Clock, end: Clock };

// What a meter's remote configuration sets besides rates (docs/enforcement.md, "Meters"); staff may set them too.
const MeterSettings = {
  meterAlertSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .optional()
    .openapi({ description: "Seconds after paid time runs out before the zone's meters alert enforcement" }),
  defaultViolationCode: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,20}$/, "1-20 letters, digits or dashes")
    .optional()
    .openapi({ description: "The violation code used here by default", example: "PKG-001" }),
};

export const ZoneRulesInput = z.object({
  name: z.string().min(1).max(120),
  timezone: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "IANA time zone; defaults to the tenant's", example: "America/New_York" }),
  rateSlots: z
    .array(
      z.object({
        ...Window,
        rateCentsPerHour: z.number().int().min(0).max(100_000),
        maxStayMinutes: z
          .number()
          .int()
          .min(1)
          .max(10_080)
          .optional()
          .openapi({ description: "This slot's own maximum stay, for stays that begin in it; default the zone's" }),
        graceMinutes: z
          .number()
          .int()
          .min(0)
          .max(120)
          .optional()
          .openapi({ description: "This slot's own grace, for paid time that ends in it; default the zone's" }),
      }),
    )
    .max(24),
  enforcement: z.array(z.object(Window)).max(14),
  graceMinutes: z.number().int().min(0).max(120),
  maxStayMinutes: z.number().int().min(1).max(10_080),
  incrementMinutes: z.number().int().min(1).max(240).default(15),
  capacity: z.number().int().min(0).max(100_000).nullable().optional(),
  ...MeterSettings,
});

export const CreateZone = ZoneRulesInput.extend({ code: ZoneCode }).openapi("CreateZone");
export const UpdateZone = ZoneRulesInput.openapi("UpdateZone");

export const ZoneSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    timezone: z.string(),
    rateSlots: z.array(
      z.object({
        days: z.array(Day),
        start: z.string(),
        end: z.string(),
        rateCentsPerHour: z.number().int(),
        maxStayMinutes: z.number().int().optional(),
        graceMinutes: z.number().int().optional(),
      }),
    ),
    enforcement: z.array(z.object({ days: z.array(Day), start: z.string(), end: z.string() })),
    graceMinutes: z.number().int(),
    maxStayMinutes: z.number().int(),
    incrementMinutes: z.number().int(),
    meterAlertSeconds: z.number().int().optional(),
    defaultViolationCode: z.string().optional(),
    capacity: z.number().int().nullable(),
    version: z.number().int(),
    updatedAt: z.string(),
    live: z
      .object({
        activeSessions: z.number().int(),
        permits: z.number().int(),
        meteredSpacesOccupied: z
          .number()
          .int()
          .openapi({ description: "Spaces the zone's meters report taken (meters not offline)" }),
        occupied: z.number().int().openapi({ description: "The larger of activeSessions and meteredSpacesOccupied" }),
      })
      .optional(),
  })
  .openapi("Zone");

export const ZoneCodeParams = z.object({ code: ZoneCode.openapi({ param: { name: "code", in: "path" } }) });
