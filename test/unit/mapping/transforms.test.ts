import { describe, expect, it } from "vitest";
import { TRANSFORM_NAMES, TRANSFORMS, fitsType, typeProblem, type TransformName } from "../../../src/mapping/transforms";

const run = (name: TransformName, v: unknown) => TRANSFORMS[name].apply(v);
const value = (name: TransformName, v: unknown) => {
  const r = run(name, v);
  if (!r.ok) throw new Error(`${name}(${JSON.stringify(v)}) refused: ${r.message}`);
  return r.value;
};

describe("transforms", () => {
  it("cents_to_dollars and dollars_to_cents convert exactly, and round-trip", () => {
    expect(value("cents_to_dollars", 475)).toBe(4.75);
    expect(value("cents_to_dollars", 0)).toBe(0);
    expect(value("cents_to_dollars", -1999)).toBe(-19.99);
    expect(value("dollars_to_cents", 19.99)).toBe(1999); // 19.99 * 100 is 1998.9999999999998 in floating point
    expect(value("dollars_to_cents", 4.75)).toBe(475);
    expect(value("dollars_to_cents", 2)).toBe(200);
    for (const cents of [1, 7, 10, 99, 101, 12345, 99999999])
      expect(value("dollars_to_cents", value("cents_to_dollars", cents))).toBe(cents);
  });

  it("money transforms refuse what is not money", () => {
    expect(run("cents_to_dollars", 4.5)).toEqual({ ok: false, message: "expected whole cents" });
    expect(run("cents_to_dollars", "475").ok).toBe(false);
    expect(run("dollars_to_cents", 1.005)).toEqual({ ok: false, message: "not a whole number of cents" });
    expect(run("dollars_to_cents", "4.75")).toEqual({ ok: false, message: "expected a number" });
    expect(run("dollars_to_cents", Number.NaN).ok).toBe(false);
    expect(run("dollars_to_cents", 1e300).ok).toBe(false);
  });

  it("iso_datetime reads epoch seconds and ISO dates; epoch_seconds goes back", () => {
    expect(value("iso_datetime", 1_767_225_600)).toBe("2026-01-01T00:00:00.000Z");
    expect(value("iso_datetime", "2026-03-08T07:30:00-05:00")).toBe("2026-03-08T12:30:00.000Z");
    expect(value("iso_datetime", "2026-03-08")).toBe("2026-03-08T00:00:00.000Z");
    expect(value("epoch_seconds", "2026-01-01T00:00:00.999Z")).toBe(1_767_225_600);
    expect(value("epoch_seconds", value("iso_datetime", 1_767_225_601))).toBe(1_767_225_601);
  });

  it("date transforms refuse what only looks like a date to Date.parse", () => {
    for (const bad of ["1", "tomorrow", "March 8", "2026-13-01T00:00:00Z", "", true, null])
      expect(run("iso_datetime", bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    expect(run("iso_datetime", 1e20)).toEqual({ ok: false, message: "expected epoch seconds" });
    expect(run("epoch_seconds", 1_767_225_600)).toEqual({ ok: false, message: "expected an ISO 8601 instant" });
  });

  it("text transforms change text and refuse anything else", () => {
    expect(value("uppercase", "active")).toBe("ACTIVE");
    expect(value("lowercase", "USD")).toBe("usd");
    expect(value("trim", "  A1 \n")).toBe("A1");
    expect(value("to_string", 12)).toBe("12");
    expect(value("to_string", false)).toBe("false");
    expect(value("to_number", " -4.75 ")).toBe(-4.75);
    expect(value("join", ["A1", "A2"])).toBe("A1,A2");
    expect(value("split", " A1, ,A2 ")).toEqual(["A1", "A2"]);
    for (const name of ["uppercase", "lowercase", "trim", "split"] as const)
      expect(run(name, 5)).toEqual({ ok: false, message: "expected text" });
    expect(run("to_number", "4,75").ok).toBe(false);
    expect(run("to_number", "1e3").ok).toBe(false);
    expect(run("join", ["A1", 2]).ok).toBe(false);
  });

  it("every transform's declared types agree with what it returns", () => {
    const samples: Record<string, unknown> = {
      money: 475,
      number: 4.75,
      string: "2026-01-01T00:00:00Z",
      datetime: "2026-01-01T00:00:00Z",
      boolean: true,
      list: ["A1"],
    };
    const special: Partial<Record<TransformName, Record<string, unknown>>> = {
      to_number: { string: "4.75" },
      iso_datetime: { number: 1_767_225_600 },
    };
    for (const name of TRANSFORM_NAMES) {
      const t = TRANSFORMS[name];
      for (const type of t.accepts) {
        const out = value(name, special[name]?.[type] ?? samples[type]);
        expect(fitsType(t.gives, out), `${name} on ${type} gives ${JSON.stringify(out)}`).toBe(true);
      }
    }
  });
});

describe("type compatibility", () => {
  it("without a transform the types must be equal; with one, it must read the source and give the target", () => {
    expect(typeProblem("string", "string")).toBeNull();
    expect(typeProblem("money", "number")).toBe("a money field cannot fill a number field without a transform");
    expect(typeProblem("money", "number", "cents_to_dollars")).toBeNull();
    expect(typeProblem("number", "number", "cents_to_dollars")).toBe("cents_to_dollars reads money, not number");
    expect(typeProblem("money", "money", "cents_to_dollars")).toBe("cents_to_dollars gives number, but the target is money");
    expect(typeProblem("number", "datetime", "iso_datetime")).toBeNull();
    expect(typeProblem("string", "string", "shout")).toBe('unknown transform "shout"');
  });

  it("fitsType checks each type's runtime shape", () => {
    expect(fitsType("money", 5)).toBe(true);
    expect(fitsType("money", 5.5)).toBe(false);
    expect(fitsType("number", Number.POSITIVE_INFINITY)).toBe(false);
    expect(fitsType("datetime", "2026-01-01T00:00:00Z")).toBe(true);
    expect(fitsType("datetime", "soon")).toBe(false);
    expect(fitsType("list", ["a", "b"])).toBe(true);
    expect(fitsType("list", "a,b")).toBe(false);
    expect(fitsType("boolean", "true")).toBe(false);
  });
});
