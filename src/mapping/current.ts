// The mapping in force for a tenant, provider and entity: the saved one, else the default template.
import type { FieldMapping } from "./types";
import type { Db } from "../storage/db";
import { savedMapping, type FieldMappingRow } from "../storage/field-mappings";
import type { MappingSpec } from "./spec";

export interface CurrentMapping {
  mappings: FieldMapping[];
  /** The template it came from, or null once edited by hand or healed. */
  template: string | null;
  /** False while the tenant follows the connector's default template. */
  custom: boolean;
  updatedAt: number | null;
}

export function mappingInForce(spec: MappingSpec, row: FieldMappingRow | null): CurrentMapping {
  if (row) return { mappings: row.mappings, template: row.template, custom: true, updatedAt: row.updatedAt };
  return { mappings: [...spec.templates.default], template: "default", custom: false, updatedAt: null };
}

export async function currentMapping(database: Db, tenantId: string, spec: MappingSpec): Promise<CurrentMapping> {
  return mappingInForce(spec, await savedMapping(database, tenantId, spec.provider, spec.entity));
}
