import { validateZoneRules } from "../../domain/rules";
import type { ZoneRules } from "../../domain/types";
import { ApiError } from "../../http/problem";
import { rulesOf, type ZoneRow } from "../../storage/zones";
import { iso } from "../common";

export function presentZone(row: ZoneRow) {
  return { ...rulesOf(row), capacity: row.capacity, version: row.version, updatedAt: iso(row.updatedAt) };
}

/** The domain's own rule checks (time zone, windows, increments) as field errors. */
export function assertValidRules(rules: ZoneRules) {
  const problems = validateZoneRules(rules);
  if (problems.length)
    throw new ApiError(422, "The zone's rules are inconsistent", {
      errors: problems.map((p) => ({ location: "body" as const, path: p.path, message: p.message })),
    });
}
