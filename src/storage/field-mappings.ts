// A tenant's saved field mappings, one row per provider and entity. No row means the connector's
// default template applies (and follows it as the connector evolves).
import { and, eq } from "drizzle-orm";
import { type CurrentMapping, mappingInForce } from "../mapping/current";
import type { MappingSpec } from "../mapping/spec";
import type { FieldMapping } from "../mapping/types";
import type { Db } from "./db";
import { fieldMappings } from "./schema";

export type FieldMappingRow = typeof fieldMappings.$inferSelect;

const key = (tenantId: string, provider: string, entity: string) =>
  and(eq(fieldMappings.tenantId, tenantId), eq(fieldMappings.provider, provider), eq(fieldMappings.entity, entity));

export async function savedMapping(
  database: Db,
  tenantId: string,
  provider: string,
  entity: string,
): Promise<FieldMappingRow | null> {
  const [row] = await database
    .select()
    .from(fieldMappings)
    .where(key(tenantId, provider, entity))
    .limit(1);
  return row ?? null;
}

export function savedMappings(database: Db, tenantId: string, provider: string): Promise<FieldMappingRow[]> {
  return database
    .select()
    .from(fieldMappings)
    .where(and(eq(fieldMappings.tenantId, tenantId), eq(fieldMappings.provider, provider)));
}

export async function saveMapping(
  database: Db,
  row: { tenantId: string; provider: string; entity: string; mappings: FieldMapping[]; template: string | null },
  nowMs = Date.now(),
) {
  const [saved] = await database
    .insert(fieldMappings)
    .values({ ...row, updatedAt: nowMs })
    .onConflictDoUpdate({
      target: [fieldMappings.tenantId, fieldMappings.provider, fieldMappings.entity],
      set: { mappings: row.mappings, template: row.template, updatedAt: nowMs },
    })
    .returning();
  return saved!;
}

/** Forgets the saved mapping; true if there was one. */
export async function deleteMapping(database: Db, tenantId: string, provider: string, entity: string): Promise<boolean> {
  return (
    (
      await database
        .delete(fieldMappings)
        .where(key(tenantId, provider, entity))
        .returning({ entity: fieldMappings.entity })
    ).length > 0
  );
}

/** The mapping in force for a tenant: its saved one, else the connector's default template. */
export async function currentMapping(database: Db, tenantId: string, spec: MappingSpec): Promise<CurrentMapping> {
  return mappingInForce(spec, await savedMapping(database, tenantId, spec.provider, spec.entity));
}
