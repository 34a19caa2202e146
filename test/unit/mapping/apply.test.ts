import { describe, expect, it } from "vitest";
import type { FieldDefinition } from "../../../src/sync/contract";
import { applyMappings, mapEach, readPath } from "../../../src/mapping/apply";
import { ProviderCallError } from "../../../src/lib/vendor-call-error";

const session = {
  id: "ses_1",
  zone: "A1",
  plate: "ABC123",
  state: null,
  status: "active",
  startTime: "2026-05-01T12:00:00.000Z",
  amountCents: 475,
  meta: { bay: "12" },
};
const target: FieldDefinition[] = [
  { name: "id", type: "string", required: true },
  { name: "licensePlate", type: "string", required: true },
  { name: "state", type: "string" },
  { name: "amount", type: "number" },
  { name: "starts", type: "number" },
  { name: "status", type: "string" },
  { name: "detail.bay", type: "string" },
];

describe("applyMappings", () => {
  it("copies, transforms, nests, and leaves out what the record lacks", () => {
    const { output, errors } = applyMappings(
      session,
      [
        { from: "id", to: "id" },
        { from: "plate", to: "licensePlate" },
        { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
        { from: "startTime", to: "starts", transform: "epoch_seconds" },
        { from: "status", to: "status", transform: "uppercase" },
        { from: "meta.bay", to: "detail.bay" },
        { from: "endTime", to: "ends" },
      ],
      target,
    );
    expect(errors).toEqual([]);
    expect(output).toEqual({
      id: "ses_1",
      licensePlate: "ABC123",
      amount: 4.75,
      starts: 1_777_636_800,
      status: "ACTIVE",
      detail: { bay: "12" },
    });
  });

  it("passes null through untransformed, unless the target is required", () => {
    expect(applyMappings(session, [{ from: "state", to: "state", transform: "uppercase" }], target)).toEqual({
      output: { state: null },
      errors: [],
    });
    const { output, errors } = applyMappings(
      { ...session, plate: null },
      [
        { from: "plate", to: "licensePlate" },
        { from: "nothing", to: "id" },
      ],
      target,
    );
    expect(output).toEqual({});
    expect(errors).toEqual([
      { row: 0, from: "plate", to: "licensePlate", message: "licensePlate is required, but plate is null" },
      { row: 1, from: "nothing", to: "id", message: "id is required, but nothing is missing" },
    ]);
  });

  it("reports each row that fails and still applies the others", () => {
    const { output, errors } = applyMappings(
      { ...session, amountCents: "475" },
      [
        { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
        { from: "zone", to: "state", transform: "nonsense" },
        { from: "amountCents", to: "starts" },
        { from: "plate", to: "licensePlate" },
      ],
      target,
    );
    expect(output).toEqual({ licensePlate: "ABC123" });
    expect(errors.map((e) => [e.row, e.message])).toEqual([
      [0, "cents_to_dollars: expected whole cents"],
      [1, 'unknown transform "nonsense"'],
      [2, "starts expects number"],
    ]);
  });

  it("never writes through a prototype, and refuses a path blocked by a plain value", () => {
    const { output, errors } = applyMappings(session, [
      { from: "plate", to: "__proto__.polluted" },
      { from: "plate", to: "constructor.prototype.polluted" },
      { from: "plate", to: "a" },
      { from: "zone", to: "a.b" },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(output).toEqual({ a: "ABC123" });
    expect(errors.map((e) => e.row)).toEqual([0, 1, 3]);
  });

  it("reads only the record's own fields", () => {
    expect(readPath({ a: { b: 1 } }, "a.b")).toBe(1);
    expect(readPath({ a: 1 }, "a.b")).toBeUndefined();
    expect(readPath({}, "toString")).toBeUndefined();
    expect(readPath({ a: [1] }, "a.0")).toBeUndefined();
  });
});

describe("mapEach", () => {
  it("maps every record, or fails as a client error naming the first problems", () => {
    expect(mapEach([session, { ...session, id: "ses_2" }], [{ from: "id", to: "id" }], target)).toEqual([
      { id: "ses_1" },
      { id: "ses_2" },
    ]);
    let thrown: unknown;
    try {
      mapEach([session, { ...session, id: "ses_2", plate: null }], [{ from: "plate", to: "licensePlate" }], target);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ProviderCallError);
    expect(thrown).toMatchObject({ kind: "client", retryable: false });
    expect((thrown as Error).message).toBe(
      "field mapping failed for 1 value(s): record ses_2 row 0 (plate → licensePlate): licensePlate is required, but plate is null",
    );
  });
});
