// Unpaid citations, from escalation to the collections agency: the cron escalates what is due, hands
// over what has waited the tenant's collectionsAfterDays (src/effects/citation-escalation.ts), and
// queues a Duncan placement job for each tenant whose Duncan is connected. The placement job reads the
// citations from Curbgate's records when it runs (src/vendors/duncan/connector.ts), and Duncan answers a
// citation it already holds with 409, which counts as placed: a job run twice places each citation once.
// A tenant without Duncan keeps its citations `in_collections`; a Duncan push later (on demand or on a
// schedule) places every citation handed over since its `since`.
import { collectDueCitations, escalateDueCitations } from "../effects/citation-escalation";
import type { Bindings } from "../env";
import { log } from "../lib/log";
import { findByProvider } from "../storage/connections";
import { db } from "../storage/db";
import { createJob } from "../storage/sync-jobs";
import { enqueueSyncJobs } from "./enqueue";

const RUNNABLE = new Set(["connected", "error"]);
const MAX_PER_JOB = 100;

export async function runCitationCollections(env: Bindings, nowMs = Date.now()) {
  const escalated = await escalateDueCitations(env, nowMs);
  const handed = await collectDueCitations(env, nowMs);
  let jobs = 0;
  for (const [tenantId, ids] of handed) {
    const connection = await findByProvider(db(env.DB), tenantId, "duncan");
    if (!connection || !RUNNABLE.has(connection.status)) {
      log.info("citations in collections, Duncan not connected", { tenantId, citations: ids.length });
      continue;
    }
    for (let i = 0; i < ids.length; i += MAX_PER_JOB) {
      const citationIds = ids.slice(i, i + MAX_PER_JOB);
      await enqueueSyncJobs(
        env,
        (d) =>
          createJob(
            d,
            {
              tenantId,
              provider: "duncan",
              entity: "citations",
              direction: "push",
              priority: "normal",
              since: null,
              params: { citationIds },
            },
            nowMs,
          ),
        { leaveFailedSendToCron: true },
      );
      jobs++;
    }
  }
  if (escalated || handed.size) log.info("citation escalation ran", { escalated, tenants: handed.size, jobs });
  return { escalated, handedOver: [...handed.values()].reduce((n, ids) => n + ids.length, 0), jobs };
}
