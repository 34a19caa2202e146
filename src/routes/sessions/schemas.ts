import { z } from "@hono/zod-openapi";
import { Instant, Plate, UsState, ZoneCode } from "../common";

export const SessionId = z
  .string()
  .regex(/^ses_[A-Za-z0-9-]{1,16}_[A-Za-z0-9]{20}$/, "Not a session id")
  .openapi({ param: { name: "id", in: "path" }, example: "ses_A1_4Fh8kPq2xZt9mWc3bNv7" });

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
  })
  .openapi("Session");

export const StartSession = z
  .object({
    plate: Plate,
    state: UsState.optional(),
    zone: ZoneCode,
    minutes: z.number().int().positive().max(10_080),
    startTime: Instant.optional().openapi({ description: "Defaults to now; may be up to 7 days ahead, not in the past" }),
  })
  .openapi("StartSession");

export const ExtendSession = z.object({ minutes: z.number().int().positive().max(10_080) }).openapi("ExtendSession");

export const SessionIdParams = z.object({ id: SessionId });

export const ListSessionsQuery = z.object({
  zone: ZoneCode.optional(),
  plate: Plate.optional(),
  active: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: Instant.optional().openapi({ description: "Page backwards: sessions that started before this instant" }),
});
