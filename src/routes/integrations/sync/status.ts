import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { findByProvider } from "../../../storage/connections";
import { db } from "../../../storage/db";
import { findJob, jobCounts, jobPage } from "../../../storage/sync-jobs";
import { bearer, errors, json } from "../../common";
import { gateOf, requireConnector } from "./lookup";
import { presentBreaker, presentJob } from "./present";
import { BreakerSchema, JobCounts, ProviderParams, StatusQuery, SyncJobSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{provider}/sync/status",
  tags: ["Sync"],
  summary: "Where the tenant's syncs with a provider stand: job counts, the last success and failure, the breaker",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  request: { params: ProviderParams, query: StatusQuery },
  responses: {
    200: json(
      z.object({
        provider: z.string(),
        connected: z.boolean(),
        counts: JobCounts,
        lastSucceeded: SyncJobSchema.nullable(),
        lastFailed: SyncJobSchema.nullable(),
        // A union, not .nullable(): that would mark the shared CircuitBreaker component itself nullable.
        breaker: z.union([BreakerSchema, z.null()]),
        job: SyncJobSchema.nullable().openapi({ description: "The job named by ?jobId=, else null" }),
      }),
      "Sync status",
    ),
    ...errors(404),
  },
});

export const syncStatus = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const { jobId } = c.req.valid("query");
  const tenantId = c.get("principal").tenantId;
  const connector = requireConnector(provider);
  const database = db(c.env.DB);
  const job = jobId ? await findJob(database, tenantId, jobId) : null;
  if (jobId && (!job || job.provider !== provider)) throw new ApiError(404, "Sync job not found");
  const [connection, counts, [succeeded], [failed], [dead]] = await Promise.all([
    findByProvider(database, tenantId, provider),
    jobCounts(database, tenantId, provider),
    jobPage(database, tenantId, provider, 1, undefined, "succeeded"),
    jobPage(database, tenantId, provider, 1, undefined, "failed"),
    jobPage(database, tenantId, provider, 1, undefined, "dead"),
  ]);
  const lastFailed = [failed, dead].filter((j) => j !== undefined).sort((a, b) => b.updatedAt - a.updatedAt)[0];
  let breaker = null;
  if (connection) {
    const { gate, settings } = gateOf(c.env, tenantId, connector, connection);
    breaker = presentBreaker(provider, connection.id, await gate.status(settings), settings);
  }
  return c.json(
    {
      provider,
      connected: connection !== null,
      counts,
      breaker,
      lastSucceeded: succeeded ? presentJob(succeeded) : null,
      lastFailed: lastFailed ? presentJob(lastFailed) : null,
      job: job ? presentJob(job) : null,
    },
    200,
  );
});
