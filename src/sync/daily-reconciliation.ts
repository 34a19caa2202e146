// The daily GTCS push (issue 12, item 4). Every five minutes the cron looks, for each tenant with GTCS
// connected, at the tenant's previous local day (23 or 25 hours on daylight-saving days): it builds the
// day as staff see it (./reconciliation-day.ts) and compares its fingerprint with the last version
// pushed. A day never pushed goes as version 1; a day whose content changed since (a late refund, a
// payment that succeeded after the day ended) is a correction and goes as the next version; an
// unchanged day sends nothing. The push is the GTCS connector's own `reconciliation` job, queued like any
// other sync job.
//
// Once per tenant, day and version: the version is claimed by inserting (tenant, date, version) into
// `reconciliation_pushes` before the job is queued, so a second cron run racing the first collides on
// that key and queues nothing; and the job's id is derived from the same triple.
import type { Bindings } from "../env";
import { stableId } from "../lib/ids";
import { isFailure } from "../lib/failure";
import { log } from "../lib/log";
import { previousLocalDate } from "../domain/reconciliation";
import { db } from "../storage/db";
import { findByProvider } from "../storage/connections";
import { claimPush, pushesOf, releasePush, setPushJob, tenantsConnectedTo } from "../storage/report-runs";
import { insertJobOnce } from "../storage/sync-jobs";
import { enqueueSyncJobs } from "./enqueue";
import { DEFAULT_REVENUE_ACCOUNT, reconciliationDay } from "./reconciliation-day";

export const GTCS = "gtcs";
/** GTCS is a US municipal system: the day is reported in dollars (other currencies are counted and left out). */
export const GTCS_CURRENCY = "USD";
const TENANTS_PER_RUN = 500;
/** A claimed version whose job was never recorded this long after (the run died in between) is queued again. */
const CLAIM_STALE_MS = 10 * 60_000;

export type PushOutcome = { tenantId: string; date: string } & (
  | { pushed: true; version: number; jobId: string }
  | { pushed: false; reason: "unchanged" | "taken" | "too_many_transactions" }
);

/** The revenue account a tenant's GTCS connection names, else the guide's. */
export async function gtcsRevenueAccount(env: Bindings, tenantId: string): Promise<string> {
  const conn = await findByProvider(db(env.DB), tenantId, GTCS);
  const account = conn?.settings.revenueAccount;
  return typeof account === "string" && account ? account : DEFAULT_REVENUE_ACCOUNT;
}

/** Pushes one tenant's day if it was never pushed or has changed since; at most once per version. */
export async function pushDayOnce(env: Bindings, tenantId: string, date: string, nowMs: number): Promise<PushOutcome> {
  const database = db(env.DB);
  let day;
  try {
    day = await reconciliationDay(env, tenantId, date, GTCS_CURRENCY, await gtcsRevenueAccount(env, tenantId));
  } catch (err) {
    if (!isFailure(err, "invalid")) throw err;
    log.warn("daily reconciliation too large for GTCS", { tenantId, date, error: err.message });
    return { tenantId, date, pushed: false, reason: "too_many_transactions" };
  }
  const [latest] = await pushesOf(database, tenantId, date);
  if (latest && latest.jobId === null && nowMs - latest.createdAt > CLAIM_STALE_MS) {
    // The run that claimed it died before its job was recorded: queue it now (the job id is the same, so
    // a job that was in fact written is not written twice). A changed day then goes as the next version.
    const key = { tenantId, date, version: latest.version };
    return { tenantId, date, pushed: true, version: key.version, jobId: await queuePush(env, key, nowMs) };
  }
  if (latest?.fingerprint === day.fingerprint) return { tenantId, date, pushed: false, reason: "unchanged" };
  const key = { tenantId, date, version: (latest?.version ?? 0) + 1 };
  const claimed = await claimPush(database, {
    ...key,
    currency: GTCS_CURRENCY,
    fingerprint: day.fingerprint,
    transactions: day.summary.transactions,
    totalCents: day.summary.totalCents,
    createdAt: nowMs,
  });
  if (!claimed) return { tenantId, date, pushed: false, reason: "taken" };
  try {
    return { tenantId, date, pushed: true, version: key.version, jobId: await queuePush(env, key, nowMs) };
  } catch (err) {
    await releasePush(database, key); // no job exists for this version: the next run claims it again
    throw err;
  }
}

/** Queues the GTCS job of one claimed version (its id derived from tenant, date and version) and records it on the claim. */
async function queuePush(env: Bindings, key: { tenantId: string; date: string; version: number }, nowMs: number) {
  const { tenantId, date } = key;
  const id = await stableId("job", `${tenantId}\u0000gtcs-daily\u0000${date}\u0000${key.version}`);
  const job = await enqueueSyncJobs(
    env,
    (d) =>
      insertJobOnce(
        d,
        id,
        {
          tenantId,
          provider: GTCS,
          entity: "reconciliation",
          direction: "push",
          priority: "normal",
          since: null,
          params: { date, currency: GTCS_CURRENCY, version: key.version },
        },
        nowMs,
      ),
    { leaveFailedSendToCron: true },
  );
  await setPushJob(db(env.DB), key, id);
  return job?.id ?? id;
}

/** The cron's step: every GTCS tenant's previous local day. Answers what it did per tenant. */
export async function runDailyReconciliation(env: Bindings, nowMs = Date.now()): Promise<PushOutcome[]> {
  const out: PushOutcome[] = [];
  for (const t of await tenantsConnectedTo(db(env.DB), GTCS, TENANTS_PER_RUN)) {
    try {
      out.push(await pushDayOnce(env, t.tenantId, previousLocalDate(nowMs, t.timezone), nowMs));
    } catch (err) {
      log.error("daily reconciliation failed", { tenantId: t.tenantId, error: String(err) }); // the next run tries again
    }
  }
  const pushed = out.filter((o) => o.pushed).length;
  if (pushed) log.info("daily reconciliations queued", { pushed });
  return out;
}
