// The cron's part of a citation's life: unpaid past its code's days it escalates (the late fee once),
// and past the tenant's collectionsAfterDays after that it is handed to collections and placed with
// Duncan from Curbgate's own record. Running the cron twice (or twice at once) changes nothing more.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { db } from "../../../../src/storage/db";
import { insertViolationCodeOnce } from "../../../../src/storage/violation-codes";
import { runCitationCollections } from "../../../../src/sync/collections";
import { connectTo, settled, sim, syncTenant } from "../../sync/fixtures";
import { citation, vendorCreds } from "../../vendors/sync-vendors";

const DAY = 86_400_000;
const citationRow = (id: string) =>
  env.DB.prepare("SELECT status, late_fee_cents, escalated_at, collections_at, version FROM citations WHERE id = ?")
    .bind(id)
    .first<{
      status: string;
      late_fee_cents: number;
      escalated_at: number | null;
      collections_at: number | null;
      version: number;
    }>();
const stepsOf = (id: string) =>
  env.DB.prepare("SELECT action, actor FROM citation_transitions WHERE citation_id = ? ORDER BY at")
    .bind(id)
    .all<{ action: string; actor: string }>()
    .then((r) => r.results);
const eventsOf = (id: string) =>
  env.DB.prepare("SELECT type FROM domain_events WHERE subject = ? ORDER BY at")
    .bind(id)
    .all<{ type: string }>()
    .then((r) => r.results.map((e) => e.type));
const jobsOf = (tenantId: string) =>
  env.DB.prepare("SELECT id, params FROM sync_jobs WHERE tenant_id = ? AND provider = 'duncan'")
    .bind(tenantId)
    .all<{ id: string; params: string }>()
    .then((r) => r.results);

async function cityWithCodes(prefix: string) {
  const t = await syncTenant(prefix);
  const now = Date.now();
  const codes = [
    { code: "PKG-001", name: "Expired meter", fineCents: 2500, escalateAfterDays: 30, lateFeeCents: 1500, active: true },
    { code: "PKG-099", name: "Warning", fineCents: 0, escalateAfterDays: null, lateFeeCents: 0, active: true },
  ];
  for (const c of codes) await insertViolationCodeOnce(db(env.DB), t.id, c, now);
  return t;
}

describe("escalation", () => {
  it("escalates an unpaid citation past its code's days once, adding the late fee once, even when the cron runs twice at once", async () => {
    const t = await cityWithCodes("esc");
    const now = Date.now();
    const due = await citation(t.id, { issuedAt: now - 31 * DAY });
    const notYet = await citation(t.id, { issuedAt: now - 29 * DAY });
    const never = await citation(t.id, { issuedAt: now - 400 * DAY, violationCode: "PKG-099" });
    const paid = await citation(t.id, { issuedAt: now - 31 * DAY, status: "paid", paidAt: now - 20 * DAY });

    await Promise.all([runCitationCollections(env, now), runCitationCollections(env, now)]);
    await runCitationCollections(env, now + 60_000);

    expect(await citationRow(due.id)).toMatchObject({ status: "escalated", late_fee_cents: 1500, escalated_at: now, version: 2 });
    expect(await stepsOf(due.id)).toEqual([{ action: "escalate", actor: "system:escalation" }]);
    expect(await eventsOf(due.id)).toEqual(["citation.escalated"]);
    for (const c of [notYet, never]) expect(await citationRow(c.id)).toMatchObject({ status: "issued", late_fee_cents: 0 });
    expect(await citationRow(paid.id)).toMatchObject({ status: "paid" });
  });
});

describe("collections", () => {
  it("hands an escalated citation over after the tenant's delay, once, and Duncan places it from the record", async () => {
    const t = await cityWithCodes("col");
    const c = vendorCreds.duncan();
    await connectTo(t.key, "duncan", c);
    const now = Date.now();
    const over = await citation(t.id, {
      status: "escalated",
      lateFeeCents: 1500,
      issuedAt: now - 70 * DAY,
      escalatedAt: now - 31 * DAY,
    });
    const waiting = await citation(t.id, {
      status: "escalated",
      lateFeeCents: 1500,
      issuedAt: now - 50 * DAY,
      escalatedAt: now - 10 * DAY,
    });

    await Promise.all([runCitationCollections(env, now), runCitationCollections(env, now)]);
    await runCitationCollections(env, now + 60_000);

    expect(await citationRow(over.id)).toMatchObject({ status: "in_collections", collections_at: now });
    expect(await stepsOf(over.id)).toEqual([{ action: "collect", actor: "system:collections" }]);
    expect(await eventsOf(over.id)).toEqual(["citation.in_collections"]);
    expect(await citationRow(waiting.id)).toMatchObject({ status: "escalated" });

    const jobs = await jobsOf(t.id);
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0]!.params)).toEqual({ citationIds: [over.id] });
    const job = await settled(t.key, "duncan", jobs[0]!.id);
    expect(job).toMatchObject({ status: "succeeded", result: { records: 1, detail: { placed: 1 } } });
    const held = await sim(`/duncan/v1/collections/placements/${over.number}`, {
      headers: { authorization: `Bearer ${c.apiKey}` },
    });
    expect(held.body).toMatchObject({ citationNumber: over.number, amountDueCents: 4000, status: "PLACED" });
  });

  it("without Duncan connected, still hands over once and queues nothing", async () => {
    const t = await cityWithCodes("cnd");
    const now = Date.now();
    const over = await citation(t.id, { status: "escalated", issuedAt: now - 70 * DAY, escalatedAt: now - 31 * DAY });
    await runCitationCollections(env, now);
    await runCitationCollections(env, now);
    expect(await citationRow(over.id)).toMatchObject({ status: "in_collections" });
    expect(await stepsOf(over.id)).toHaveLength(1);
    expect(await jobsOf(t.id)).toEqual([]);
  });
});
