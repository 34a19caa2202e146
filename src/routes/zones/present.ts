import { validateZoneRules } from "../../domain/rules";
import type { ZoneRules } from "../../domain/types";
import { ApiError } from "../../http/problem";
import type { Db } from "../../storage/db";
import { violationCodeAllowed } from "../../storage/violation-codes";
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

/** A violation code named on a zone must be one of the tenant's active codes, once it keeps a table of them. */
export async function assertAllowedViolationCode(database: Db, tenantId: string, code: string | undefined, path: string) {
  if (code === undefined || (await violationCodeAllowed(database, tenantId, code))) return;
  const message = `${code} is not one of the tenant's active violation codes`;
  throw new ApiError(422, message, { errors: [{ location: "body", path, message }] });
}
