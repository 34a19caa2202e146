// The guide's `syncWithIPS` (docs/sources.md) beyond sessions: `syncViolations({ status: ['PENDING',
// 'ISSUED'], dateRange: the last 7 days })` and `syncPermits({ types: ['RESIDENTIAL', 'BUSINESS',
// 'VISITOR'], activeOnly: true })`, as two push entities. The guide names the operations only, so paths,
// bodies and answers are Curbgate's (docs/integrations.md, "IPS SmartCity API"):
//
//   POST /smartcity/v2/violations/sync  { violations: [<the guide's violation report, plus status and curbgateId>] }
//   POST /smartcity/v2/permits/sync     { permits: [{ number, curbgateId, type, licensePlate, state, zones, validFrom, validUntil, status }] }
//   each answering { syncId, received, created, updated }
//
// Violations are sent in the shape IPS reports them in (fineAmount in dollars), keyed by IPS's own
// violationId when IPS reported them, else by Curbgate's id. Batches of 500, each with an idempotency key
// naming the job, the batch and a digest of its content, as for sessions.
import type { PermitType } from "../../domain/types";
import type { ViolationStatus } from "../../domain/violations";
import { sha256Hex } from "../../lib/crypto";
import type { ConnectorContext, PermitRecord, SyncJobInput, SyncResult, ViolationRecord } from "../../sync/contract";
import { invalidParams, stringParam, zonesParam } from "../../sync/params";
import { dollars } from "../shared/money";
import { ipsStatusOf, IPS_STATUS } from "./violation";

const BATCH = 500;
const MAX_RECORDS = 20_000;
const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 7;
const MAX_RANGE_DAYS = 92;
const PERMIT_TYPES: PermitType[] = ["RESIDENTIAL", "BUSINESS", "VISITOR"];

interface SyncAnswer {
  syncId: string;
  received: number;
  created: number;
  updated: number;
}

/** params[name]: a list drawn from `allowed` (upper case), or `fallback` when absent. */
function listParam<T extends string>(params: Record<string, unknown>, name: string, allowed: readonly T[], fallback: T[]): T[] {
  const v = params[name];
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "string" && allowed.includes(x.toUpperCase() as T)))
    throw invalidParams(`${name} must be a non-empty list of ${allowed.join(", ")}`);
  return [...new Set(v.map((x: string) => x.toUpperCase() as T))];
}

function instantParam(params: Record<string, unknown>, name: string): number | undefined {
  const v = stringParam(params, name);
  if (v === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) throw invalidParams(`${name} must be an ISO 8601 instant`);
  return ms;
}

/** params.from / params.to (ISO instants), by default the 7 days before now; at most 92 days. */
function rangeParam(params: Record<string, unknown>, nowMs: number) {
  const toMs = instantParam(params, "to") ?? nowMs;
  const fromMs = instantParam(params, "from") ?? toMs - DEFAULT_DAYS * DAY_MS;
  if (toMs <= fromMs) throw invalidParams("to must be after from");
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) throw invalidParams(`from and to may be at most ${MAX_RANGE_DAYS} days apart`);
  return { fromMs, toMs };
}

const iso = (ms: number) => new Date(ms).toISOString();

export const ipsViolationWire = (v: ViolationRecord) => ({
  violationId: v.source === "ips" && v.externalId ? v.externalId : v.id,
  curbgateId: v.id,
  status: ipsStatusOf(v.status),
  timestamp: iso(v.observedAt),
  licensePlate: v.plate,
  state: v.state,
  location: { zoneNumber: v.zone, latitude: v.latitude, longitude: v.longitude, address: v.address },
  violationType: v.violationType,
  description: v.description,
  fineAmount: v.fineCents === null ? null : dollars(v.fineCents),
  officerId: v.officerId,
  deviceId: v.deviceId,
  citationId: v.citationId,
  evidence: v.evidence.map((e) => ({ type: e.kind, url: e.url, stored: e.stored, sha256: e.sha256 })),
});

export const ipsPermitWire = (p: PermitRecord) => ({
  number: p.number,
  curbgateId: p.id,
  type: p.type,
  licensePlate: p.plate,
  state: p.state,
  zones: p.zones,
  validFrom: iso(p.validFrom),
  validUntil: iso(p.validUntil),
  status: p.status.toUpperCase(),
});

/** Sends `records` in batches of 500 to `path` under `field`; totals of IPS's answers. */
async function sendBatches(ctx: ConnectorContext, entity: string, path: string, records: unknown[]) {
  const totals = { batches: 0, received: 0, created: 0, updated: 0, syncIds: [] as string[] };
  for (let at = 0; at < records.length; at += BATCH) {
    const body = { [entity]: records.slice(at, at + BATCH) };
    const digest = (await sha256Hex(JSON.stringify(body))).slice(0, 16);
    const res = await ctx.call<SyncAnswer>({
      method: "POST",
      path,
      body,
      idempotencyKey: ctx.key(`${entity}:${at / BATCH}:${digest}`),
    });
    totals.batches++;
    totals.received += res.body.received;
    totals.created += res.body.created;
    totals.updated += res.body.updated;
    totals.syncIds.push(res.body.syncId);
  }
  return totals;
}

export async function pushViolations(ctx: ConnectorContext, job: SyncJobInput): Promise<SyncResult> {
  const { fromMs, toMs } = rangeParam(job.params, ctx.nowMs);
  const statuses = listParam(job.params, "status", Object.keys(IPS_STATUS) as (keyof typeof IPS_STATUS)[], ["PENDING", "ISSUED"]);
  const zones = zonesParam(job.params);
  const found = await ctx.data.violations({
    fromMs,
    toMs,
    statuses: statuses.map((s): ViolationStatus => IPS_STATUS[s]),
    limit: MAX_RECORDS,
  });
  const chosen = found.filter((v) => !zones || zones.has(v.zone));
  const { received, ...detail } = await sendBatches(
    ctx,
    "violations",
    "/smartcity/v2/violations/sync",
    chosen.map(ipsViolationWire),
  );
  return { records: received, detail: { ...detail, found: chosen.length, from: iso(fromMs), to: iso(toMs), status: statuses } };
}

export async function pushPermits(ctx: ConnectorContext, job: SyncJobInput): Promise<SyncResult> {
  const types = listParam(job.params, "types", PERMIT_TYPES, PERMIT_TYPES);
  const activeOnly = job.params.activeOnly ?? true;
  if (typeof activeOnly !== "boolean") throw invalidParams("activeOnly must be true or false");
  const found = await ctx.data.permits({ types, activeAt: activeOnly ? ctx.nowMs : null, limit: MAX_RECORDS });
  const { received, ...detail } = await sendBatches(ctx, "permits", "/smartcity/v2/permits/sync", found.map(ipsPermitWire));
  return { records: received, detail: { ...detail, found: found.length, types, activeOnly } };
}
