// Citations a push hands to an enforcement or collections vendor (AIMS, Duncan), read from Curbgate's
// own records when the job runs, never typed into the job: `params.citationIds` names up to 100 of them
// (the collections cron does), otherwise the push takes what changed since the job's `since`. Each
// connector turns the records into its vendor's shape; money stays in integer cents until then.
import { z } from "zod";
import type { CitationRecord, CitationQuery, ConnectorContext, SyncJobInput } from "../../sync/contract";
import { ProviderCallError } from "../../lib/vendor-call-error";
import { invalidParams } from "../../sync/params";

export const MAX_CITATIONS = 100;
/** A push without ids sends at most this many, oldest first; the next run (its `since`) takes the rest. */
const MAX_PER_JOB = 1000;

const Ids = z
  .array(z.string().regex(/^cit_[A-Za-z0-9]{1,40}$/, "a citation id (cit_…)"))
  .min(1)
  .max(MAX_CITATIONS)
  .refine((ids) => new Set(ids).size === ids.length, "a citation id appears twice");

function idsParam(params: Record<string, unknown>): string[] | undefined {
  if (params.citationIds === undefined) return undefined;
  const parsed = Ids.safeParse(params.citationIds);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw invalidParams(`citationIds${issue.path.map((p) => `[${String(p)}]`).join("")}: ${issue.message}`);
}

/**
 * The citations a job sends. `select` narrows them (AIMS: every citation not issued through AIMS itself;
 * Duncan: those handed to collections). Named ids that are missing or outside the selection are
 * reported in `skipped`, never sent.
 */
export async function citationsToSend(
  ctx: ConnectorContext,
  job: SyncJobInput,
  select: Pick<CitationQuery, "statuses" | "excludeSource" | "by">,
): Promise<{ citations: CitationRecord[]; skipped: string[] }> {
  const ids = idsParam(job.params);
  if (ids) {
    const found = await ctx.data.citations({ ...select, ids, limit: MAX_CITATIONS });
    const sent = new Set(found.map((c) => c.id));
    return { citations: found, skipped: ids.filter((id) => !sent.has(id)) };
  }
  const citations: CitationRecord[] = [];
  let after: CitationQuery["after"];
  while (citations.length < MAX_PER_JOB) {
    const page = await ctx.data.citations({ ...select, fromMs: job.since ?? undefined, after, limit: MAX_CITATIONS });
    citations.push(...page);
    if (page.length < MAX_CITATIONS) break;
    const last = page.at(-1)!;
    after = { at: (select.by === "collections" ? last.collectionsAt : last.createdAt) ?? 0, id: last.id };
  }
  return { citations, skipped: [] };
}

/** Sends each citation in turn; a 409 (the vendor already holds that citation number) counts as done. */
export async function sendEach(
  citations: CitationRecord[],
  send: (c: CitationRecord) => Promise<string>,
): Promise<{ ids: string[]; alreadyHeld: string[] }> {
  const ids: string[] = [];
  const alreadyHeld: string[] = [];
  for (const c of citations) {
    try {
      ids.push(await send(c));
    } catch (err) {
      if (!(err instanceof ProviderCallError && err.status === 409)) throw err;
      alreadyHeld.push(c.number);
    }
  }
  return { ids, alreadyHeld };
}
