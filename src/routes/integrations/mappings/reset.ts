import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { audit } from "../../../http/audit";
import { db } from "../../../storage/db";
import { deleteMapping } from "../../../storage/field-mappings";
import { mappingInForce } from "../../../mapping/current";
import { ProviderParams } from "../sync/schemas";
import { bearer, errors, json, jsonBody } from "../../common";
import { presentMapping, requireSpec } from "./lookup";
import { EntityBody, MappingSchema } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{provider}/mappings/reset",
  tags: ["Field mappings"],
  summary:
    "Forget the tenant's mapping for an entity: the connector's default template applies again, and follows it from now on",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ProviderParams, body: jsonBody(EntityBody) },
  responses: { 200: json(MappingSchema, "The default now in force"), ...errors(404) },
});

export const resetMappings = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const { entity } = c.req.valid("json");
  const { spec } = requireSpec(provider, entity);
  const removed = await deleteMapping(db(c.env.DB), c.get("principal").tenantId, provider, entity);
  audit(c, "integration.mappings.reset", `${provider}:${entity}`, { removed });
  return c.json(presentMapping(spec, mappingInForce(spec, null)), 200);
});
