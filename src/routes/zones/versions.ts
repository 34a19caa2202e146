// A zone's rule versions: every change recorded with who made it, staff or a meter's remote
// configuration (zone_rule_versions). Versions made before the history was kept are not listed.
import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findZone, listRuleVersions } from "../../storage/zones";
import { bearer, errors, iso, json } from "../common";
import { ZoneCodeParams } from "./schemas";

const RuleVersion = z
  .object({
    version: z.number().int(),
    rules: z.record(z.string(), z.unknown()).openapi({ description: "The zone's rules as that version set them" }),
    source: z.string().openapi({ description: '"staff", "seed", or "parkeon:<meterId>" (a meter\'s remote configuration)' }),
    actor: z.string().openapi({ description: '"key:<id>" or "user:<id>" who made the change' }),
    at: z.string(),
  })
  .openapi("ZoneRuleVersion");

const VersionsQuery = z.object({
  beforeVersion: z.coerce.number().int().min(1).optional().openapi({ description: "Page back: versions older than this" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const route = createRoute({
  method: "get",
  path: "/{code}/versions",
  tags: ["Zones"],
  summary: "A zone's rule versions, newest first, with who made each",
  security: bearer,
  middleware: [requireScope("zones:read")] as const,
  request: { params: ZoneCodeParams, query: VersionsQuery },
  responses: {
    200: json(
      z.object({
        zone: z.string(),
        data: z.array(RuleVersion),
        nextBeforeVersion: z.number().int().nullable().openapi({ description: "Pass as beforeVersion for the next page" }),
      }),
      "Versions, newest first",
    ),
    ...errors(404),
  },
});

export const zoneVersions = router().openapi(route, async (c) => {
  const code = c.req.valid("param").code;
  const { beforeVersion, limit } = c.req.valid("query");
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  if (!(await findZone(database, tenantId, code))) throw new ApiError(404, `Zone ${code} not found`);
  const rows = await listRuleVersions(database, tenantId, code, { beforeVersion, limit });
  const data = rows.map((r) => ({
    version: r.version,
    rules: r.rules as Record<string, unknown>,
    source: r.source,
    actor: r.actor,
    at: iso(r.at),
  }));
  const last = rows[rows.length - 1];
  return c.json({ zone: code, data, nextBeforeVersion: rows.length === limit && last ? last.version : null }, 200);
});
