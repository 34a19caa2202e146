import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { audit } from "../../../http/audit";
import { db } from "../../../storage/db";
import { saveMapping } from "../../../storage/field-mappings";
import { mappingInForce } from "../../../mapping/current";
import { validateMappings } from "../../../mapping/validate";
import { ProviderParams } from "../sync/schemas";
import { bearer, errors, json, jsonBody } from "../../common";
import { presentMapping, problemsAsErrors, requireSpec } from "./lookup";
import { MappingSchema, PutMappings } from "./schemas";

const route = createRoute({
  method: "put",
  path: "/{provider}/mappings",
  tags: ["Field mappings"],
  summary: "Replace the tenant's field mapping for one entity",
  description:
    "Refused with 422 unless every row names fields that exist on its side, each transform reads the source field's type and gives the target's, " +
    "no target is filled twice, and every required target field is filled; `errors` lists every problem at its row (`mappings.<row>.<from|to|transform>`).",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ProviderParams, body: jsonBody(PutMappings) },
  responses: { 200: json(MappingSchema, "Saved"), ...errors(404) },
});

export const putMappings = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const body = c.req.valid("json");
  const { spec } = requireSpec(provider, body.entity);
  const problems = validateMappings(body.mappings, spec);
  if (problems.length)
    throw new ApiError(422, `The mapping does not fit ${provider} ${body.entity}`, { errors: problemsAsErrors(problems) });
  const row = await saveMapping(db(c.env.DB), {
    tenantId: c.get("principal").tenantId,
    provider,
    entity: body.entity,
    mappings: body.mappings,
    template: null,
  });
  audit(c, "integration.mappings.update", `${provider}:${body.entity}`, { mappings: body.mappings });
  return c.json(presentMapping(spec, mappingInForce(spec, row)), 200);
});
