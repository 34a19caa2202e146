import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { audit } from "../../../http/audit";
import { db } from "../../../storage/db";
import { moveJobs } from "../../../storage/sync-jobs";
import { bearer, errors, json } from "../../common";
import { requireConnector } from "./lookup";
import { presentJob } from "./present";
import { JobIdsBody, ProviderParams, SyncJobSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{provider}/sync/stop",
  tags: ["Sync"],
  summary: "Stop queued and running jobs (all of them, or the listed ones)",
  description:
    "A stopped job is never started or retried again. An attempt already talking to the provider finishes; if it succeeds the job says so.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ProviderParams, body: { required: false, content: { "application/json": { schema: JobIdsBody } } } },
  responses: { 200: json(z.object({ stopped: z.number().int(), jobs: z.array(SyncJobSchema) }), "Stopped"), ...errors(404) },
});

export const stopSync = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const { jobIds } = c.req.valid("json") ?? {};
  requireConnector(provider);
  const jobs = await moveJobs(
    db(c.env.DB),
    c.get("principal").tenantId,
    provider,
    ["queued", "running"],
    { status: "stopped", finishedAt: Date.now() },
    jobIds,
  );
  if (jobs.length) audit(c, "integration.sync.stop", provider, { jobs: jobs.length });
  return c.json({ stopped: jobs.length, jobs: jobs.map(presentJob) }, 200);
});
