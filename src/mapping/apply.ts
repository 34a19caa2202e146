// Applying a field mapping to one record: pure, so the test route, the sync engine and the unit tests
// run exactly the same code. A row that cannot be applied is reported with its index and left out of
// the output; the other rows still apply.
import type { FieldDefinition, FieldMapping } from "./types";
import { ProviderCallError } from "../lib/vendor-call-error";
import { fitsType, transformFor } from "./transforms";

export interface RowError {
  row: number;
  from: string;
  to: string;
  message: string;
}

export interface Mapped {
  output: Record<string, unknown>;
  errors: RowError[];
}

// Segments that would reach an object's prototype instead of a field of its own.
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The value at a dotted path among the record's own fields, or undefined. */
export function readPath(record: unknown, path: string): unknown {
  let at: unknown = record;
  for (const key of path.split(".")) {
    if (!isObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/** Sets a dotted path, making the objects on the way; false if the path is unsafe or a plain value is in the way. */
function writePath(out: Record<string, unknown>, path: string, value: unknown): boolean {
  const keys = path.split(".");
  if (keys.some((k) => FORBIDDEN.has(k) || k === "")) return false;
  let at = out;
  for (const key of keys.slice(0, -1)) {
    if (!Object.hasOwn(at, key)) at[key] = {};
    const next = at[key];
    if (!isObject(next)) return false;
    at = next;
  }
  at[keys.at(-1)!] = value;
  return true;
}

/**
 * Maps `record` row by row. A missing source value leaves the target unset, a null one sets null
 * (transforms never see null). With `targetFields`, required targets left empty and values that do
 * not fit their target's type are errors too.
 */
export function applyMappings(
  record: Record<string, unknown>,
  mappings: readonly FieldMapping[],
  targetFields?: readonly FieldDefinition[],
): Mapped {
  const output: Record<string, unknown> = {};
  const errors: RowError[] = [];
  const targets = new Map((targetFields ?? []).map((d) => [d.name, d]));
  mappings.forEach((m, row) => {
    const fail = (message: string) => errors.push({ row, from: m.from, to: m.to, message });
    const target = targets.get(m.to);
    let value = readPath(record, m.from);
    if (value === undefined || value === null) {
      if (target?.required) return fail(`${m.to} is required, but ${m.from} is ${value === null ? "null" : "missing"}`);
      if (value === undefined) return;
    } else if (m.transform !== undefined) {
      const transform = transformFor(m.transform);
      if (!transform) return fail(`unknown transform "${m.transform}"`);
      const converted = transform.apply(value);
      if (!converted.ok) return fail(`${m.transform}: ${converted.message}`);
      value = converted.value;
    }
    if (value !== null && target && !fitsType(target.type, value)) return fail(`${m.to} expects ${target.type}`);
    if (!writePath(output, m.to, value))
      fail(`cannot write ${m.to}: it is not a plain field path, or another row put a value where it needs an object`);
  });
  return { output, errors };
}

/**
 * Maps each record for a provider call, or fails the job as a client error (not retried: the same
 * mapping would fail the same way) naming the first few rows that went wrong, so an operator can fix
 * the mapping and retry.
 */
export function mapEach(
  records: readonly Record<string, unknown>[],
  mappings: readonly FieldMapping[],
  targetFields: readonly FieldDefinition[],
): Record<string, unknown>[] {
  const problems: string[] = [];
  const out = records.map((record) => {
    const { output, errors } = applyMappings(record, mappings, targetFields);
    for (const e of errors) problems.push(`record ${String(record.id ?? "?")} row ${e.row} (${e.from} → ${e.to}): ${e.message}`);
    return output;
  });
  if (problems.length)
    throw new ProviderCallError(
      "client",
      `field mapping failed for ${problems.length} value(s): ${problems.slice(0, 3).join("; ")}`,
    );
  return out;
}
