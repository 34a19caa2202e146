import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { audit } from "../../../http/audit";
import { db } from "../../../storage/db";
import { mappingInForce } from "../../../mapping/current";
import { currentMapping, saveMapping } from "../../../storage/field-mappings";
import { healMappings } from "../../../mapping/heal";
import { ProviderParams } from "../sync/schemas";
import { bearer, errors, json, jsonBody } from "../../common";
import { presentMapping, requireSpec } from "./lookup";
import { HealBody, HealChangeSchema, MappingSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{provider}/mappings/heal",
  tags: ["Field mappings"],
  summary: "Repair the tenant's mapping for an entity after fields vanished or were renamed, and say what changed and why",
  description:
    "A vanished field is matched to a field that declares its old name as an alias, then to one whose name is the same but for case and separators, " +
    "then to the single closest name (at least 75 % alike). Rows that cannot be repaired, or whose repair no longer fits the transform, are dropped; " +
    "required target fields left empty are filled from the default template. Nothing is saved when nothing changed or with `dryRun`.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ProviderParams, body: jsonBody(HealBody) },
  responses: {
    200: json(
      z.object({ mapping: MappingSchema, changes: z.array(HealChangeSchema), saved: z.boolean() }),
      "The healed mapping and each change",
    ),
    ...errors(404),
  },
});

export const healMapping = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const { entity, dryRun } = c.req.valid("json");
  const { spec } = requireSpec(provider, entity);
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const current = await currentMapping(database, tenantId, spec);
  const { mappings, changes } = healMappings(current.mappings, spec, spec.templates.default);
  if (!changes.length || dryRun)
    return c.json(
      {
        mapping: presentMapping(spec, { ...current, mappings, template: changes.length ? null : current.template }),
        changes,
        saved: false,
      },
      200,
    );
  const row = await saveMapping(database, { tenantId, provider, entity, mappings, template: null });
  audit(c, "integration.mappings.heal", `${provider}:${entity}`, { changes });
  return c.json({ mapping: presentMapping(spec, mappingInForce(spec, row)), changes, saved: true }, 200);
});
