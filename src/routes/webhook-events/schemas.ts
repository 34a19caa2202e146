import { z } from "@hono/zod-openapi";
import { Instant } from "../common";

export const EventStatus = z.enum(["received", "processing", "processed", "unhandled", "failed", "dead"]);

export const WebhookEventSummary = z
  .object({
    id: z.string(),
    provider: z.string(),
    externalId: z.string(),
    type: z.string(),
    status: EventStatus,
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    receivedAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .openapi("WebhookEventSummary");

export const WebhookEventDetail = WebhookEventSummary.extend({
  headers: z.record(z.string(), z.string()).openapi({ description: "As received; signatures and credentials masked" }),
  url: z.string().nullable(),
  payload: z.string().nullable(),
  effect: z.unknown().nullable(),
  attemptLog: z.array(
    z.object({
      attempt: z.number().int(),
      ok: z.boolean(),
      error: z.string().nullable(),
      startedAt: z.string(),
      durationMs: z.number().int(),
    }),
  ),
}).openapi("WebhookEventDetail");

export const EventIdParams = z.object({
  id: z
    .string()
    .regex(/^whe_[A-Za-z0-9]{20}$/, "Not a webhook event id")
    .openapi({ param: { name: "id", in: "path" } }),
});

export const ListEventsQuery = z.object({
  provider: z.string().max(32).optional(),
  type: z.string().max(128).optional(),
  status: EventStatus.optional(),
  since: Instant.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
