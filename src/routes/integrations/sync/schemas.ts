import { z } from "@hono/zod-openapi";
import { Instant } from "../../common";

const MAX_PARAMS_CHARS = 8 * 1024;
const JobStatus = z.enum(["queued", "running", "succeeded", "failed", "dead", "stopped"]);

export const ProviderParams = z.object({
  provider: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/, "Not a provider id")
    .openapi({ param: { name: "provider", in: "path" }, example: "stripe" }),
});

export const StartSync = z
  .object({
    entity: z.string().min(1).max(64).openapi({ example: "payments" }),
    direction: z.enum(["push", "pull"]),
    since: Instant.optional().openapi({ description: "Pull only what changed since this instant" }),
    priority: z.enum(["high", "normal", "low"]).default("normal"),
    params: z
      .record(z.string(), z.unknown())
      .refine((p) => JSON.stringify(p).length <= MAX_PARAMS_CHARS, `At most ${MAX_PARAMS_CHARS} characters of JSON`)
      .optional()
      .openapi({ description: 'Operation parameters, e.g. {"paymentIntent": "pi_…", "amount": 250} for a Stripe refund' }),
  })
  .openapi("StartSync");

export const SyncJobSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    entity: z.string(),
    direction: z.enum(["push", "pull"]),
    priority: z.enum(["high", "normal", "low"]),
    status: JobStatus,
    since: z.string().nullable(),
    params: z.record(z.string(), z.unknown()),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    result: z.unknown().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi("SyncJob");

export const JobIdsBody = z
  .object({
    jobIds: z
      .array(z.string().regex(/^job_[A-Za-z0-9]{20}$/, "Not a job id"))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Only these jobs; all matching jobs when absent" }),
  })
  .openapi("SyncJobSelection");

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,16}\.job_[A-Za-z0-9]{20}$/, "Not a cursor from a previous page")
    .optional(),
  status: JobStatus.optional(),
});

export const StatusQuery = z.object({
  jobId: z
    .string()
    .regex(/^job_[A-Za-z0-9]{20}$/, "Not a job id")
    .optional()
    .openapi({ description: "Also return this job" }),
});

export const BreakerSchema = z
  .object({
    provider: z.string(),
    connectionId: z.string(),
    state: z.enum(["closed", "open", "half_open"]),
    consecutiveFailures: z.number().int(),
    openedAt: z.string().nullable(),
    nextProbeAt: z.string().nullable(),
    pausedUntil: z.string().nullable().openapi({ description: "Calls wait until then because the provider sent Retry-After" }),
    totals: z.object({
      allowed: z.number().int(),
      rejected: z.number().int(),
      failures: z.number().int(),
      successes: z.number().int(),
    }),
    settings: z.object({ failureThreshold: z.number(), cooldownMs: z.number(), rateLimitPerMinute: z.number() }),
  })
  .openapi("CircuitBreaker");

export const JobCounts = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  dead: z.number().int(),
  stopped: z.number().int(),
});
