// IPS's violation report, exactly the body of the Stamford integration guide's "Violation Reporting"
// (docs/sources.md; kept verbatim in test/fixtures/enforcement/ips-violation.json): the officer, the
// device, the location, the type, the fine in dollars, evidence by URL, the weather and the time of day.
// The same body arrives as POST /api/ips/violations (src/routes/api/ips/violations.ts) and as the `data`
// of the violation.created and violation.updated webhooks (./index.ts), so it is defined once here.
// The plate, state and zone schemas are the caller's: the route passes the API's own (src/routes/common.ts,
// the one place a request's plate is normalised), the webhook reader passes WEBHOOK_FIELDS below.
//
// Curbgate's additions, since the guide shows no more: `status` (PENDING, ISSUED or CANCELLED; absent,
// a new violation is PENDING and a known one keeps its status), and the limits below.
import { z } from "zod";
import { normalizePlate, normalizeState } from "../../domain/plates";
import type { ViolationReport, ViolationStatus } from "../../domain/violations";

const MAX_EVIDENCE = 10;
const MAX_METADATA_CHARS = 2048;
const FUTURE_SKEW_MS = 5 * 60_000; // a handheld's clock may run a little fast; a report from later than that is wrong

export const IPS_STATUS = { PENDING: "pending", ISSUED: "issued", CANCELLED: "cancelled" } as const;
export const ipsStatusOf = (s: ViolationStatus) =>
  (Object.keys(IPS_STATUS) as (keyof typeof IPS_STATUS)[]).find((k) => IPS_STATUS[k] === s)!;

const Instant = z.iso.datetime({ offset: true });
const Text = (max: number) => z.string().min(1).max(max);

/** Dollars with at most two decimals, as the guide's `fineAmount: 25.00`. */
const Dollars = z
  .number()
  .min(0)
  .max(100_000)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, "Dollars with at most two decimals, e.g. 25.00");

function isHttpUrl(s: string): boolean {
  try {
    return /^https?:$/.test(new URL(s).protocol);
  } catch {
    return false;
  }
}

const Evidence = z.object({
  type: z.enum(["PHOTO", "VIDEO"]),
  url: z.string().max(2048).refine(isHttpUrl, "An absolute http(s) URL"),
  timestamp: Instant.optional(),
  /** Seconds, for a video. */
  duration: z.number().min(0).max(86_400).optional(),
  metadata: z
    .record(z.string(), z.unknown())
    .refine((m) => JSON.stringify(m).length <= MAX_METADATA_CHARS, `At most ${MAX_METADATA_CHARS} characters of JSON`)
    .optional(),
});

export interface FieldSchemas {
  plate: z.ZodType<string>;
  state: z.ZodType<string>;
  zone: z.ZodType<string>;
}

export function ipsViolationSchema(f: FieldSchemas) {
  return z.object({
    violationId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, "1–128 letters, digits, '_', '.', ':' or '-'"),
    timestamp: Instant.refine((s) => Date.parse(s) <= Date.now() + FUTURE_SKEW_MS, "Must not be in the future"),
    licensePlate: f.plate,
    state: f.state.optional(),
    location: z.object({
      zoneNumber: f.zone,
      latitude: z.number().min(-90).max(90).optional(),
      longitude: z.number().min(-180).max(180).optional(),
      address: Text(500).optional(),
    }),
    violationType: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "1–64 letters, digits, '_' or '-', e.g. EXPIRED_METER")
      .transform((s) => s.toUpperCase()),
    description: z.string().max(1000).optional(),
    fineAmount: Dollars.optional(),
    officerId: Text(128).optional(),
    deviceId: Text(128).optional(),
    evidence: z.array(Evidence).max(MAX_EVIDENCE).optional(),
    weather: Text(100).optional(),
    timeOfDay: Text(100).optional(),
    status: z.enum(["PENDING", "ISSUED", "CANCELLED"]).optional(),
  });
}

export type IpsViolation = z.infer<ReturnType<typeof ipsViolationSchema>>;

/** The webhook's plate, state and zone: normalised as the API's request schemas do it. */
const WEBHOOK_FIELDS: FieldSchemas = {
  plate: z.string().max(20).transform(normalizePlate).pipe(z.string().min(1, "A plate needs at least one letter or digit")),
  state: z
    .string()
    .regex(/^[A-Za-z]{2,3}$/, "Two or three letters, e.g. CT")
    .transform((s) => normalizeState(s) as string),
  zone: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,16}$/, "1–16 letters, digits or dashes")
    .transform((s) => s.toUpperCase()),
};
const WebhookViolation = ipsViolationSchema(WEBHOOK_FIELDS);

/** A webhook's `data` as a violation, or the first problem with it ("data.location.zoneNumber: …"). */
export function parseWebhookViolation(data: unknown): { ok: true; body: IpsViolation } | { ok: false; problem: string } {
  const parsed = WebhookViolation.safeParse(data);
  if (parsed.success) return { ok: true, body: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, problem: `${["data", ...issue.path.map(String)].join(".")}: ${issue.message}` };
}

/** The report in Curbgate's terms: cents, UTC ms, lower-case status. */
export function reportOf(b: IpsViolation): ViolationReport {
  return {
    source: "ips",
    externalId: b.violationId,
    status: b.status && IPS_STATUS[b.status],
    plate: b.licensePlate,
    state: b.state ?? null,
    zone: b.location.zoneNumber,
    violationType: b.violationType,
    description: b.description ?? null,
    fineCents: b.fineAmount === undefined ? null : Math.round(b.fineAmount * 100),
    officerId: b.officerId ?? null,
    deviceId: b.deviceId ?? null,
    latitude: b.location.latitude ?? null,
    longitude: b.location.longitude ?? null,
    address: b.location.address ?? null,
    weather: b.weather ?? null,
    timeOfDay: b.timeOfDay ?? null,
    observedAt: Date.parse(b.timestamp),
    evidence: (b.evidence ?? []).map((e) => ({
      kind: e.type,
      url: e.url,
      capturedAt: e.timestamp ? Date.parse(e.timestamp) : null,
      // The guide's video carries `duration` beside `metadata`; Curbgate keeps it in the evidence's metadata.
      metadata:
        e.metadata || e.duration !== undefined
          ? { ...e.metadata, ...(e.duration !== undefined ? { duration: e.duration } : {}) }
          : null,
    })),
  };
}
