import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { db } from "../../../storage/db";
import { savedMappings } from "../../../storage/field-mappings";
import { mappingInForce } from "../../../mapping/current";
import { mappingSpecs } from "../../../mapping/spec";
import { requireConnector } from "../sync/lookup";
import { ProviderParams } from "../sync/schemas";
import { bearer, errors, json } from "../../common";
import { presentMapping, requireSpec } from "./lookup";
import { EntityQuery, MappingSchema } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{provider}/mappings",
  tags: ["Field mappings"],
  summary: "The tenant's field mapping for each entity (or one): its saved mapping, else the default template",
  description:
    "`problems` lists what no longer fits the fields as the connector declares them now; `POST …/mappings/heal` repairs it.",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  request: { params: ProviderParams, query: EntityQuery },
  responses: { 200: json(z.object({ provider: z.string(), data: z.array(MappingSchema) }), "Mappings in force"), ...errors(404) },
});

export const getMappings = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const { entity } = c.req.valid("query");
  const specs = entity ? [requireSpec(provider, entity, "query").spec] : mappingSpecs(requireConnector(provider));
  const saved = new Map((await savedMappings(db(c.env.DB), c.get("principal").tenantId, provider)).map((r) => [r.entity, r]));
  return c.json({ provider, data: specs.map((s) => presentMapping(s, mappingInForce(s, saved.get(s.entity) ?? null))) }, 200);
});
