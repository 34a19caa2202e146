// Parkeon / Flowbird meters (the Stamford integration guide, docs/sources.md: base URL
// https://api.parkeon.com/v2, `Authorization: Bearer
// <PARKEON_API_KEY>`, the remote configuration body), entity "meters": push each zone's rules to every
// meter Parkeon has in that zone, so the meters sell what Curbgate's plate checks enforce. A zone rule
// becomes a meter configuration: each rate slot a time slot (dollars per hour, the days it applies),
// the maximum stay as maxDuration, the grace period (each slot's own where it has them), and the
// enforcement alert (the zone's meterAlertSeconds and defaultViolationCode, which a meter's own
// configuration sets, else the end of grace and the connection's violationCode).
// Each PUT carries `Idempotency-Key: <job>:meter:<id>:<digest of the configuration>`, so a retried job
// replays what it sent while a job run after a rule change sends the new rules.
import { sha256Hex } from "../../lib/crypto";
import type { ZoneRules } from "../../domain/types";
import { dollars } from "../shared/money";
import { invalidParams, zonesParam } from "../../sync/params";
import type { Connector, ConnectorContext, SyncJobInput } from "../../sync/contract";

const PAGE_SIZE = 200;
const MAX_DURATION = 1440; // a meter sells at most a day

interface ParkeonMeter {
  meterId: string;
  zoneNumber: string;
}

export function meterConfig(rules: ZoneRules, violationCode: string) {
  return {
    rates: rules.rateSlots.map((s) => ({
      timeSlot: `${s.start}-${s.end}`,
      rate: dollars(s.rateCentsPerHour),
      maxDuration: Math.min(s.maxStayMinutes ?? rules.maxStayMinutes, MAX_DURATION),
      gracePeriod: s.graceMinutes ?? rules.graceMinutes,
      days: s.days,
    })),
    enforcement: {
      enabled: rules.enforcement.length > 0,
      alertThreshold: rules.meterAlertSeconds ?? rules.graceMinutes * 60,
      violationCode: rules.defaultViolationCode ?? violationCode,
    },
  };
}

async function metersIn(ctx: ConnectorContext, zone: string): Promise<ParkeonMeter[]> {
  const meters: ParkeonMeter[] = [];
  for (let page = 1; ; page++) {
    const res = await ctx.call<{ data: ParkeonMeter[]; total: number }>({
      method: "GET",
      path: "/v2/meters",
      query: { zoneNumber: zone, page, pageSize: PAGE_SIZE },
    });
    meters.push(...res.body.data);
    if (res.body.data.length === 0 || meters.length >= res.body.total) return meters;
  }
}

async function pushMeterConfig(ctx: ConnectorContext, job: SyncJobInput) {
  const only = zonesParam(job.params);
  const violationCode = typeof ctx.settings.violationCode === "string" ? ctx.settings.violationCode : "PKG-001";
  const zones = (await ctx.data.zones()).filter((z) => !only || only.has(z.code));
  if (only && zones.length < only.size)
    throw invalidParams(`no such zone: ${[...only].filter((c) => !zones.some((z) => z.code === c)).join(", ")}`);
  const detail = { zones: 0, meters: 0, configVersions: {} as Record<string, number>, skipped: [] as string[] };
  for (const zone of zones) {
    if (zone.rateSlots.length === 0) {
      detail.skipped.push(zone.code); // a free zone has nothing for a meter to sell
      continue;
    }
    const config = meterConfig(zone, violationCode);
    const digest = (await sha256Hex(JSON.stringify(config))).slice(0, 16);
    detail.zones++;
    for (const meter of await metersIn(ctx, zone.code)) {
      const res = await ctx.call<{ configVersion: number }>({
        method: "PUT",
        path: `/v2/meter-config/${encodeURIComponent(meter.meterId)}`,
        body: config,
        idempotencyKey: ctx.key(`meter:${meter.meterId}:${digest}`),
      });
      detail.meters++;
      detail.configVersions[meter.meterId] = res.body.configVersion;
    }
  }
  return { records: detail.meters, detail };
}

export const connector: Connector = {
  provider: "parkeon",
  defaultBaseUrl: "https://api.parkeon.com",
  authorize: (headers, credentials) => headers.set("authorization", `Bearer ${credentials.apiKey ?? ""}`),
  idempotencyHeader: "Idempotency-Key",
  rateLimitPerMinute: 120,
  async test(ctx) {
    const res = await ctx.call<{ environment: string; meters: number }>({ method: "GET", path: "/v2/account" });
    return { environment: res.body.environment, meters: res.body.meters };
  },
  entities: {
    meters: {
      directions: ["push"],
      description:
        "Push: each zone's rates, maximum stay, grace period and enforcement threshold to every Parkeon meter in it (optionally only params.zones). settings.violationCode (default PKG-001).",
      run: pushMeterConfig,
    },
  },
};
