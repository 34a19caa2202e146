import { describe, expect, it } from "vitest";
import { classifyMatch, normalizePlate, plateKey } from "../../../src/domain/plates";

describe("normalizePlate", () => {
  it.each([
    ["abc123", "ABC123"],
    ["ABC 123", "ABC123"],
    ["ab-c.12 3", "ABC123"],
    ["  7xyz_42/1 ", "7XYZ421"],
    ["ＡＢＣ１２３", "ABC123"], // full-width characters from some phone keyboards
    ["ÄBÇ1", "ABC1"],
    ["", ""],
    [" - . ", ""],
    ["***", ""],
  ])("%j -> %j", (raw, expected) => {
    expect(normalizePlate(raw)).toBe(expected);
  });
});

describe("plateKey", () => {
  it.each([
    ["O", "0"],
    ["Q", "0"],
    ["D", "0"],
    ["0", "0"],
    ["I", "1"],
    ["1", "1"],
    ["B", "8"],
    ["8", "8"],
    ["S", "5"],
    ["5", "5"],
    ["Z", "2"],
    ["2", "2"],
    ["ABC123", "A8C123"],
    ["DOQ0", "0000"],
    ["SZIB", "5218"],
    ["ACEFGHJKLMNPRTUVWXY", "ACEFGHJKLMNPRTUVWXY"], // everything else keeps its identity
    ["", ""],
  ])("%j -> %j", (plate, key) => {
    expect(plateKey(plate)).toBe(key);
  });
});

describe("classifyMatch", () => {
  const q = (plate: string, state: string | null = null) => ({ plate, state });
  it.each([
    // exact
    [q("ABC123"), q("ABC123"), "exact"],
    [q("abc-123"), q("ABC123"), "exact"],
    [q("ABC123", "CT"), q("ABC123", "CT"), "exact"],
    [q("ABC123", "ct"), q("ABC123", " CT "), "exact"],
    [q("ABC123", null), q("ABC123", "NY"), "exact"],
    [q("ABC123", "NY"), q("ABC123", null), "exact"],
    [q("ABC123", ""), q("ABC123", "NY"), "exact"],
    // every confusable pair, both directions
    [q("7OX420"), q("70X420"), "fuzzy"],
    [q("70X420"), q("7OX420"), "fuzzy"],
    [q("I23ABC"), q("123ABC"), "fuzzy"],
    [q("B12XYZ"), q("812XYZ"), "fuzzy"],
    [q("S12XYZ"), q("512XYZ"), "fuzzy"],
    [q("Z12XYZ"), q("212XYZ"), "fuzzy"],
    [q("D12XYZ"), q("012XYZ"), "fuzzy"],
    [q("Q12XYZ"), q("012XYZ"), "fuzzy"],
    [q("D12XYZ"), q("Q12XYZ"), "fuzzy"],
    [q("O12XYZ"), q("D12XYZ"), "fuzzy"],
    [q("O12XYZ"), q("Q12XYZ"), "fuzzy"],
    [q("ABC123", "CT"), q("A8C123", null), "fuzzy"],
    [q("5BZ1OD", "CT"), q("S8210Q", "CT"), "fuzzy"],
    // no match
    [q("ABC123"), q("ABC124"), null],
    [q("ABC123"), q("ABC1234"), null],
    [q("ABC123"), q("L8C123"), null],
    [q("ABC123", "CT"), q("ABC123", "NY"), null],
    [q("ABC123", "CT"), q("A8C123", "NY"), null],
    [q(""), q(""), null],
    [q("--"), q("ABC123"), null],
  ])("%j vs %j -> %j", (query, candidate, expected) => {
    expect(classifyMatch(query, candidate)).toBe(expected);
  });

  it("never reports a misread as exact", () => {
    for (const [a, b] of [
      ["O", "0"],
      ["Q", "0"],
      ["D", "0"],
      ["I", "1"],
      ["B", "8"],
      ["S", "5"],
      ["Z", "2"],
    ]) {
      expect(classifyMatch(q(`X${a}X`), q(`X${b}X`))).toBe("fuzzy");
    }
  });
});
