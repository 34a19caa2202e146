// The dashboard's typed client is generated from dashboard/openapi.json (npm run gen:api). This fails when
// the worker's live /openapi.json has drifted from that saved copy, i.e. when the types are out of date.
import { describe, expect, it } from "vitest";
import saved from "../../../dashboard/openapi.json";
import { call } from "../fixtures";

describe("dashboard API types", () => {
  it("were generated from the OpenAPI document the worker serves now (else run `npm run gen:api`)", async () => {
    const live = await (await call("/openapi.json", { key: null })).json();
    expect(live).toEqual(saved);
  });
});
