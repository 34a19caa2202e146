import { describe, expect, it } from "vitest";
import { CONNECTORS, connectorOf } from "../../../src/vendors";
import type { Connector, FieldDefinition } from "../../../src/sync/contract";
import { applyMappings } from "../../../src/mapping/apply";
import { CURBGATE_FIELDS, sessionRecord } from "../../../src/mapping/curbgate-fields";
import { findRenamed, healMappings, normalisedName, similarity } from "../../../src/mapping/heal";
import { mappingSpec, mappingSpecs } from "../../../src/mapping/spec";
import { validateMappings, type Sides } from "../../../src/mapping/validate";

const sides: Sides = {
  source: [
    { name: "plate", type: "string" },
    { name: "amountCents", type: "money" },
    { name: "startTime", type: "datetime", aliases: ["startAt"] },
    { name: "zone", type: "string" },
  ],
  target: [
    { name: "licensePlate", type: "string", required: true, aliases: ["plateNumber"] },
    { name: "amount", type: "number", required: true },
    { name: "start_time", type: "datetime" },
    { name: "zoneNumber", type: "string" },
    { name: "zoneName", type: "string" },
  ],
  sourceLabel: "Curbgate session",
  targetLabel: "acme sessions",
};

describe("validateMappings", () => {
  it("accepts a mapping whose rows all fit", () => {
    expect(
      validateMappings(
        [
          { from: "plate", to: "licensePlate" },
          { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
        ],
        sides,
      ),
    ).toEqual([]);
  });

  it("reports every problem with its row: unknown fields, misfit types, duplicate targets, required fields left empty", () => {
    const problems = validateMappings(
      [
        { from: "plate", to: "licensePlate" },
        { from: "plates", to: "zoneNumber" },
        { from: "zone", to: "zoneNumbr" },
        { from: "amountCents", to: "zoneName" },
        { from: "zone", to: "licensePlate", transform: "uppercase" },
        { from: "plate", to: "start_time", transform: "cents_to_dollars" },
      ],
      sides,
    );
    expect(problems).toEqual([
      { row: 1, field: "from", message: 'Curbgate session has no field "plates"' },
      { row: 2, field: "to", message: 'acme sessions has no field "zoneNumbr"' },
      { row: 3, field: "transform", message: "a money field cannot fill a string field without a transform" },
      { row: 4, field: "to", message: '"licensePlate" is already filled by row 0' },
      { row: 5, field: "transform", message: "cents_to_dollars reads money, not string" },
      { row: null, field: null, message: '"amount" is required by acme sessions and no row fills it' },
    ]);
  });
});

describe("healMappings", () => {
  it("follows declared aliases, then names equal but for case and separators, then the closest name; drops the rest", () => {
    const { mappings, changes } = healMappings(
      [
        { from: "plate", to: "plateNumber" }, // renamed on the provider, declared
        { from: "startAt", to: "startTime" }, // renamed on both sides: declared alias, then same name as start_time
        { from: "zone", to: "zoneNumbre" }, // a typo-like rename: closest name
        { from: "amountCents", to: "amount", transform: "cents_to_dollars" }, // intact
        { from: "meterId", to: "meter" }, // gone
      ],
      sides,
      [],
    );
    expect(mappings).toEqual([
      { from: "plate", to: "licensePlate" },
      { from: "startTime", to: "start_time" },
      { from: "zone", to: "zoneNumber" },
      { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
    ]);
    expect(changes).toEqual([
      {
        row: 0,
        before: { from: "plate", to: "plateNumber" },
        after: { from: "plate", to: "licensePlate" },
        reason: '"plateNumber" is now "licensePlate" (declared as its former name)',
      },
      {
        row: 1,
        before: { from: "startAt", to: "startTime" },
        after: { from: "startTime", to: "start_time" },
        reason:
          '"startAt" is now "startTime" (declared as its former name); "startTime" matches "start_time" when case and separators are ignored',
      },
      {
        row: 2,
        before: { from: "zone", to: "zoneNumbre" },
        after: { from: "zone", to: "zoneNumber" },
        reason: '"zoneNumbre" is closest to "zoneNumber" (80% alike)',
      },
      {
        row: 4,
        before: { from: "meterId", to: "meter" },
        after: null,
        reason:
          '"meterId" is gone from Curbgate session and no field declares or resembles it; "meter" is gone from acme sessions and no field declares or resembles it',
      },
    ]);
    expect(validateMappings(mappings, sides)).toEqual([]);
  });

  it("leaves an intact mapping alone", () => {
    const intact = [
      { from: "plate", to: "licensePlate" },
      { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
    ];
    expect(healMappings(intact, sides, [])).toEqual({ mappings: intact, changes: [] });
  });

  it("drops a repair that no longer fits its transform, and one that would fill a target twice", () => {
    const { mappings, changes } = healMappings(
      [
        { from: "plate", to: "licensePlate" },
        { from: "plate", to: "plateNumber" }, // its alias target is already filled by row 0
        { from: "zone", to: "amountt", transform: "cents_to_dollars" }, // amount is a number, but zone is a string
        { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
      ],
      sides,
      [],
    );
    expect(mappings).toEqual([
      { from: "plate", to: "licensePlate" },
      { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
    ]);
    expect(changes.map((c) => [c.row, c.after, c.reason])).toEqual([
      [1, null, '"plateNumber" is gone from acme sessions and no field declares or resembles it'],
      [2, null, '"amountt" is gone from acme sessions and no field declares or resembles it'],
    ]);
  });

  it("refuses to guess between two equally close names", () => {
    const found = findRenamed(
      "zoneNum",
      [
        { name: "zoneNumA", type: "string" },
        { name: "zoneNumB", type: "string" },
      ],
      new Set(),
      "acme",
    );
    expect(found).toEqual({ field: null, why: '"zoneNum" is gone from acme and is equally like "zoneNumA" and "zoneNumB"' });
  });

  it("fills a required target left empty from the default template", () => {
    const { mappings, changes } = healMappings([{ from: "plate", to: "licensePlate" }], sides, [
      { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
    ]);
    expect(mappings).toEqual([
      { from: "plate", to: "licensePlate" },
      { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
    ]);
    expect(changes).toEqual([
      {
        row: null,
        before: null,
        after: { from: "amountCents", to: "amount", transform: "cents_to_dollars" },
        reason: '"amount" is required by acme sessions; restored from the default template',
      },
    ]);
  });

  it("normalises names and scores their likeness", () => {
    expect(normalisedName("Start-Time_utc")).toBe("starttimeutc");
    expect(similarity("zoneNumber", "zone_number")).toBe(1);
    expect(similarity("licencePlate", "licensePlate")).toBeCloseTo(11 / 12);
    expect(similarity("plate", "licensePlate")).toBeLessThan(0.75);
  });
});

describe("the connectors' declared mappings", () => {
  // Every registered connector that declares fields, including ones added after these tests were written.
  const connectors = Object.values(CONNECTORS).filter((c) => c.fields);

  it("every entity with fields pairs with a Curbgate entity, and every template is valid against the fields it maps", () => {
    expect(connectors.map((c) => c.provider)).toEqual(expect.arrayContaining(["stripe", "twilio", "ips"]));
    for (const c of connectors) {
      const specs = mappingSpecs(c);
      expect(
        specs.map((s) => s.entity),
        `${c.provider}: an entity whose Curbgate counterpart is unknown`,
      ).toEqual(Object.keys(c.fields!));
      for (const spec of specs)
        for (const [name, rows] of Object.entries(spec.templates))
          expect(validateMappings(rows, spec), `${c.provider} ${spec.entity} ${name}`).toEqual([]);
    }
  });

  it("IPS's default template gives the documented wire format from a Curbgate session", () => {
    const spec = mappingSpec(connectorOf("ips")!, "sessions")!;
    const record = sessionRecord({
      id: "ses_A1_x",
      zone: "A1",
      plate: "ABC123",
      state: "CT",
      startAt: 1_777_636_800_000,
      endAt: 1_777_640_400_000,
      amountCents: 200,
      paidCents: 0,
    });
    expect(applyMappings(record, spec.templates.default, spec.target)).toEqual({
      output: {
        id: "ses_A1_x",
        licensePlate: "ABC123",
        state: "CT",
        zoneNumber: "A1",
        startTime: "2026-05-01T12:00:00.000Z",
        endTime: "2026-05-01T13:00:00.000Z",
        amountCents: 200,
        status: "ACTIVE",
      },
      errors: [],
    });
    // The session record carries exactly Curbgate's session fields.
    expect(Object.keys(record).sort()).toEqual(CURBGATE_FIELDS.session!.map((d) => d.name).sort());
  });

  it("Stripe's inbound template turns a PaymentIntent into a Curbgate payment", () => {
    const spec = mappingSpec(connectorOf("stripe")!, "payments")!;
    expect(spec).toMatchObject({
      curbgateEntity: "payment",
      direction: "inbound",
      sourceLabel: "stripe payments",
      targetLabel: "Curbgate payment",
    });
    const intent = {
      id: "pi_123",
      amount: 800,
      amount_received: 800,
      currency: "usd",
      status: "succeeded",
      created: 1_767_225_600,
      metadata: { curbgate_session: "ses_A1_x" },
    };
    expect(applyMappings(intent, spec.templates.default, spec.target).output).toEqual({
      transactionId: "pi_123",
      amountCents: 800,
      currency: "USD",
      status: "succeeded",
      createdAt: "2026-01-01T00:00:00.000Z",
      sessionId: "ses_A1_x",
    });
  });

  it("a connector that declares only fields gets its Curbgate entity by name and a same-name default template", () => {
    const fields: FieldDefinition[] = [
      { name: "number", type: "string", required: true },
      { name: "amount_cents", type: "money", required: true },
      { name: "memo", type: "string" },
    ];
    const acme = { provider: "acme", fields: { invoices: fields, widgets: fields } } as unknown as Connector;
    expect(mappingSpecs(acme).map((s) => s.entity)).toEqual(["invoices"]); // there is no Curbgate "widget"
    const spec = mappingSpec(acme, "invoices")!;
    expect(spec).toMatchObject({
      curbgateEntity: "invoice",
      direction: "outbound",
      source: CURBGATE_FIELDS.invoice,
      target: fields,
    });
    expect(spec.templates.default).toEqual([
      { from: "number", to: "number" },
      { from: "amountCents", to: "amount_cents" },
    ]);
  });
});
