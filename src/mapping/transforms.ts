// The closed set of value transforms a field mapping may name. Each is pure, declares the field types
// it reads and the one it gives, and refuses a value it cannot convert rather than guess. Adding one is
// an entry here (and a line in its unit test); nothing else names them.
import type { FieldDefinition } from "./types";

export type FieldType = FieldDefinition["type"];
export type Converted = { ok: true; value: unknown } | { ok: false; message: string };

export interface Transform {
  accepts: readonly FieldType[];
  gives: FieldType;
  description: string;
  apply(value: unknown): Converted;
}

const ok = (value: unknown): Converted => ({ ok: true, value });
const no = (message: string): Converted => ({ ok: false, message });
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;
const MAX_EPOCH_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

const instantOf = (v: unknown): number | null =>
  typeof v === "string" && ISO_DATE.test(v) && Number.isFinite(Date.parse(v)) ? Date.parse(v) : null;
const text = (fn: (s: string) => string) => (v: unknown) => (typeof v === "string" ? ok(fn(v)) : no("expected text"));

export const TRANSFORMS = {
  cents_to_dollars: {
    accepts: ["money"],
    gives: "number",
    description: "Integer cents to a decimal amount: 475 → 4.75",
    apply: (v) => (Number.isSafeInteger(v) ? ok((v as number) / 100) : no("expected whole cents")),
  },
  dollars_to_cents: {
    accepts: ["number"],
    gives: "money",
    description: "A decimal amount to integer cents: 4.75 → 475; more than two decimals is refused",
    apply(v) {
      if (typeof v !== "number" || !Number.isFinite(v)) return no("expected a number");
      const cents = Math.round(v * 100);
      return Math.abs(v * 100 - cents) < 1e-6 && Number.isSafeInteger(cents) ? ok(cents) : no("not a whole number of cents");
    },
  },
  iso_datetime: {
    accepts: ["number", "datetime", "string"],
    gives: "datetime",
    description: "Epoch seconds or an ISO 8601 date/time to an ISO 8601 UTC instant",
    apply(v) {
      if (typeof v === "number")
        return Number.isFinite(v) && Math.abs(v) <= MAX_EPOCH_SECONDS
          ? ok(new Date(Math.round(v * 1000)).toISOString())
          : no("expected epoch seconds");
      const at = instantOf(v);
      return at === null ? no("expected an ISO 8601 date or time") : ok(new Date(at).toISOString());
    },
  },
  epoch_seconds: {
    accepts: ["datetime"],
    gives: "number",
    description: "An ISO 8601 instant to whole seconds since 1970",
    apply(v) {
      const at = instantOf(v);
      return at === null ? no("expected an ISO 8601 instant") : ok(Math.floor(at / 1000));
    },
  },
  uppercase: { accepts: ["string"], gives: "string", description: "Upper-case text", apply: text((s) => s.toUpperCase()) },
  lowercase: { accepts: ["string"], gives: "string", description: "Lower-case text", apply: text((s) => s.toLowerCase()) },
  trim: {
    accepts: ["string"],
    gives: "string",
    description: "Text without leading or trailing white space",
    apply: text((s) => s.trim()),
  },
  to_string: {
    accepts: ["number", "money", "boolean"],
    gives: "string",
    description: "A number or true/false as text",
    apply: (v) =>
      typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))
        ? ok(String(v))
        : no("expected a number or true/false"),
  },
  to_number: {
    accepts: ["string"],
    gives: "number",
    description: 'Decimal text to a number: "4.75" → 4.75',
    apply: (v) => (typeof v === "string" && DECIMAL.test(v) ? ok(Number(v)) : no("expected decimal text")),
  },
  join: {
    accepts: ["list"],
    gives: "string",
    description: 'A list to comma-separated text: [A1, A2] → "A1,A2"',
    apply: (v) => (Array.isArray(v) && v.every((x) => typeof x === "string") ? ok(v.join(",")) : no("expected a list of text")),
  },
  split: {
    accepts: ["string"],
    gives: "list",
    description: "Comma-separated text to a list, each item trimmed, empty items dropped",
    apply: (v) =>
      typeof v === "string"
        ? ok(
            v
              .split(",")
              .map((x) => x.trim())
              .filter(Boolean),
          )
        : no("expected text"),
  },
} as const satisfies Record<string, Transform>;

export type TransformName = keyof typeof TRANSFORMS;
export const TRANSFORM_NAMES = Object.keys(TRANSFORMS) as [TransformName, ...TransformName[]];

export const transformFor = (name: string): Transform | undefined =>
  Object.hasOwn(TRANSFORMS, name) ? TRANSFORMS[name as TransformName] : undefined;

/** Does a value have the shape its field type promises? Used on mapped output, so a bad sample is named, not sent. */
export function fitsType(type: FieldType, v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "money":
      return Number.isSafeInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "datetime":
      return instantOf(v) !== null;
    case "list":
      return Array.isArray(v) && v.every((x) => typeof x === "string");
  }
}

/** Why a transform cannot carry a `source`-typed field into a `target`-typed one, or null if it can. */
export function typeProblem(source: FieldType, target: FieldType, transform?: string): string | null {
  if (transform === undefined)
    return source === target ? null : `a ${source} field cannot fill a ${target} field without a transform`;
  const t = transformFor(transform);
  if (!t) return `unknown transform "${transform}"`;
  if (!t.accepts.includes(source)) return `${transform} reads ${t.accepts.join(" or ")}, not ${source}`;
  if (t.gives !== target) return `${transform} gives ${t.gives}, but the target is ${target}`;
  return null;
}
