// A single plate check in a zone of 10 000 or 100 000 live sessions; its cost must not grow with the zone.
import { pooled } from "../lib/cannon.mjs";
import { call, expectStatus } from "../lib/http.mjs";
import { hitPlate, missPlate, somePlate } from "../lib/plates.mjs";
import { fail } from "../lib/print.mjs";
import { settings } from "../lib/settings.mjs";

export const officerHeaders = (key) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });

const verifyBodies = (zone, count) =>
  Array.from({ length: settings.bodyPool }, () => JSON.stringify({ plate: somePlate(count), state: "CT", zone }));

/** Before the load: a known plate comes back ACTIVE with an exact match, an unknown one NO_RECORD. */
const sanityVerify = (base, key, zone, count) => async () => {
  const hit = await expectStatus(
    call(base, "POST", "/v1/verify", { key, body: { plate: hitPlate(count), state: "CT", zone } }),
    200,
    `verify hit in ${zone}`,
  );
  if (hit.status !== "ACTIVE" || hit.matchType !== "exact")
    fail(`verify hit in ${zone}: expected ACTIVE/exact, got ${JSON.stringify(hit)}`);
  const miss = await expectStatus(
    call(base, "POST", "/v1/verify", { key, body: { plate: missPlate(), state: "CT", zone } }),
    200,
    `verify miss in ${zone}`,
  );
  if (miss.status !== "NO_RECORD") fail(`verify miss in ${zone}: expected NO_RECORD, got ${JSON.stringify(miss)}`);
};

/** `id` is verify10k or verify100k; `sessions` is how many the zone holds. */
export const verifyScenario = (base, officerKey, id, zone, sessions) => ({
  id,
  title: `POST /v1/verify, ${sessions / 1000}k sessions`,
  method: "POST",
  path: "/v1/verify",
  headers: officerHeaders(officerKey),
  setupRequest: pooled(verifyBodies(zone, sessions)),
  check: sanityVerify(base, officerKey, zone, sessions),
});
