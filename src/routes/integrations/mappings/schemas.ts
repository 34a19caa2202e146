import { z } from "@hono/zod-openapi";
import { TRANSFORM_NAMES } from "../../../mapping/transforms";

const MAX_ROWS = 100;
const MAX_SAMPLE_CHARS = 16 * 1024;

const FieldPath = z
  .string()
  .regex(/^[A-Za-z0-9_$-]{1,64}(\.[A-Za-z0-9_$-]{1,64}){0,4}$/, "A field name, or a dotted path of up to five names");
const Entity = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/, "Not an entity name")
  .openapi({ example: "sessions", description: "The provider's entity, as GET …/fields lists it" });

export const FieldMappingSchema = z
  .object({
    from: FieldPath.openapi({
      example: "plate",
      description: "A field of the source record (Curbgate's for outbound entities, the provider's for inbound)",
    }),
    to: FieldPath.openapi({ example: "licensePlate", description: "A field of the target record" }),
    transform: z.enum(TRANSFORM_NAMES).optional().openapi({ description: "Applied to the value on the way; none copies it" }),
  })
  .openapi("FieldMapping");

const Rows = z.array(FieldMappingSchema).max(MAX_ROWS);
// As stored and returned: a saved row may name a transform a later version no longer has (GET reports it as a problem).
export const StoredFieldMapping = z
  .object({ from: z.string(), to: z.string(), transform: z.string().optional() })
  .openapi("StoredFieldMapping");

export const FieldDefinitionSchema = z
  .object({
    name: z.string(),
    type: z
      .enum(["string", "number", "boolean", "datetime", "money", "list"])
      .openapi({ description: "money is integer cents; datetime an ISO 8601 instant; list a list of text" }),
    required: z.boolean(),
    description: z.string().nullable(),
    aliases: z.array(z.string()).openapi({ description: "Former names; heal follows them" }),
  })
  .openapi("FieldDefinition");

export const MappingProblemSchema = z.object({
  row: z.number().int().nullable(),
  field: z.enum(["from", "to", "transform"]).nullable(),
  message: z.string(),
});

export const MappingSchema = z
  .object({
    provider: z.string(),
    entity: z.string(),
    curbgateEntity: z.string(),
    direction: z
      .enum(["outbound", "inbound"])
      .openapi({ description: "outbound: Curbgate's record is the source; inbound: the provider's is" }),
    template: z.string().nullable().openapi({ description: "The template it came from; null once edited by hand or healed" }),
    custom: z.boolean().openapi({ description: "False while the tenant follows the connector's default template" }),
    mappings: z.array(StoredFieldMapping),
    problems: z
      .array(MappingProblemSchema)
      .openapi({ description: "What no longer fits the fields as they are now (POST …/mappings/heal repairs it)" }),
    updatedAt: z.string().nullable(),
  })
  .openapi("Mapping");

export const EntityQuery = z.object({ entity: Entity.optional() });
export const EntityBody = z.object({ entity: Entity }).openapi("MappingEntity");
export const PutMappings = z.object({ entity: Entity, mappings: Rows.min(1) }).openapi("PutMappings");
export const TemplateBody = z
  .object({ entity: Entity, template: z.string().min(1).max(64).openapi({ example: "default" }) })
  .openapi("ApplyMappingTemplate");
export const HealBody = z
  .object({
    entity: Entity,
    dryRun: z.boolean().default(false).openapi({ description: "Report what would change without saving" }),
  })
  .openapi("HealMappings");
export const TestBody = z
  .object({
    entity: Entity,
    sample: z
      .record(z.string(), z.unknown())
      .refine((s) => JSON.stringify(s).length <= MAX_SAMPLE_CHARS, `At most ${MAX_SAMPLE_CHARS} characters of JSON`)
      .openapi({ description: "One source record", example: { id: "ses_A1_x", plate: "ABC123", zone: "A1", status: "active" } }),
    mappings: Rows.optional().openapi({ description: "Mappings to try; the tenant's current ones when absent" }),
  })
  .openapi("TestMappings");

export const RowErrorSchema = z.object({ row: z.number().int(), from: z.string(), to: z.string(), message: z.string() });

export const HealChangeSchema = z.object({
  row: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "Index before healing; null for a row added from the default template" }),
  before: StoredFieldMapping.nullable(),
  after: StoredFieldMapping.nullable().openapi({ description: "null when the row was dropped" }),
  reason: z.string(),
});
