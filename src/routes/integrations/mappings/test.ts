import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { db } from "../../../storage/db";
import { applyMappings } from "../../../mapping/apply";
import { currentMapping } from "../../../storage/field-mappings";
import { validateMappings } from "../../../mapping/validate";
import { ProviderParams } from "../sync/schemas";
import { bearer, errors, json, jsonBody } from "../../common";
import { requireSpec } from "./lookup";
import { StoredFieldMapping, MappingProblemSchema, RowErrorSchema, TestBody } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/{provider}/mappings/test",
  tags: ["Field mappings"],
  summary: "Apply a mapping (the tenant's current one, or the one given) to a sample record; nothing is saved or sent",
  description:
    "`output` is what the sync would send (or store); `errors` are rows the sample could not fill, `problems` rows that would not pass PUT.",
  security: bearer,
  middleware: [requireScope("integrations:read")] as const,
  request: { params: ProviderParams, body: jsonBody(TestBody) },
  responses: {
    200: json(
      z.object({
        entity: z.string(),
        mappings: z.array(StoredFieldMapping),
        output: z.record(z.string(), z.unknown()),
        errors: z.array(RowErrorSchema),
        problems: z.array(MappingProblemSchema),
        ok: z.boolean().openapi({ description: "No errors and no problems" }),
      }),
      "The mapped sample",
    ),
    ...errors(404),
  },
});

export const testMappings = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const body = c.req.valid("json");
  const { spec } = requireSpec(provider, body.entity);
  const mappings = body.mappings ?? (await currentMapping(db(c.env.DB), c.get("principal").tenantId, spec)).mappings;
  const { output, errors: rowErrors } = applyMappings(body.sample, mappings, spec.target);
  const problems = validateMappings(mappings, spec);
  return c.json(
    { entity: spec.entity, mappings, output, errors: rowErrors, problems, ok: rowErrors.length === 0 && problems.length === 0 },
    200,
  );
});
