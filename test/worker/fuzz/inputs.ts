// Hostile inputs, as data: odd path segments, odd query values, and mutations of a JSON body. Path and
// query values are given already percent-encoded, so malformed escapes (%, %zz, %ED%A0%80) reach the
// worker exactly as written.
import type { Rng } from "./random";

export const KB = 1024;

export const ODD_PATH_VALUES: readonly string[] = [
  "",
  "%00",
  "..%2f",
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "%ED%A0%80",
  "%C0%AF",
  "%",
  "%zz",
  "%E0%A4%A",
  encodeURIComponent("ÅBC١٢٣🚗"),
  encodeURIComponent("ＡＢＣ１２３"),
  "A".repeat(10 * KB),
  "%20",
  "a%2Fb",
  "%5C..%5C",
  ";x=1",
  "__proto__",
  "constructor",
  "-1",
  "1e308",
  "%0D%0ASet-Cookie:%20x=1",
];

export const ODD_QUERY_VALUES: readonly string[] = [
  "",
  "%00",
  "%ED%A0%80",
  "%",
  "%zz",
  "+",
  "%0D%0A",
  encodeURIComponent("١٢٣"),
  "__proto__",
  "x".repeat(10 * KB),
];
export const ODD_NUMBER_TEXT: readonly string[] = [
  "1e308",
  "-0",
  "NaN",
  "Infinity",
  "-1",
  "0",
  "1.5",
  "9007199254740993",
  "0x10",
  "%201",
  "1e-400",
];
export const ODD_DATE_TEXT: readonly string[] = [
  "2026-13-45",
  "2026-02-30",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "%2B275760-09-13T00:00:00Z",
  "-271821-04-20T00:00:00Z",
  "yesterday",
  "1700000000",
];

export const ODD_BEARERS: readonly [label: string, authorization: string][] = [
  ["garbage bearer", "Bearer garbage"],
  ["unknown API key", "Bearer cg_live_0000000000000000000000000000"],
  ["10 KB bearer", `Bearer ${"x".repeat(10 * KB)}`],
  ["Basic scheme", "Basic YWRtaW46YWRtaW4="],
  ["JWT-shaped garbage", "Bearer aaaa.bbbb.cccc"],
  ["empty bearer", "Bearer "],
];

/** Values of the wrong type for a field, whatever its type. */
const WRONG_TYPES: readonly unknown[] = [123, -1, 1.5, "text", "", true, null, [], [1, "a"], {}, { nested: { deeper: true } }];
const ODD_STRINGS: readonly string[] = [
  "\u0000",
  "\u0000\u0001\u001f",
  "\u202eRTL",
  "🚗".repeat(50),
  "ＡＢＣ１２３",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "../../../etc/passwd",
  " ",
  "\t\n",
  "%00",
  "\\",
  '"',
  "null",
  "undefined",
  "NaN",
  "x".repeat(10 * KB),
];
/** JSON text spliced in raw: what JSON.stringify would never write. */
const ODD_RAW_VALUES: readonly string[] = [
  '"\\ud800"',
  '"a\\udc00b"',
  '"\\udfff\\ud800"',
  '"\\u0000"',
  "1e308",
  "-1e308",
  "-0",
  "1e309",
  "-1e309",
  "9007199254740993",
  "1e-400",
  "0.1",
  '"NaN"',
  '"Infinity"',
  '"1e308"',
  '"15"',
  "[]",
  "{}",
  "true",
];

export type JsonPath = (string | number)[];

