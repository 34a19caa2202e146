import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { audit } from "../../../http/audit";
import { markJobLettersReplayed } from "../../../storage/dead-letters";
import { moveJobs } from "../../../storage/sync-jobs";
import { enqueueSyncJobs } from "../../../sync/enqueue";
import { bearer, errors, json } from "../../common";
import { requireConnection, requireConnector } from "./lookup";
import { presentJob } from "./present";
import { JobIdsBody, ProviderParams, SyncJobSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{provider}/sync/retry",
  tags: ["Sync"],
  summary: "Queue failed and dead-lettered jobs again (all of them, or the listed ones)",
  description:
    "Each job keeps its id, so its idempotency keys are the same: steps the provider already applied are not applied twice.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ProviderParams, body: { required: false, content: { "application/json": { schema: JobIdsBody } } } },
  responses: {
    200: json(z.object({ requeued: z.number().int(), jobs: z.array(SyncJobSchema) }), "Queued again"),
    ...errors(404, 409),
  },
});

export const retrySync = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const { jobIds } = c.req.valid("json") ?? {};
  const tenantId = c.get("principal").tenantId;
  requireConnector(provider);
  await requireConnection(c.env, tenantId, provider);
  const jobs = await enqueueSyncJobs(c.env, async (database) => {
    const moved = await moveJobs(
      database,
      tenantId,
      provider,
      ["failed", "dead"],
      { status: "queued", finishedAt: null },
      jobIds,
    );
    if (moved.length)
      await markJobLettersReplayed(
        database,
        tenantId,
        moved.map((j) => j.id),
        Date.now(),
      );
    return moved;
  });
  if (jobs.length) audit(c, "integration.sync.retry", provider, { jobs: jobs.length });
  return c.json({ requeued: jobs.length, jobs: jobs.map(presentJob) }, 200);
});
