// The daily life of an unpaid citation, run by the five-minute cron: past its violation code's days it
// escalates (the code's late fee added once), and past the tenant's collectionsAfterDays after that it
// is handed to collections. Each step is a lifecycle transition (citation-lifecycle.ts) by a system
// actor, audited and with its event; a citation that escalated or went to collections never qualifies
// again, so a second run (or two overlapping ones) changes nothing more. A citation paid or voided
// between the scan and the step is refused by the lifecycle (409) and skipped.
import type { Bindings } from "../env";
import { isFailure } from "../lib/failure";
import { escalatedBefore, escalationCandidates } from "../storage/citations";
import { db } from "../storage/db";
import { enforcementSettingsOf } from "../storage/enforcement-settings";
import { transitionCitation } from "./citation-lifecycle";

const DAY = 86_400_000;
const PER_RUN = 200; // more than this due at once: the next run takes the rest

/** Applies one step; false when the citation changed under it (paid, voided) or is gone. */
async function step(env: Bindings, tenantId: string, id: string, action: "escalate" | "collect", atMs: number) {
  try {
    await transitionCitation(env, tenantId, id, action, {
      actor: `system:${action === "escalate" ? "escalation" : "collections"}`,
      atMs,
    });
    return true;
  } catch (err) {
    if (isFailure(err, "conflict", "not_found")) return false;
    throw err;
  }
}

/** Escalates every citation due at `nowMs`; answers how many it escalated. */
export async function escalateDueCitations(env: Bindings, nowMs: number): Promise<number> {
  let escalated = 0;
  for (const c of await escalationCandidates(db(env.DB), nowMs, PER_RUN))
    if (await step(env, c.tenantId, c.id, "escalate", nowMs)) escalated++;
  return escalated;
}

/** Hands over every escalated citation whose tenant's delay has passed; answers the ids per tenant. */
export async function collectDueCitations(env: Bindings, nowMs: number): Promise<Map<string, string[]>> {
  const database = db(env.DB);
  const handed = new Map<string, string[]>();
  const delayDays = new Map<string, number>();
  for (const c of await escalatedBefore(database, nowMs, PER_RUN)) {
    let days = delayDays.get(c.tenantId);
    if (days === undefined) {
      days = (await enforcementSettingsOf(database, c.tenantId)).collectionsAfterDays;
      delayDays.set(c.tenantId, days);
    }
    if ((c.escalatedAt ?? nowMs) + days * DAY > nowMs) continue;
    if (await step(env, c.tenantId, c.id, "collect", nowMs)) handed.set(c.tenantId, [...(handed.get(c.tenantId) ?? []), c.id]);
  }
  return handed;
}
