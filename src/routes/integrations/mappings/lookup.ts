// What every mapping route resolves first: the provider's connector (404 without one) and the entity's
// mapping spec (422 naming the mappable entities). Then how a mapping is presented.
import type { Connector } from "../../../sync/contract";
import { ApiError, type FieldError } from "../../../http/problem";
import type { CurrentMapping } from "../../../mapping/current";
import { mappingSpec, mappingSpecs, type MappingSpec } from "../../../mapping/spec";
import { validateMappings, type MappingProblem } from "../../../mapping/validate";
import { requireConnector } from "../sync/lookup";

export function requireSpec(
  provider: string,
  entity: string,
  location: FieldError["location"] = "body",
): { connector: Connector; spec: MappingSpec } {
  const connector = requireConnector(provider);
  const spec = mappingSpec(connector, entity);
  if (!spec) {
    const known = mappingSpecs(connector).map((s) => s.entity);
    throw new ApiError(422, `${provider} has no mappable entity "${entity}"`, {
      errors: [
        {
          location,
          path: "entity",
          message: known.length ? `One of: ${known.join(", ")}` : `${provider} declares no mappable fields`,
        },
      ],
    });
  }
  return { connector, spec };
}

/** Validation problems as field errors of the request body, each at its row. */
export const problemsAsErrors = (problems: MappingProblem[]): FieldError[] =>
  problems.map((p) => ({
    location: "body",
    path: p.row === null ? "mappings" : `mappings.${p.row}.${p.field}`,
    message: p.message,
  }));

export const presentMapping = (spec: MappingSpec, m: CurrentMapping) => ({
  provider: spec.provider,
  entity: spec.entity,
  curbgateEntity: spec.curbgateEntity,
  direction: spec.direction,
  template: m.template,
  custom: m.custom,
  mappings: m.mappings,
  problems: validateMappings(m.mappings, spec),
  updatedAt: m.updatedAt === null ? null : new Date(m.updatedAt).toISOString(),
});
