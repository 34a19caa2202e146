import { z } from "@hono/zod-openapi";
import { Instant, Plate, UsState, ZoneCode } from "../common";

export const PermitType = z.enum(["RESIDENTIAL", "BUSINESS", "VISITOR"]);

export const CreatePermit = z
  .object({
    plate: Plate,
    state: UsState.optional(),
    type: PermitType,
    number: z.string().min(1).max(40).optional().openapi({ description: "Defaults to e.g. RES-2026-7KQ2M9" }),
    zones: z.array(ZoneCode).min(1).max(50),
    validFrom: Instant.optional().openapi({ description: "Defaults to now" }),
    validUntil: Instant,
  })
  .openapi("CreatePermit");

export const PermitSchema = z
  .object({
    id: z.string(),
    plate: z.string(),
    state: z.string().nullable(),
    type: PermitType,
    number: z.string(),
    zones: z.array(z.string()),
    validFrom: z.string(),
    validUntil: z.string(),
    status: z.enum(["active", "revoked"]),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Permit");

export const PermitIdParams = z.object({
  id: z
    .string()
    .regex(/^prm_[A-Za-z0-9]{20}$/, "Not a permit id")
    .openapi({ param: { name: "id", in: "path" }, example: "prm_7KQ2M9xv4TfB8cWn3pZr" }),
});

export const ListPermitsQuery = z.object({
  plate: Plate.optional(),
  zone: ZoneCode.optional(),
  status: z.enum(["active", "revoked"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
