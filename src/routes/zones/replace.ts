// A zone's rules replaced, from either door: staff (PUT /v1/zones/{code}) or a meter's remote
// configuration (PUT /api/parkeon/meter-config/{meterId}). One path for both: the next version in D1 with
// its author in zone_rule_versions (one batch), pushed to the zone's object before the answer so the very
// next plate check and sale use it, then audited. The caller has validated the rules in its own terms.
import type { Context } from "hono";
import { actorOf } from "../../auth/principal";
import type { ZoneRules } from "../../domain/types";
import type { AppEnv } from "../../env";
import { audit } from "../../http/audit";
import { ApiError } from "../../http/problem";
import { db } from "../../storage/db";
import { configureZone } from "../../storage/zone-state";
import { replaceZone } from "../../storage/zones";

export async function replaceZoneRules(
  c: Context<AppEnv>,
  change: { rules: ZoneRules; capacity: number | null; source: string; action: string },
) {
  const { rules, capacity, source, action } = change;
  const principal = c.get("principal");
  const by = { source, actor: actorOf(principal) };
  const row = await replaceZone(db(c.env.DB), principal.tenantId, rules, capacity, by);
  if (!row) throw new ApiError(404, `Zone ${rules.code} not found`);
  await configureZone(c.env, row);
  audit(c, action, rules.code, { version: row.version, source });
  return row;
}
