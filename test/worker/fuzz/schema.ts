// Reading the OpenAPI document the app serves: its operations, and a plausible ("valid-ish") value
// for any of its JSON schemas, so mutations start from a request that gets past validation and
// reach the handler. Only the schema features the document uses are understood; anything else throws,
// so a new feature shows up as a test error rather than as silently weaker inputs.
import type { Rng } from "./random";

export type Schema = Record<string, any>;
export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: Schema;
}
export interface Operation {
  method: string;
  path: string;
  /** "post /v1/zones/{code}" */
  key: string;
  parameters: Parameter[];
  /** The JSON request body's schema, if the operation takes one. */
  body?: Schema;
  bodyRequired: boolean;
  secured: boolean;
}

export function operationsOf(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries<any>(doc.paths))
    for (const [method, op] of Object.entries<any>(methods)) {
      const content = op.requestBody?.content;
      if (content && !content["application/json"])
        throw new Error(`${method} ${path}: a body that is not JSON; teach the fuzz about it`);
      ops.push({
        method: method.toUpperCase(),
        path,
        key: `${method} ${path}`,
        parameters: op.parameters ?? [],
        body: content?.["application/json"]?.schema,
        bodyRequired: op.requestBody?.required === true,
        secured: Array.isArray(op.security),
      });
    }
  return ops;
}

const PRIMITIVE = new Set(["string", "number", "integer", "boolean"]);

/** Follows $ref and folds allOf, so callers see one plain schema. */
export function resolve(doc: any, schema: Schema): Schema {
  // A union of plain scalars (an amount as a number or a decimal string) is fuzzed as its first branch:
  // every mutation of that branch the others do not also accept must still be refused.
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.every((b: Schema) => PRIMITIVE.has(b.type)) && !schema.not) {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return resolve(doc, { ...rest, ...branches[0] });
  }
  if (schema.oneOf || schema.anyOf || schema.not) throw new Error(`teach the fuzz about ${JSON.stringify(schema).slice(0, 120)}`);
  if (schema.$ref) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    if (!name || !doc.components.schemas[name]) throw new Error(`unknown $ref ${schema.$ref}`);
    return resolve(doc, doc.components.schemas[name]);
  }
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    return Object.assign({}, ...allOf.map((s: Schema) => resolve(doc, s)), rest);
  }
  return schema;
}

export const typeOf = (s: Schema): string | undefined =>
  Array.isArray(s.type)
    ? s.type.find((t: string) => t !== "null")
    : (s.type ?? (s.enum ? typeof s.enum[0] : s.properties ? "object" : undefined));

export interface Baseline {
  doc: any;
  rng: Rng;
  /** Values by property or parameter name, so the fuzz works on its own zone, plate and records. */
  named: Record<string, () => unknown>;
  /** Fill optional properties too (the plain baseline sends only what is required). */
  optional?: boolean;
}

export function baselineValue(b: Baseline, raw: Schema, name = ""): unknown {
  if (Object.hasOwn(b.named, name)) return b.named[name]!();
  const s = resolve(b.doc, raw);
  // Examples of instants are fixed dates, soon in the past; sampleString gives one an hour from now.
  if (s.example !== undefined && s.format !== "date-time") return s.example;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  switch (typeOf(s)) {
    case "string":
      return sampleString(b.rng, s);
    case "integer":
    case "number": {
      const low = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      return Math.min(low, s.maximum ?? low);
    }
    case "boolean":
      return false;
    case "array":
      return Array.from({ length: Math.max(s.minItems ?? 1, 1) }, () => baselineValue(b, s.items ?? {}, name));
    case "object": {
      const out: Record<string, unknown> = {};
      const required = new Set<string>(s.required ?? []);
      for (const [key, sub] of Object.entries<Schema>(s.properties ?? {}))
        if (required.has(key) || b.optional) out[key] = baselineValue(b, sub, key);
      return out;
    }
    case undefined:
      return {}; // an unconstrained value (settings, params): an empty object is the usual one
    default:
      throw new Error(`no baseline for schema ${JSON.stringify(s).slice(0, 120)}`);
  }
}

function sampleString(rng: Rng, s: Schema): string {
  if (s.format === "date-time") return new Date(Date.now() + 3_600_000).toISOString();
  if (s.format === "date") return new Date().toISOString().slice(0, 10);
  if (s.format === "email") return "fuzz@example.test";
  if (s.pattern) {
    const value = sampleRegex(rng, s.pattern);
    if (!new RegExp(s.pattern).test(value)) throw new Error(`sampled ${value} does not match ${s.pattern}`);
    return value;
  }
  return "fuzz".padEnd(s.minLength ?? 1, "z").slice(0, s.maxLength ?? 64);
}

const DIGITS = [..."0123456789"];

/** Where the bracket or parenthesis opened at `open` closes, stepping over escapes and classes. */
function closing(source: string, open: number): number {
  const square = source[open] === "[";
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\") i++;
    else if (square) {
      if (ch === "]") return i;
    } else if (ch === "[") i = closing(source, i);
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i;
  }
  throw new Error(`unbalanced pattern ${source}`);
}

function classChars(body: string): string[] {
  const chars: string[] = [];
  for (let i = 0; i < body.length; i++) {
    let c = body[i]!;
    if (c === "\\") {
      if (body[++i] === "d") {
        chars.push(...DIGITS);
        continue;
      }
      c = body[i]!;
    }
    if (body[i + 1] === "-" && i + 2 < body.length) {
      for (let code = c.charCodeAt(0); code <= body.charCodeAt(i + 2); code++) chars.push(String.fromCharCode(code));
      i += 2;
    } else chars.push(c);
  }
  return chars;
}

/** A string matching a simple regular expression (literals, classes, \d, groups, quantifiers), from its first alternative. */
export function sampleRegex(rng: Rng, pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]!;
    let atom: () => string;
    if (ch === "|") break; // the first alternative is enough
    if (ch === "^" || ch === "$") {
      i++;
      continue;
    }
    if (ch === "(" || ch === "[") {
      const end = closing(pattern, i);
      const inner = pattern.slice(i + 1, end);
      const chars = ch === "[" ? classChars(inner) : [];
      atom = ch === "[" ? () => rng.pick(chars) : () => sampleRegex(rng, inner);
      i = end + 1;
    } else if (ch === "\\") {
      const esc = pattern[i + 1]!;
      atom = esc === "d" ? () => rng.pick(DIGITS) : () => esc;
      i += 2;
    } else {
      atom = () => ch;
      i++;
    }
    let count = 1;
    if (pattern[i] === "?" || pattern[i] === "*") (count = 0), i++;
    else if (pattern[i] === "+") i++;
    else if (pattern[i] === "{") {
      const end = pattern.indexOf("}", i);
      count = Number(pattern.slice(i + 1, end).split(",")[0]);
      i = end + 1;
    }
    for (let k = 0; k < count; k++) out += atom();
  }
  return out;
}
