import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import type { FieldDefinition } from "../../../sync/contract";
import { router } from "../../../http/router";
import { mappingSpecs } from "../../../mapping/spec";
import { TRANSFORMS, TRANSFORM_NAMES } from "../../../mapping/transforms";
import { requireConnector } from "../sync/lookup";
import { ProviderParams } from "../sync/schemas";
import { bearer, errors, json } from "../../common";
import { FieldDefinitionSchema, StoredFieldMapping } from "./schemas";

const FieldType = FieldDefinitionSchema.shape.type;
const route = createRoute({
  method: "get",
  path: "/{provider}/fields",
  tags: ["Field mappings"],
  summary:
    "For each mappable entity: Curbgate's fields, the provider's fields, the templates, and the transforms a mapping may use",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  request: { params: ProviderParams },
  responses: {
    200: json(
      z.object({
        provider: z.string(),
        entities: z.array(
          z.object({
            entity: z.string(),
            curbgateEntity: z.string(),
            direction: z.enum(["outbound", "inbound"]),
            curbgate: z.array(FieldDefinitionSchema),
            provider: z.array(FieldDefinitionSchema),
            templates: z.record(z.string(), z.array(StoredFieldMapping)),
          }),
        ),
        transforms: z.array(
          z.object({ name: z.enum(TRANSFORM_NAMES), accepts: z.array(FieldType), gives: FieldType, description: z.string() }),
        ),
      }),
      "The fields on both sides",
    ),
    ...errors(404),
  },
});

const present = (d: FieldDefinition) => ({
  name: d.name,
  type: d.type,
  required: d.required ?? false,
  description: d.description ?? null,
  aliases: d.aliases ?? [],
});

export const listFields = router().openapi(route, (c) => {
  const { provider } = c.req.valid("param");
  const entities = mappingSpecs(requireConnector(provider)).map((s) => ({
    entity: s.entity,
    curbgateEntity: s.curbgateEntity,
    direction: s.direction,
    curbgate: s.curbgateFields.map(present),
    provider: s.providerFields.map(present),
    templates: s.templates,
  }));
  const transforms = TRANSFORM_NAMES.map((name) => ({
    name,
    accepts: [...TRANSFORMS[name].accepts],
    gives: TRANSFORMS[name].gives,
    description: TRANSFORMS[name].description,
  }));
  return c.json({ provider, entities, transforms }, 200);
});
