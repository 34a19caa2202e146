// 50 plate checks in one request, against BENCH10K: plates/s must beat single checks many times over.
import { pooled } from "../lib/cannon.mjs";
import { call, expectStatus } from "../lib/http.mjs";
import { somePlate } from "../lib/plates.mjs";
import { fail } from "../lib/print.mjs";
import { settings, ZONES } from "../lib/settings.mjs";
import { officerHeaders } from "./verify.mjs";

export function batchScenario(base, officerKey) {
  const batchBodies = Array.from({ length: 1024 }, () =>
    JSON.stringify({
      zone: ZONES.small,
      checks: Array.from({ length: settings.batchSize }, () => ({ plate: somePlate(settings.sessionsSmall), state: "CT" })),
    }),
  );
  return {
    id: "batch50",
    title: `POST /v1/verify/batch, ${settings.batchSize} plates`,
    method: "POST",
    path: "/v1/verify/batch",
    headers: officerHeaders(officerKey),
    platesPerRequest: settings.batchSize,
    setupRequest: pooled(batchBodies),
    check: async () => {
      const r = await expectStatus(
        call(base, "POST", "/v1/verify/batch", { key: officerKey, body: JSON.parse(batchBodies[0]) }),
        200,
        "batch",
      );
      if (r.results?.length !== settings.batchSize || r.results.some((x) => x.error))
        fail(`batch: unexpected results ${JSON.stringify(r).slice(0, 500)}`);
    },
  };
}
