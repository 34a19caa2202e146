import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { audit } from "../../../http/audit";
import { db } from "../../../storage/db";
import { saveMapping } from "../../../storage/field-mappings";
import { mappingInForce } from "../../../mapping/current";
import { ProviderParams } from "../sync/schemas";
import { bearer, errors, json, jsonBody } from "../../common";
import { presentMapping, requireSpec } from "./lookup";
import { MappingSchema, TemplateBody } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{provider}/mappings/apply-template",
  tags: ["Field mappings"],
  summary: "Save a copy of one of the connector's named templates as the tenant's mapping for an entity",
  description:
    "GET …/fields lists each entity's templates. The copy stays as it is when the connector's template changes later; `reset` follows the default instead.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ProviderParams, body: jsonBody(TemplateBody) },
  responses: { 200: json(MappingSchema, "Saved"), ...errors(404) },
});

export const applyTemplate = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const body = c.req.valid("json");
  const { spec } = requireSpec(provider, body.entity);
  const rows = Object.hasOwn(spec.templates, body.template) ? spec.templates[body.template] : undefined;
  if (!rows)
    throw new ApiError(422, `${provider} ${body.entity} has no template "${body.template}"`, {
      errors: [{ location: "body", path: "template", message: `One of: ${Object.keys(spec.templates).join(", ")}` }],
    });
  const row = await saveMapping(db(c.env.DB), {
    tenantId: c.get("principal").tenantId,
    provider,
    entity: body.entity,
    mappings: [...rows],
    template: body.template,
  });
  audit(c, "integration.mappings.template", `${provider}:${body.entity}`, { template: body.template });
  return c.json(presentMapping(spec, mappingInForce(spec, row)), 200);
});
