// Parkeon / Flowbird meters. The Stamford guide (docs/sources.md) gives the remote configuration body (`PUT
// …/meter-config/{meterId}`:
// rates per time slot with rate in dollars per hour, maxDuration and gracePeriod in minutes; enforcement
// with alertThreshold in seconds), the base URL (https://api.parkeon.com/v2) and `Authorization: Bearer
// <PARKEON_API_KEY>`. The rest is Curbgate's documented completion (docs/integrations.md, "Parkeon"):
// `GET /v2/meters?zoneNumber=&page=&pageSize=` to find a zone's meters, `GET /v2/meter-config/{meterId}`,
// `GET /v2/account`, an optional `days` list on a rate (a zone priced differently on weekends needs it),
// `Idempotency-Key` on writes, errors as `{ error: { code, message, details? } }`. A sandbox account has
// three meters in every zone it is asked about (METER-<zone>-001…003), so a new city has meters to configure.
import { isDollars, json } from "../http";
import type { Account, SimProvider, SimRequest } from "../types";
import { bearerKey, codedError } from "../vendor-api";

interface Rate {
  timeSlot: string;
  rate: number;
  maxDuration: number;
  gracePeriod: number;
  days?: string[];
}
interface MeterConfig {
  rates: Rate[];
  enforcement: { enabled: boolean; alertThreshold: number; violationCode: string };
}
interface Meter {
  meterId: string;
  zoneNumber: string;
  operational: boolean;
  configVersion: number;
  config: MeterConfig | null;
  configuredAt: string | null;
}

const KEY = /^parkeon_[A-Za-z0-9_]{6,}$/;
const SLOT = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;
const DAYS = new Set(["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]);
const SANDBOX_METERS = 3;
const accounts = new Map<string, Map<string, Meter>>();
const storeOf = (a: Account) => accounts.get(a.id) ?? accounts.set(a.id, new Map()).get(a.id)!;
const isInt = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

const error = codedError;

function provision(a: Account, zone: string) {
  const store = storeOf(a);
  if ([...store.values()].some((m) => m.zoneNumber === zone)) return;
  for (let i = 1; i <= SANDBOX_METERS; i++) {
    const meterId = `METER-${zone}-${String(i).padStart(3, "0")}`;
    store.set(meterId, { meterId, zoneNumber: zone, operational: true, configVersion: 0, config: null, configuredAt: null });
  }
}

function listMeters(r: SimRequest, a: Account) {
  const q = r.url.searchParams;
  const zone = q.get("zoneNumber");
  const page = Number(q.get("page") ?? 1);
  const pageSize = Number(q.get("pageSize") ?? 50);
  if (!Number.isInteger(page) || page < 1 || !isInt(pageSize, 1, 200)) return error(400, "page must be 1 or more, pageSize 1 to 200", "INVALID_PAGE");
  if (zone && !a.live) provision(a, zone);
  const all = [...storeOf(a).values()].filter((m) => !zone || m.zoneNumber === zone);
  const data = all.slice((page - 1) * pageSize, page * pageSize).map(({ config: _config, ...m }) => m);
  return json({ data, page, pageSize, total: all.length });
}

function problemsOf(body: Record<string, unknown>) {
  const out: { field: string; message: string }[] = [];
  const bad = (field: string, message: string) => out.push({ field, message });
  if (!Array.isArray(body.rates) || body.rates.length === 0 || body.rates.length > 24) bad("rates", "1 to 24 rates");
  for (const [i, x] of (Array.isArray(body.rates) ? body.rates : []).entries()) {
    const rate = (x ?? {}) as Record<string, unknown>;
    if (typeof rate.timeSlot !== "string" || !SLOT.test(rate.timeSlot)) bad(`rates[${i}].timeSlot`, "HH:MM-HH:MM");
    if (!isDollars(rate.rate)) bad(`rates[${i}].rate`, "dollars per hour, at most two decimals");
    if (!isInt(rate.maxDuration, 1, 1440)) bad(`rates[${i}].maxDuration`, "minutes, 1 to 1440");
    if (!isInt(rate.gracePeriod, 0, 120)) bad(`rates[${i}].gracePeriod`, "minutes, 0 to 120");
    if (rate.days !== undefined && (!Array.isArray(rate.days) || rate.days.length === 0 || !rate.days.every((d) => DAYS.has(d as string)))) bad(`rates[${i}].days`, "MON…SUN");
  }
  const e = (body.enforcement ?? null) as Record<string, unknown> | null;
  if (!e || typeof e.enabled !== "boolean") bad("enforcement.enabled", "boolean");
  if (!e || !isInt(e.alertThreshold, 0, 86_400)) bad("enforcement.alertThreshold", "seconds after expiry, 0 to 86400");
  if (!e || typeof e.violationCode !== "string" || !e.violationCode) bad("enforcement.violationCode", "required");
  return out;
}

function putConfig(r: SimRequest, a: Account, meterId: string) {
  const meter = storeOf(a).get(meterId);
  if (!meter) return error(404, `No meter ${meterId}`, "METER_NOT_FOUND");
  const details = problemsOf(r.fields);
  if (details.length) return error(422, "The configuration is invalid", "VALIDATION_FAILED", details);
  meter.config = { rates: r.fields.rates as Rate[], enforcement: r.fields.enforcement as MeterConfig["enforcement"] };
  meter.configVersion++;
  meter.configuredAt = new Date().toISOString();
  // The meter downloads its configuration on its next call home.
  return json({ meterId, configVersion: meter.configVersion, status: "PENDING_DOWNLOAD", acceptedAt: meter.configuredAt });
}

export const parkeon: SimProvider = {
  name: "parkeon",
  idempotencyHeader: "idempotency-key",
  createdIdOf: (body) => (typeof body.meterId === "string" ? `${body.meterId}@${String(body.configVersion)}` : null),
  authenticate: bearerKey(KEY),
  handle(r, a) {
    const route = `${r.method} ${r.path}`;
    if (route === "GET /v2/account") return json({ environment: a!.live ? "production" : "sandbox", meters: storeOf(a!).size });
    if (route === "GET /v2/meters") return listMeters(r, a!);
    const config = r.path.match(/^\/v2\/meter-config\/([^/]+)$/);
    if (config && r.method === "PUT") return putConfig(r, a!, decodeURIComponent(config[1]!));
    if (config && r.method === "GET") {
      const meter = storeOf(a!).get(decodeURIComponent(config[1]!));
      return meter ? json({ meterId: meter.meterId, configVersion: meter.configVersion, configuredAt: meter.configuredAt, ...meter.config }) : error(404, `No meter ${config[1]}`, "METER_NOT_FOUND");
    }
    return error(404, `No route ${route}`);
  },
  error: (status, message, code) => error(status, message, code),
  reset: () => accounts.clear(),
};
