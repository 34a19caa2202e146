// What a connector declares about one of its entities, resolved into the two sides of a mapping. A
// connector that declares `fields` but no `mappings` entry still works: its entity "invoices" pairs with
// Curbgate's "invoice", records flow outbound, and the default template pairs fields whose names match.
import type { EntityMapping, FieldDefinition, FieldMapping } from "./types";

/** What a connector declares for field mappings (a Connector satisfies it). */
export interface MappedEntities {
  provider: string;
  fields?: Record<string, FieldDefinition[]>;
  mappings?: Record<string, EntityMapping>;
}
import { curbgateFields } from "./curbgate-fields";
import { normalisedName } from "./heal";
import type { Sides } from "./validate";

export interface MappingSpec extends Sides {
  provider: string;
  entity: string;
  curbgateEntity: string;
  direction: EntityMapping["direction"];
  curbgateFields: readonly FieldDefinition[];
  providerFields: readonly FieldDefinition[];
  templates: EntityMapping["templates"];
}

/** Rows pairing each target field with the source field of the same name (case and separators ignored) and type. */
export function sameNameTemplate(source: readonly FieldDefinition[], target: readonly FieldDefinition[]): FieldMapping[] {
  return target.flatMap((t) => {
    const s = source.find((d) => normalisedName(d.name) === normalisedName(t.name) && d.type === t.type);
    return s ? [{ from: s.name, to: t.name }] : [];
  });
}

export function mappingSpec(connector: MappedEntities, entity: string): MappingSpec | undefined {
  const providerFields = connector.fields && Object.hasOwn(connector.fields, entity) ? connector.fields[entity]! : undefined;
  if (!providerFields) return undefined;
  const declared = connector.mappings && Object.hasOwn(connector.mappings, entity) ? connector.mappings[entity] : undefined;
  const curbgateEntity = declared?.curbgate ?? entity.replace(/s$/, "");
  const ours = curbgateFields(curbgateEntity);
  if (!ours) return undefined;
  const direction = declared?.direction ?? "outbound";
  const [source, target] = direction === "outbound" ? [ours, providerFields] : [providerFields, ours];
  const ourLabel = `Curbgate ${curbgateEntity}`;
  const theirLabel = `${connector.provider} ${entity}`;
  return {
    provider: connector.provider,
    entity,
    curbgateEntity,
    direction,
    curbgateFields: ours,
    providerFields,
    source,
    target,
    sourceLabel: direction === "outbound" ? ourLabel : theirLabel,
    targetLabel: direction === "outbound" ? theirLabel : ourLabel,
    templates: declared?.templates ?? { default: sameNameTemplate(source, target) },
  };
}

/** Every entity of the connector that can be mapped, with its spec. */
export const mappingSpecs = (connector: MappedEntities): MappingSpec[] =>
  Object.keys(connector.fields ?? {}).flatMap((entity) => mappingSpec(connector, entity) ?? []);
