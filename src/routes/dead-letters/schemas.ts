import { z } from "@hono/zod-openapi";
import { Instant } from "../common";

export const DeadLetterSchema = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ description: "`webhook`: eventId is a webhook event; `sync`: eventId is a sync job id" }),
    eventId: z.string(),
    provider: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    failedAt: z.string(),
    replayedAt: z.string().nullable(),
  })
  .openapi("DeadLetter");

export const ReplayRange = z
  .object({
    since: Instant,
    until: Instant.optional().openapi({ description: "Defaults to now" }),
    provider: z.string().max(32).optional(),
  })
  .openapi("DeadLetterReplay");