/** Every place in a JSON value a mutation could go: the root, each property and each element. */
export function pathsOf(value: unknown, at: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

const MARK = "@@fuzz-raw@@";

/** The JSON text of `value` with the value at `path` replaced by raw JSON text. */
export function spliceRaw(value: unknown, path: JsonPath, raw: string): string {
  return JSON.stringify(setAt(value, path, MARK)).replace(JSON.stringify(MARK), raw);
}

export function setAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

export function deleteAt(value: unknown, path: JsonPath): unknown {
  if (path.length === 0) return undefined;
  if (path.length === 1) {
    if (Array.isArray(value)) return value.filter((_, i) => i !== path[0]);
    const { [path[0]!]: _gone, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[path[0]!] = deleteAt(copy[path[0]!], path.slice(1));
  return copy;
}

const nested = (depth: number, open: string, close: string, inner = "1") => open.repeat(depth) + inner + close.repeat(depth);

export interface BodyMutation {
  label: string;
  /** JSON text (or bytes) to send; the content type stays application/json unless `contentType` says otherwise. */
  body: string | Uint8Array;
  contentType?: string | null;
}

/** One mutation of the named kind, applied at a place chosen by `rng`; the kinds are BODY_MUTATIONS. */
export function mutateBody(kind: string, base: unknown, rng: Rng): BodyMutation {
  const paths = pathsOf(base);
  const leafless = paths.filter((p) => p.length > 0);
  const anywhere = () => rng.pick(paths);
  const field = () => (leafless.length ? rng.pick(leafless) : []);
  const where = (p: JsonPath) => p.join(".") || "(root)";
  const text = JSON.stringify(base);
  switch (kind) {
    case "wrong type": {
      const p = field();
      const v = rng.pick(WRONG_TYPES);
      return { label: `${where(p)} = ${JSON.stringify(v)}`, body: JSON.stringify(setAt(base, p, v)) };
    }
    case "wrong types everywhere":
      return { label: "every field", body: JSON.stringify(leafless.reduce((b, p) => setAt(b, p, rng.pick(WRONG_TYPES)), base)) };
    case "null": {
      const p = anywhere();
      return { label: `${where(p)} = null`, body: JSON.stringify(setAt(base, p, null)) };
    }
    case "missing field": {
      const p = field();
      return { label: `without ${where(p)}`, body: JSON.stringify(deleteAt(base, p) ?? {}) };
    }
    case "empty object":
      return { label: "{}", body: "{}" };
    case "extra fields": {
      const p = anywhere();
      return {
        label: `extras at ${where(p)}`,
        body: spliceRaw(base, p, `{"unexpected":1,"x-${rng.int(0, 999)}":[null],"admin":true,"tenantId":"other"}`),
      };
    }
    case "odd string": {
      const p = field();
      const v = rng.pick(ODD_STRINGS);
      return { label: `${where(p)} = ${JSON.stringify(v).slice(0, 40)}`, body: JSON.stringify(setAt(base, p, v)) };
    }
    case "odd raw value": {
      const p = field();
      const raw = rng.pick(ODD_RAW_VALUES);
      return { label: `${where(p)} = ${raw}`, body: spliceRaw(base, p, raw) };
    }
    case "huge string": {
      const p = field();
      return { label: `${where(p)} = 60 KB string`, body: JSON.stringify(setAt(base, p, "é".repeat(30 * KB))) };
    }
    case "over the body limit":
      return { label: "70 KB body", body: JSON.stringify(setAt(base, field(), "x".repeat(70 * KB))) };
    case "deep arrays": {
      const p = anywhere();
      return { label: `${where(p)} = 20000 nested arrays`, body: spliceRaw(base, p, nested(20_000, "[", "]")) };
    }
    case "deep objects": {
      const p = anywhere();
      return { label: `${where(p)} = 6000 nested objects`, body: spliceRaw(base, p, nested(6_000, '{"a":', "}")) };
    }
    case "huge array": {
      const p = field();
      return { label: `${where(p)} = 25000 elements`, body: spliceRaw(base, p, `[${"1,".repeat(24_999)}1]`) };
    }
    case "many keys": {
      const p = anywhere();
      return {
        label: `${where(p)} = 5000 keys`,
        body: spliceRaw(base, p, `{${Array.from({ length: 5000 }, (_, i) => `"k${i}":${i}`).join(",")}}`),
      };
    }
    case "long key":
      return {
        label: "10 KB key",
        body: spliceRaw(base, [], `{${text.slice(1, -1)}${text.length > 2 ? "," : ""}"${"k".repeat(10 * KB)}":1}`),
      };
    case "prototype keys": {
      const raw = rng.pick([
        '{"__proto__":{"admin":true,"scopes":["platform:admin"]}}',
        '{"constructor":{"prototype":{"admin":true}}}',
        '{"prototype":null,"__proto__":null}',
      ]);
      const p = anywhere();
      return {
        label: `${where(p)} = ${raw.slice(0, 30)}`,
        body:
          p.length === 0 && text.startsWith("{") && text.length > 2
            ? `${raw.slice(0, -1)},${text.slice(1)}`
            : spliceRaw(base, p, raw),
      };
    }
    case "duplicate keys":
      return {
        label: "a key twice",
        body:
          text.startsWith("{") && text.length > 2
            ? `${text.slice(0, -1)},${text.slice(1)}`.replace(/}$/, ',"zz":1,"zz":"2"}')
            : '{"a":1,"a":"x"}',
      };
    case "top-level scalar": {
      const raw = rng.pick(["null", "0", "true", '"text"', "[]", `[${text}]`, "-0", "1e309"]);
      return { label: raw.slice(0, 30), body: raw };
    }
    case "not JSON": {
      const raw = rng.pick([
        "plate=ABC123&zone=A1",
        "<xml/>",
        "{'single': 'quotes'}",
        "{a:1}",
        "\u0000\u0001",
        "undefined",
        "NaN",
        '{"a":1}}}',
      ]);
      return { label: JSON.stringify(raw), body: raw };
    }
    case "truncated JSON": {
      const cut = rng.int(1, Math.max(1, text.length - 1));
      return { label: `first ${cut} of ${text.length} characters`, body: text.slice(0, cut) };
    }
    case "empty body":
      return { label: "empty", body: "" };
    case "invalid UTF-8":
      return {
        label: "bytes FF FE C0 AF in a string",
        body: new Uint8Array([...new TextEncoder().encode('{"a":"'), 0xff, 0xfe, 0xc0, 0xaf, ...new TextEncoder().encode('"}')]),
      };
    case "byte order mark":
      return { label: "BOM then JSON", body: `\ufeff${text}` };
    case "wrong content type": {
      const type = rng.pick([
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/json; charset=utf-16",
        "application/json-patch+json",
        "*/*",
      ]);
      return { label: type, body: text, contentType: type };
    }
    case "no content type":
      return { label: "JSON without a content type", body: text, contentType: null };
    default:
      throw new Error(`unknown body mutation ${kind}`);
  }
}

export const BODY_MUTATIONS: readonly string[] = [
  "wrong type",
  "wrong types everywhere",
  "null",
  "missing field",
  "empty object",
  "extra fields",
  "odd string",
  "odd raw value",
  "huge string",
  "over the body limit",
  "deep arrays",
  "deep objects",
  "huge array",
  "many keys",
  "long key",
  "prototype keys",
  "duplicate keys",
  "top-level scalar",
  "not JSON",
  "truncated JSON",
  "empty body",
  "invalid UTF-8",
  "byte order mark",
  "wrong content type",
  "no content type",
];
