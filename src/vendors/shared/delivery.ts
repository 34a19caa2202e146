// Reading vendor deliveries, shared by the provider files: bodies decoded without throwing, typed
// field access that tolerates what vendors really send (numbers as strings, nulls, extra fields),
// and a digest of the raw body for vendors whose deliveries carry no event id of their own.
import { toHex } from "../../lib/bytes";
import { sha256 } from "../../lib/crypto";
import type { NormalizedEvent } from "../../webhooks/contract";

export type Fields = Record<string, unknown>;

export const isRecord = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

/** The parsed JSON body, or undefined when the body is not JSON at all. */
export function jsonBody(raw: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return undefined;
  }
}

/** The body as a JSON object; null for arrays, scalars and non-JSON. */
export function jsonObject(raw: Uint8Array): Fields | null {
  const body = jsonBody(raw);
  return isRecord(body) ? body : null;
}

/** Form fields of an `application/x-www-form-urlencoded` body; null for any other content type. */
export function formFields(raw: Uint8Array, headers: Headers): Record<string, string> | null {
  if (!(headers.get("content-type") ?? "").toLowerCase().includes("application/x-www-form-urlencoded")) return null;
  const out: Record<string, string> = {};
  // A repeated name keeps its first value: vendors that repeat names (Mailchimp's arrays) index them instead.
  for (const [name, value] of new URLSearchParams(new TextDecoder().decode(raw)))
    if (!Object.hasOwn(out, name)) out[name] = value;
  return out;
}

/** A non-empty string; numbers become their decimal text (Paystack sends numeric ids). */
export function str(v: unknown): string | undefined {
  if (typeof v === "string") return v.length > 0 ? v : undefined;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A safe integer, from a number or a string of digits (Paystack amounts, Stripe metadata); else undefined. */
export function int(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d{1,15}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A positive whole number of minutes, or undefined: anything else never extends a session. */
export function minutes(v: unknown): number | undefined {
  const n = int(v);
  return n !== undefined && n > 0 ? n : undefined;
}

/** Epoch milliseconds from an ISO string, unix seconds or unix milliseconds; null when unreadable. */
export function instant(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v < 1e12 ? v * 1000 : v;
  if (typeof v !== "string" || v.length === 0) return null;
  if (/^\d{9,13}$/.test(v)) return instant(Number(v));
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/** Lowercase hex SHA-256 of the raw body: the dedupe key of vendors that send no event id. */
export async function bodyDigest(raw: Uint8Array): Promise<string> {
  return toHex(await sha256(raw));
}

/** The non-empty values of the named credentials, in order: current secret first, then previous. */
export const secretsOf = (credentials: Record<string, string>, ...names: string[]): string[] =>
  names.map((n) => credentials[n]).filter((s): s is string => typeof s === "string" && s.length > 0);

/** A string setting, or undefined (settings are free-form JSON from the admin). */
export const stringSetting = (settings: Record<string, unknown>, name: string): string | undefined => str(settings[name]);

/**
 * Thrown by an effect when a delivery lacks a field it cannot do without; the event retries, then dead-letters with this message.
 */
export function required<T>(value: T | undefined | null, event: NormalizedEvent, field: string): T {
  if (value === undefined || value === null) throw new Error(`${event.type} without ${field}`);
  return value;
}

/**
 * The envelope Curbgate defines for the parking vendors whose source document gives no webhook body
 * (IPS Group, Teller, Parkeon; docs/sources.md), documented in docs/webhooks.md:
 *
 *   { "id": "<vendor event id, unique per event>", "type": "<event type>",
 *     "timestamp": "<ISO 8601 instant>", "data": { …the event's own fields… } }
 *
 * `id` is the dedupe key; a redelivery repeats it. Anything else is not a delivery (null).
 */
export function parkingVendorEnvelope(raw: Uint8Array): NormalizedEvent | null {
  const body = jsonObject(raw);
  const id = str(body?.id);
  const type = str(body?.type);
  if (!body || !id || !type || !isRecord(body.data)) return null;
  return { externalId: id, type, occurredAtMs: instant(body.timestamp), data: body.data };
}
