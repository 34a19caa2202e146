// dashboard/src/api/schema.d.ts must be exactly what openapi-typescript makes of dashboard/openapi.json
// (test/worker/dashboard/api-types.test.ts checks that document against the live worker).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script without declarations
import { OPENAPI_SNAPSHOT, SCHEMA_TYPES, typesFor } from "../../scripts/gen-api-types.mjs";

describe("dashboard API types", () => {
  it("are what openapi-typescript generates from the saved OpenAPI document (else run `npm run gen:api`)", async () => {
    const document = JSON.parse(readFileSync(OPENAPI_SNAPSHOT, "utf8"));
    expect(readFileSync(SCHEMA_TYPES, "utf8")).toBe(await typesFor(document));
  }, 30_000);
});
