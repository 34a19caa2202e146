// Scheduled connector jobs: a tenant sets an entity to push or pull every N minutes; the five-minute cron
// queues each due schedule's job once (even when two cron runs overlap), with `since` the previous run,
// and says why when it could not (the vendor not connected).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runDueSchedules } from "../../../src/sync/schedules";
import { call, expectProblem, json, NO_SCOPES } from "../fixtures";
import { connectTo, creds, syncTenant } from "./fixtures";

const MIN = 60_000;
const put = (key: string, provider: string, entity: string, body: unknown) =>
  call(`/v1/integrations/${provider}/sync/schedules/${entity}`, { key, method: "PUT", body });
const jobsOf = (tenantId: string) =>
  env.DB.prepare("SELECT id, provider, entity, direction, since, params FROM sync_jobs WHERE tenant_id = ? ORDER BY created_at")
    .bind(tenantId)
    .all<{ id: string; provider: string; entity: string; direction: string; since: number | null; params: string }>()
    .then((r) => r.results);

describe("PUT/GET/DELETE /v1/integrations/{provider}/sync/schedules", () => {
  it("saves a schedule for a connected vendor, lists it, and removes it", async () => {
    const t = await syncTenant("sch");
    await connectTo(t.key, "ips", creds.ips());
    const before = Date.now();
    const res = await put(t.key, "ips", "sessions", { direction: "push", everyMinutes: 60, params: { hours: 24 } });
    expect(res.status).toBe(200);
    const saved = await json(res);
    expect(saved).toMatchObject({ provider: "ips", entity: "sessions", direction: "push", everyMinutes: 60, enabled: true });
    expect(Date.parse(saved.nextRunAt)).toBeGreaterThanOrEqual(before + 60 * MIN);

    const listed = await json(await call("/v1/integrations/ips/sync/schedules", { key: t.key }));
    expect(listed.data).toEqual([saved]);
    expect((await call("/v1/integrations/ips/sync/schedules/sessions", { key: t.key, method: "DELETE" })).status).toBe(204);
    expect((await json(await call("/v1/integrations/ips/sync/schedules", { key: t.key }))).data).toEqual([]);
    await expectProblem(await call("/v1/integrations/ips/sync/schedules/sessions", { key: t.key, method: "DELETE" }), 404);
  });

  it("refuses what the connector cannot do, too short an interval, and a vendor not connected", async () => {
    const t = await syncTenant("sch");
    await expectProblem(await put(t.key, "ips", "sessions", { direction: "push", everyMinutes: 60 }), 409); // not connected
    await connectTo(t.key, "ips", creds.ips());
    const entity = await expectProblem(await put(t.key, "ips", "nothing", { direction: "push", everyMinutes: 60 }), 422);
    expect(entity.errors?.[0]?.path).toBe("entity");
    const direction = await expectProblem(await put(t.key, "ips", "sessions", { direction: "pull", everyMinutes: 60 }), 422);
    expect(direction.errors?.[0]?.path).toBe("direction");
    await expectProblem(await put(t.key, "ips", "sessions", { direction: "push", everyMinutes: 5 }), 422);
    await expectProblem(await put(t.key, "nosuchvendor", "sessions", { direction: "push", everyMinutes: 60 }), 404);
    expect((await json(await call("/v1/integrations/ips/sync/schedules", { key: t.key }))).data).toEqual([]);
  });

  it("needs a credential and the integrations scopes; a tenant sees only its own schedules", async () => {
    const t = await syncTenant("sch");
    await connectTo(t.key, "ips", creds.ips());
    expect((await put(t.key, "ips", "sessions", { direction: "push", everyMinutes: 60 })).status).toBe(200);
    await expectProblem(await call("/v1/integrations/ips/sync/schedules", { key: null }), 401);
    await expectProblem(await call("/v1/integrations/ips/sync/schedules", { key: NO_SCOPES }), 403);
    await expectProblem(await put(NO_SCOPES, "ips", "sessions", { direction: "push", everyMinutes: 60 }), 403);
    const other = await syncTenant("sch");
    expect((await json(await call("/v1/integrations/ips/sync/schedules", { key: other.key }))).data).toEqual([]);
    await expectProblem(await call("/v1/integrations/ips/sync/schedules/sessions", { key: other.key, method: "DELETE" }), 404);
    expect((await json(await call("/v1/integrations/ips/sync/schedules", { key: t.key }))).data).toHaveLength(1);
  });
});

describe("the cron runs due schedules", () => {
  it("queues each due job once, even when two runs overlap, then again one interval later with since = the last run", async () => {
    const t = await syncTenant("sch");
    await connectTo(t.key, "ips", creds.ips());
    const firstRunAt = new Date(Date.now() - MIN).toISOString();
    expect(
      (await put(t.key, "ips", "sessions", { direction: "push", everyMinutes: 30, params: { hours: 2 }, firstRunAt })).status,
    ).toBe(200);

    const now = Date.now();
    await Promise.all([runDueSchedules(env, now), runDueSchedules(env, now)]);
    let jobs = await jobsOf(t.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ provider: "ips", entity: "sessions", direction: "push", since: null });
    expect(JSON.parse(jobs[0]!.params)).toEqual({ hours: 2 });
    const schedule = (await json(await call("/v1/integrations/ips/sync/schedules", { key: t.key }))).data[0];
    expect(schedule).toMatchObject({ lastJobId: jobs[0]!.id, lastError: null, lastRunAt: new Date(now).toISOString() });

    await runDueSchedules(env, now + 29 * MIN); // not yet due
    expect(await jobsOf(t.id)).toHaveLength(1);
    await runDueSchedules(env, now + 30 * MIN);
    jobs = await jobsOf(t.id);
    expect(jobs).toHaveLength(2);
    expect(jobs[1]!.since).toBe(now);
  });

  it("starts nothing for a vendor that is no longer connected, and says so on the schedule", async () => {
    const t = await syncTenant("sch");
    const { id } = await connectTo(t.key, "ips", creds.ips());
    const firstRunAt = new Date(Date.now() - MIN).toISOString();
    expect((await put(t.key, "ips", "sessions", { direction: "push", everyMinutes: 60, firstRunAt })).status).toBe(200);
    expect((await call(`/v1/integrations/connections/${id}`, { key: t.key, method: "DELETE" })).status).toBeLessThan(300);

    await runDueSchedules(env, Date.now());
    expect(await jobsOf(t.id)).toHaveLength(0);
    const schedule = (await json(await call("/v1/integrations/ips/sync/schedules", { key: t.key }))).data[0];
    expect(schedule.lastError).toMatch(/ips is (not connected|disconnected)/);
  });
});
