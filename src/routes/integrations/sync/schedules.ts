// /v1/integrations/{provider}/sync/schedules: connector jobs the tenant runs on a schedule as well as
// on demand (e.g. push citations to AIMS every hour). The five-minute cron starts them (src/sync/schedules.ts).
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { audit } from "../../../http/audit";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { db } from "../../../storage/db";
import { deleteSchedule, listSchedules, putSchedule, type ScheduleRow } from "../../../storage/sync-schedules";
import { bearer, errors, Instant, json, jsonBody } from "../../common";
import { requireConnection, requireConnector, requireOperation } from "./lookup";
import { ProviderParams } from "./schemas";

const MAX_PARAMS_CHARS = 8 * 1024;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const ScheduleSchema = z
  .object({
    provider: z.string(),
    entity: z.string(),
    direction: z.enum(["push", "pull"]),
    params: z.record(z.string(), z.unknown()),
    everyMinutes: z.number().int(),
    enabled: z.boolean(),
    nextRunAt: z.string(),
    lastRunAt: z.string().nullable(),
    lastJobId: z.string().nullable().openapi({ description: "The job the last run queued (GET …/sync/status?jobId=)" }),
    lastError: z.string().nullable().openapi({ description: "Why the last due run queued no job" }),
  })
  .openapi("SyncSchedule");

const PutSchedule = z
  .object({
    direction: z.enum(["push", "pull"]),
    everyMinutes: z.number().int().min(15).max(10_080).openapi({ description: "15 minutes to 7 days", example: 60 }),
    enabled: z.boolean().default(true),
    params: z
      .record(z.string(), z.unknown())
      .refine((p) => JSON.stringify(p).length <= MAX_PARAMS_CHARS, `At most ${MAX_PARAMS_CHARS} characters of JSON`)
      .default({}),
    firstRunAt: Instant.optional().openapi({ description: "When to run first; default one interval from now" }),
  })
  .openapi("PutSyncSchedule");

const EntityParams = ProviderParams.extend({
  entity: z
    .string()
    .regex(/^[a-z0-9_-]{1,64}$/, "Not an entity name")
    .openapi({ param: { name: "entity", in: "path" }, example: "citations" }),
});

const present = (r: ScheduleRow) => ({
  provider: r.provider,
  entity: r.entity,
  direction: r.direction,
  params: r.params,
  everyMinutes: r.everyMinutes,
  enabled: r.enabled,
  nextRunAt: new Date(r.nextRunAt).toISOString(),
  lastRunAt: iso(r.lastRunAt),
  lastJobId: r.lastJobId,
  lastError: r.lastError,
});

const list = createRoute({
  method: "get",
  path: "/{provider}/sync/schedules",
  tags: ["Sync"],
  summary: "The tenant's scheduled jobs with a provider",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  request: { params: ProviderParams },
  responses: { 200: json(z.object({ data: z.array(ScheduleSchema) }), "Schedules"), ...errors(404) },
});

const put = createRoute({
  method: "put",
  path: "/{provider}/sync/schedules/{entity}",
  tags: ["Sync"],
  summary: "Run an entity's push or pull on a schedule (creates or replaces it)",
  description: "Each run is a sync job like POST …/sync, with `since` the previous run. Needs the provider connected (409).",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: EntityParams, body: jsonBody(PutSchedule) },
  responses: { 200: json(ScheduleSchema, "Saved"), ...errors(404, 409) },
});

const remove = createRoute({
  method: "delete",
  path: "/{provider}/sync/schedules/{entity}",
  tags: ["Sync"],
  summary: "Stop running an entity on a schedule",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: EntityParams },
  responses: { 204: { description: "Removed" }, ...errors(404) },
});

export const syncSchedules = router()
  .openapi(list, async (c) => {
    const { provider } = c.req.valid("param");
    requireConnector(provider);
    const rows = await listSchedules(db(c.env.DB), c.get("principal").tenantId, provider);
    return c.json({ data: rows.map(present) }, 200);
  })
  .openapi(put, async (c) => {
    const { provider, entity } = c.req.valid("param");
    const body = c.req.valid("json");
    const tenantId = c.get("principal").tenantId;
    requireOperation(requireConnector(provider), entity, body.direction);
    await requireConnection(c.env, tenantId, provider);
    const now = Date.now();
    const firstRunAt = body.firstRunAt ? Date.parse(body.firstRunAt) : undefined;
    const row = await putSchedule(
      db(c.env.DB),
      {
        tenantId,
        provider,
        entity,
        direction: body.direction,
        params: body.params,
        everyMinutes: body.everyMinutes,
        enabled: body.enabled,
      },
      now,
      firstRunAt,
    );
    audit(c, "sync.schedule.put", `${provider}:${entity}`, { everyMinutes: body.everyMinutes, enabled: body.enabled });
    return c.json(present(row), 200);
  })
  .openapi(remove, async (c) => {
    const { provider, entity } = c.req.valid("param");
    requireConnector(provider);
    const gone = await deleteSchedule(db(c.env.DB), c.get("principal").tenantId, provider, entity);
    if (!gone) throw new ApiError(404, `No schedule for ${provider} ${entity}`);
    audit(c, "sync.schedule.delete", `${provider}:${entity}`);
    return c.body(null, 204);
  });
