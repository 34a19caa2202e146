// The mapping in force for a tenant, provider and entity: the saved one, else the default template.
// Pure: src/storage/field-mappings.ts reads the saved row (currentMapping) and asks this which applies.
import type { MappingSpec } from "./spec";
import type { FieldMapping } from "./types";

/** A tenant's saved mapping, as storage keeps it. */
export interface SavedMapping {
  mappings: FieldMapping[];
  template: string | null;
  updatedAt: number;
}

export interface CurrentMapping {
  mappings: FieldMapping[];
  /** The template it came from, or null once edited by hand or healed. */
  template: string | null;
  /** False while the tenant follows the connector's default template. */
  custom: boolean;
  updatedAt: number | null;
}

export function mappingInForce(spec: MappingSpec, row: SavedMapping | null): CurrentMapping {
  if (row) return { mappings: row.mappings, template: row.template, custom: true, updatedAt: row.updatedAt };
  return { mappings: [...spec.templates.default], template: "default", custom: false, updatedAt: null };
}
