import { z } from "@hono/zod-openapi";
import { Instant, Plate, ZoneCode } from "../common";

export const ViolationStatus = z.enum(["pending", "issued", "cancelled"]);

export const EvidenceSchema = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ example: "PHOTO" }),
    copyStatus: z.enum(["stored", "not_copied"]),
    contentType: z.string().nullable().openapi({ description: "By the bytes' magic number, not the sender's word" }),
    bytes: z.number().int().nullable(),
    sha256: z.string().nullable().openapi({ description: "Hex SHA-256 of the stored bytes (chain of custody)" }),
    sourceUrl: z.string().nullable().openapi({ description: "Where the sender said the evidence was" }),
    copyError: z.string().nullable().openapi({ description: "Why it could not be copied" }),
    capturedAt: z.string().nullable(),
    metadata: z.unknown().nullable(),
    createdAt: z.string(),
  })
  .openapi("Evidence");

export const ViolationSchema = z
  .object({
    id: z.string(),
    source: z.string().openapi({ example: "ips" }),
    externalId: z.string().nullable().openapi({ description: "The source's own id (IPS violationId)" }),
    status: ViolationStatus,
    plate: z.string(),
    state: z.string().nullable(),
    zone: z.string(),
    violationType: z.string().openapi({ example: "EXPIRED_METER" }),
    description: z.string().nullable(),
    fineCents: z.number().int().nullable(),
    officerId: z.string().nullable(),
    deviceId: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    address: z.string().nullable(),
    weather: z.string().nullable(),
    timeOfDay: z.string().nullable(),
    citationId: z.string().nullable(),
    observedAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    evidence: z.array(EvidenceSchema),
  })
  .openapi("Violation");

export const ViolationIdParams = z.object({
  id: z
    .string()
    .regex(/^vio_[A-Za-z0-9]{20}$/, "Not a violation id")
    .openapi({ param: { name: "id", in: "path" }, example: "vio_7KQ2M9xv4TfB8cWn3pZr" }),
});

export const ListViolationsQuery = z.object({
  zone: ZoneCode.optional(),
  plate: Plate.optional(),
  officer: z.string().min(1).max(128).optional().openapi({ description: "Officer id, as the handheld reported it" }),
  status: ViolationStatus.optional(),
  from: Instant.optional().openapi({ description: "Observed at or after this instant" }),
  to: Instant.optional().openapi({ description: "Observed before this instant" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,16}\.vio_[A-Za-z0-9]{20}$/, "Not a cursor from a previous page")
    .optional()
    .openapi({ description: "`nextCursor` of the previous page" }),
});
