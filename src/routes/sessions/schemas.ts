import { z } from "@hono/zod-openapi";
import { isContactFor } from "../../domain/contacts";
import { SESSION_ID_PATTERN } from "../../domain/session-id";
import { Instant, Plate, UsState, ZoneCode } from "../common";

export const SessionId = z
  .string()
  .regex(SESSION_ID_PATTERN, "Not a session id")
  .openapi({ param: { name: "id", in: "path" }, example: "ses_A1_4Fh8kPq2xZt9mWc3bNv7" });

export const ReminderInput = z
  .object({
    channel: z.enum(["sms", "email"]),
    to: z.string().min(3).max(254).openapi({
      description: "E.164 number for sms, an address for email; personal data, masked in every response",
      example: "+12035550123",
    }),
    minutesBefore: z.number().int().min(1).max(1440).default(10),
  })
  .refine((r) => isContactFor(r.channel, r.to), {
    message: "Not a phone number in E.164 form (sms) or an email address (email)",
    path: ["to"],
  })
  .openapi("SessionReminderInput", {
    description:
      "Remind the driver before the session ends, through the city's connected SMS or email provider; an extension moves the reminder to the new end time",
  });

export const ReminderSchema = z
  .object({
    channel: z.enum(["sms", "email"]),
    to: z.string().openapi({ description: "Masked", example: "+12*******23" }),
    minutesBefore: z.number().int(),
    remindAt: z.string(),
    status: z.enum(["scheduled", "queued", "not_sent"]).openapi({
      description: "For the current end time: waiting, handed to the provider's queue, or not sendable (see detail)",
    }),
    detail: z.string().nullable(),
  })
  .openapi("SessionReminder");

export const SessionSchema = z
  .object({
    id: z.string(),
    zone: z.string(),
    plate: z.string(),
    state: z.string().nullable(),
    status: z.enum(["active", "ended", "expired"]),
    startTime: z.string(),
    endTime: z.string(),
    paidMinutes: z.number().int(),
    amountCents: z.number().int(),
    refundCents: z.number().int(),
    paidCents: z.number().int().openapi({ description: "Confirmed by the payment provider's webhooks" }),
    currency: z.literal("USD"),
    endedAt: z.string().nullable(),
    secondsRemaining: z.number().int(),
    reminder: ReminderSchema.optional().openapi({ description: "The live session's expiry reminder, when it has one" }),
  })
  .openapi("Session");

export const StartSession = z
  .object({
    plate: Plate,
    state: UsState.optional(),
    zone: ZoneCode,
    minutes: z.number().int().positive().max(10_080),
    startTime: Instant.optional().openapi({ description: "Defaults to now; may be up to 7 days ahead, not in the past" }),
    reminder: ReminderInput.optional(),
  })
  .openapi("StartSession");

export const ExtendSession = z
  .object({
    minutes: z.number().int().positive().max(10_080),
    reminder: ReminderInput.optional().openapi({ description: "Sets or replaces the reminder" }),
  })
  .openapi("ExtendSession");

export const SessionIdParams = z.object({ id: SessionId });

export const ListSessionsQuery = z.object({
  zone: ZoneCode.optional(),
  plate: Plate.optional(),
  active: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: Instant.optional().openapi({ description: "Page backwards: sessions that started before this instant" }),
});
