// Reading a job's params inside a connector. A job whose params are wrong fails at once as a client
// error (not retried): asking the provider again would not make them right.
import { ProviderCallError } from "../lib/vendor-call-error";
import type { RefundRequest } from "./contract";

export const invalidParams = (message: string) => new ProviderCallError("client", `invalid params: ${message}`);

export function stringParam(params: Record<string, unknown>, name: string, pattern?: RegExp): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || (pattern && !pattern.test(v))) throw invalidParams(`${name} is not valid`);
  return v;
}

export function requiredString(params: Record<string, unknown>, name: string, pattern?: RegExp): string {
  const v = stringParam(params, name, pattern);
  if (v === undefined) throw invalidParams(`${name} is required`);
  return v;
}

export function intParam(params: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max)
    throw invalidParams(`${name} must be a whole number from ${min} to ${max}`);
  return v as number;
}

/** A refund push's params, as the payments capability takes them: transactionId, amount (cents, optional), reason. */
export function refundParams(params: Record<string, unknown>, transactionId: RegExp): RefundRequest {
  return {
    transactionId: requiredString(params, "transactionId", transactionId),
    amountCents: intParam(params, "amount", 1, 100_000_000),
    reason: stringParam(params, "reason", /^[^\n]{1,140}$/),
  };
}

/** A local date "YYYY-MM-DD" that really exists. */
export function dateParam(params: Record<string, unknown>, name: string): string | undefined {
  const v = stringParam(params, name, /^\d{4}-\d{2}-\d{2}$/);
  const ms = v === undefined ? 0 : Date.parse(`${v}T00:00:00Z`);
  if (v !== undefined && (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== v))
    throw invalidParams(`${name} is not a calendar date`);
  return v;
}

/** params.zones: the zone codes a push is limited to (upper-cased), or null for every zone. */
export function zonesParam(params: Record<string, unknown>): Set<string> | null {
  const zones = params.zones;
  if (zones === undefined) return null;
  if (!Array.isArray(zones) || !zones.every((z) => typeof z === "string"))
    throw invalidParams("zones must be a list of zone codes");
  return new Set(zones.map((z: string) => z.toUpperCase()));
}
