// The cases for one operation: a valid-ish baseline built from its schema, then one kind of damage at a
// time (a path segment, the query, a header, the body, the credential, the route itself), so a failure
// points at what caused it; a few "chaos" cases damage everything at once. Every applicable kind runs
// once, then kinds are drawn again (with new details) until the operation has its fixed number of cases.
import {
  BODY_MUTATIONS,
  KB,
  ODD_BEARERS,
  ODD_DATE_TEXT,
  ODD_NUMBER_TEXT,
  ODD_PATH_VALUES,
  ODD_QUERY_VALUES,
  mutateBody,
} from "./inputs";
import type { Outgoing } from "./http";
import type { Rng } from "./random";
import { baselineValue, resolve, type Operation, type Parameter } from "./schema";

export interface FuzzCase extends Outgoing {
  /** What was damaged, and how. */
  kind: string;
  /** Which caller sent it. */
  credential: string;
}

export interface Credentials {
  /** The credential that can reach every route. */
  main: string;
  /** Other callers: [label, Authorization header or null for none]. */
  others: readonly [string, string | null][];
}

export interface OperationContext {
  doc: any;
  op: Operation;
  rng: Rng;
  named: Record<string, () => unknown>;
  credentials: Credentials;
}

interface Parts {
  path: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: BodyParts;
  credential: [string, string | null];
}
interface BodyParts {
  text: string | Uint8Array;
  contentType: string | null;
}

const enc = (v: unknown) => encodeURIComponent(typeof v === "string" ? v : JSON.stringify(v));
const params = (op: Operation, where: Parameter["in"]) => op.parameters.filter((p) => p.in === where);

function baseline(ctx: OperationContext, optional = false): Parts {
  const b = { doc: ctx.doc, rng: ctx.rng, named: ctx.named, optional };
  const value = (p: Parameter) => baselineValue(b, p.schema, p.name);
  const body = ctx.op.body ? JSON.stringify(baselineValue(b, ctx.op.body)) : undefined;
  return {
    path: Object.fromEntries(params(ctx.op, "path").map((p) => [p.name, enc(value(p))])),
    query: params(ctx.op, "query")
      .filter((p) => p.required || optional)
      .map((p) => [p.name, enc(value(p))]),
    headers: Object.fromEntries(
      params(ctx.op, "header")
        .filter((p) => p.required || optional)
        .map((p) => [p.name, String(value(p))]),
    ),
    body: body === undefined ? undefined : { text: body, contentType: "application/json" },
    credential: ["main", `Bearer ${ctx.credentials.main}`],
  };
}

function render(ctx: OperationContext, kind: string, parts: Parts): FuzzCase {
  const path = ctx.op.path.replace(/\{(\w+)\}/g, (_, name: string) => parts.path[name] ?? "");
  const query = parts.query.map(([k, v]) => `${k}=${v}`).join("&");
  const headers = { ...parts.headers };
  if (parts.credential[1] !== null) headers.authorization = parts.credential[1];
  if (parts.body?.contentType) headers["content-type"] = parts.body.contentType;
  return {
    kind,
    method: ctx.op.method,
    url: query ? `${path}?${query}` : path,
    headers,
    body: parts.body?.text,
    credential: parts.credential[0],
  };
}

type Damage = (ctx: OperationContext, parts: Parts) => string | null; // changes parts, returns a label, or null when it does not apply

function queryDamage(pick: (p: Parameter, ctx: OperationContext) => string): Damage {
  return (ctx, parts) => {
    const all = params(ctx.op, "query");
    if (!all.length) return null;
    const p = ctx.rng.pick(all);
    const value = pick(p, ctx);
    parts.query = [...parts.query.filter(([k]) => k !== p.name), [p.name, value]];
    return `${p.name}=${value.slice(0, 40)}`;
  };
}

