// IPS Group SmartCity API v2 (the Stamford integration guide, docs/sources.md: base URL …/smartcity/v2,
// `Authorization: ApiKey <key>`). Entity "sessions": push the tenant's active parking sessions so IPS
// handhelds see who has paid; "violations" and "permits": the guide's syncViolations and syncPermits
// (./enforcement-sync.ts). The wire format is Curbgate's own (docs/integrations.md, "IPS SmartCity API"),
// as the guide gives none.
// Sessions go in batches of 500; each batch's idempotency key names the job, the batch and a digest of
// its content, so a retry of the same batch is replayed once while a later, changed snapshot is sent.
// Each session is shaped by the tenant's field mapping for "sessions" (the default template below
// gives the documented wire format).
import { sha256Hex } from "../../lib/crypto";
import { mapEach } from "../../mapping/apply";
import { sessionRecord } from "../../mapping/curbgate-fields";
import type { Connector, ConnectorContext, FieldDefinition, SyncJobInput } from "../../sync/contract";
import { zonesParam } from "../../sync/params";
import { pushPermits, pushViolations } from "./enforcement-sync";

const BATCH = 500; // IPS accepts at most 500 sessions per request
const MAX_SESSIONS = 20_000;

interface SyncAnswer {
  syncId: string;
  received: number;
  created: number;
  updated: number;
}

const SESSION_FIELDS: FieldDefinition[] = [
  { name: "id", type: "string", required: true, description: "Upsert key" },
  { name: "licensePlate", type: "string", required: true, description: "1-20 upper-case letters or digits" },
  { name: "state", type: "string", description: "Two or three letters, or null" },
  { name: "zoneNumber", type: "string", required: true },
  { name: "startTime", type: "datetime", required: true },
  { name: "endTime", type: "datetime", required: true, description: "After startTime" },
  { name: "amountCents", type: "money", required: true, description: "Whole cents, 0 or more" },
  { name: "status", type: "string", required: true, description: "ACTIVE" },
];

const DEFAULT_SESSIONS = [
  { from: "id", to: "id" },
  { from: "plate", to: "licensePlate" },
  { from: "state", to: "state" },
  { from: "zone", to: "zoneNumber" },
  { from: "startTime", to: "startTime" },
  { from: "endTime", to: "endTime" },
  { from: "amountCents", to: "amountCents" },
  { from: "status", to: "status", transform: "uppercase" },
];

async function pushSessions(ctx: ConnectorContext, job: SyncJobInput) {
  const zones = zonesParam(job.params);
  const sessions = (await ctx.data.activeSessions(ctx.nowMs, MAX_SESSIONS)).filter((s) => !zones || zones.has(s.zone));
  const mapped = mapEach(sessions.map(sessionRecord), await ctx.fieldMappings("sessions"), SESSION_FIELDS);
  const totals = { batches: 0, created: 0, updated: 0, syncIds: [] as string[] };
  let received = 0;
  for (let at = 0; at < mapped.length; at += BATCH) {
    const body = { sessions: mapped.slice(at, at + BATCH) };
    const digest = (await sha256Hex(JSON.stringify(body))).slice(0, 16);
    const res = await ctx.call<SyncAnswer>({
      method: "POST",
      path: "/smartcity/v2/sessions/sync",
      body,
      idempotencyKey: ctx.key(`sessions:${at / BATCH}:${digest}`),
    });
    received += res.body.received;
    totals.batches++;
    totals.created += res.body.created;
    totals.updated += res.body.updated;
    totals.syncIds.push(res.body.syncId);
  }
  return { records: received, detail: { ...totals, active: sessions.length } };
}

export const connector: Connector = {
  provider: "ips",
  defaultBaseUrl: "https://api.ipsgroup.com",
  authorize(headers, credentials) {
    headers.set("authorization", `ApiKey ${credentials.apiKey ?? ""}`);
    if (credentials.clientId) headers.set("x-client-id", credentials.clientId);
  },
  idempotencyHeader: "Idempotency-Key",
  rateLimitPerMinute: 120,
  async test(ctx) {
    const res = await ctx.call<{ environment: string; clientId: string | null }>({
      method: "GET",
      path: "/smartcity/v2/account",
    });
    return { environment: res.body.environment, clientId: res.body.clientId };
  },
  entities: {
    sessions: {
      directions: ["push"],
      description: "Push: every active session (optionally only params.zones) to IPS, 500 per request.",
      run: pushSessions,
    },
    violations: {
      directions: ["push"],
      description:
        "Push: violations observed in the last 7 days (or params.from/to) with status PENDING or ISSUED (or params.status), optionally only params.zones; 500 per request.",
      run: pushViolations,
    },
    permits: {
      directions: ["push"],
      description:
        "Push: RESIDENTIAL, BUSINESS and VISITOR permits (or params.types) active now (params.activeOnly: false for all); 500 per request.",
      run: pushPermits,
    },
  },
  fields: { sessions: SESSION_FIELDS },
  mappings: {
    sessions: {
      curbgate: "session",
      direction: "outbound",
      templates: {
        default: DEFAULT_SESSIONS,
        // For cities whose handhelds match on the plate alone and do not want the issuing state shared.
        "no-state": DEFAULT_SESSIONS.filter((m) => m.to !== "state"),
      },
    },
  },
};
