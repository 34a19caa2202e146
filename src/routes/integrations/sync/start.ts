import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { createJob } from "../../../storage/sync-jobs";
import { enqueueSyncJobs } from "../../../sync/enqueue";
import { bearer, errors, json, jsonBody } from "../../common";
import { requireConnection, requireConnector, requireOperation } from "./lookup";
import { presentJob } from "./present";
import { ProviderParams, StartSync, SyncJobSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{provider}/sync",
  tags: ["Sync"],
  summary: "Queue a sync job: pull from or push to the provider, through its circuit breaker and rate limit",
  description:
    "Answers 202 with the job; follow it at GET …/sync/status?jobId=. `priority` is recorded for operators; the queue runs jobs in arrival order.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ProviderParams, body: jsonBody(StartSync) },
  responses: { 202: json(SyncJobSchema, "Queued"), ...errors(404, 409) },
});

export const startSync = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const body = c.req.valid("json");
  const tenantId = c.get("principal").tenantId;
  requireOperation(requireConnector(provider), body.entity, body.direction);
  await requireConnection(c.env, tenantId, provider);

  // If the send is lost, the job stays "queued" in D1 and the stale-job cron sends it again.
  const job = await enqueueSyncJobs(c.env, (database) =>
    createJob(database, {
      tenantId,
      provider,
      entity: body.entity,
      direction: body.direction,
      priority: body.priority,
      since: body.since ? Date.parse(body.since) : null,
      params: body.params ?? {},
    }),
  );
  c.header("Location", `/v1/integrations/${provider}/sync/status?jobId=${job.id}`);
  return c.json(presentJob(job), 202);
});