const DAMAGE: Record<string, Damage> = {
  "path segment": (ctx, parts) => {
    const names = Object.keys(parts.path);
    if (!names.length) return null;
    const name = ctx.rng.pick(names);
    parts.path[name] = ctx.rng.pick(ODD_PATH_VALUES);
    return `{${name}} = ${parts.path[name]!.slice(0, 40)}`;
  },
  "query: odd value": queryDamage((_, ctx) => ctx.rng.pick(ODD_QUERY_VALUES)),
  "query: odd number": queryDamage((_, ctx) => ctx.rng.pick(ODD_NUMBER_TEXT)),
  "query: odd date": queryDamage((_, ctx) => ctx.rng.pick(ODD_DATE_TEXT)),
  "query: wrong enum": queryDamage((p, ctx) => (resolve(ctx.doc, p.schema).enum ? "TRUE" : "%5B%5D")),
  "query: repeated": (ctx, parts) => {
    const name = ctx.rng.pick([...params(ctx.op, "query").map((p) => p.name), "limit"]);
    parts.query.push([name, "1"], [name, "abc"], [name, ""]);
    return `${name} three times`;
  },
  "query: unknown extras": (_, parts) => (
    parts.query.push(["__proto__", "x"], ["constructor", "y"], ["%00", "%00"], ["zz[]", "1"]), "__proto__, constructor, %00, zz[]"
  ),
  "query: missing required": (ctx, parts) => {
    const required = params(ctx.op, "query").filter((p) => p.required);
    if (!required.length) return null;
    parts.query = parts.query.filter(([k]) => k !== ctx.rng.pick(required).name);
    return "one required parameter dropped";
  },
  "query: 20 KB": (_, parts) => (parts.query.push(["q", "q".repeat(20 * KB)]), "q = 20 KB"),
  header: (ctx, parts) => {
    const all = params(ctx.op, "header");
    if (!all.length) return null;
    const p = ctx.rng.pick(all);
    parts.headers[p.name] = ctx.rng.pick(["", " ", "x".repeat(10 * KB), "\u00ff\u00fe", "a".repeat(256)]);
    return `${p.name} = ${parts.headers[p.name]!.length} chars`;
  },
  credential: (ctx, parts) => {
    const [label, header] = ctx.rng.pick([...ctx.credentials.others, ...ODD_BEARERS]);
    parts.credential = [label, header];
    return label;
  },
  route: (ctx, _parts) => {
    const trick = ctx.rng.pick(["trailing slash", "double slash", "dot segment", "upper case", "encoded slash"]);
    const path = ctx.op.path;
    const rewrite: Record<string, string> = {
      "trailing slash": `${path}/`,
      "double slash": path.replace("/", "//"),
      "dot segment": `${path}/..`,
      "upper case": path.toUpperCase(),
      "encoded slash": path.replace(/\/([^/]*)$/, "%2F$1"),
    };
    ctx.op = { ...ctx.op, path: rewrite[trick]! };
    return trick;
  },
};

/** Operations without a body schema (GETs included: fuzz-http sends those) get JSON they did not ask for. */
function bodyDamage(kind: string): Damage {
  return (ctx, parts) => {
    const base = ctx.op.body ? JSON.parse(parts.body!.text as string) : { unexpected: true };
    const m = mutateBody(kind, base, ctx.rng);
    parts.body = { text: m.body, contentType: m.contentType === undefined ? "application/json" : m.contentType };
    return m.label;
  };
}
for (const kind of BODY_MUTATIONS) DAMAGE[`body: ${kind}`] = bodyDamage(kind);

export function casesFor(ctx: OperationContext, count: number): FuzzCase[] {
  const cases: FuzzCase[] = [
    render(ctx, "baseline", baseline(ctx)),
    render(ctx, "baseline with every optional field", baseline(ctx, true)),
  ];
  const make = (kind: string, damage: Damage[]) => {
    const local = { ...ctx };
    const parts = baseline(local, ctx.rng.chance(0.3));
    const labels = damage.map((d) => d(local, parts));
    if (labels.every((l) => l === null)) return null;
    return render(local, `${kind}: ${labels.filter(Boolean).join("; ")}`, parts);
  };
  const kinds = Object.keys(DAMAGE).filter((k) => make(k, [DAMAGE[k]!]) !== null); // applicability, decided by a dry run
  for (const kind of kinds) if (cases.length < count) cases.push(make(kind, [DAMAGE[kind]!])!);
  while (cases.length < count) {
    if (ctx.rng.chance(0.15)) {
      const chaos = make(
        "chaos",
        ["path segment", "query: odd value", "credential", "body: odd raw value"].map((k) => DAMAGE[k]!),
      );
      if (chaos) {
        cases.push(chaos);
        continue;
      }
    }
    const kind = ctx.rng.pick(kinds);
    cases.push(make(kind, [DAMAGE[kind]!])!);
  }
  return cases;
}
