import { z } from "@hono/zod-openapi";
import { normalizePlate } from "../../domain/plates";
import { Instant, Plate, PlateText, UsState, ZoneCode } from "../common";

const MatchType = z.enum(["exact", "fuzzy"]);

export const VerifyRequest = z
  .object({ plate: Plate, state: UsState.optional(), zone: ZoneCode, at: Instant.optional() })
  .openapi("VerifyRequest");

export const VerdictSchema = z
  .object({
    plate: z.string(),
    state: z.string().nullable(),
    zone: z.string(),
    checkedAt: z.string(),
    valid: z.boolean(),
    status: z.enum(["ACTIVE", "GRACE", "EXPIRED", "OVERSTAY", "PERMITTED", "NO_RECORD", "NOT_ENFORCED"]),
    matchType: MatchType.nullable(),
    matchedPlate: z.string().nullable(),
    session: z
      .object({
        id: z.string(),
        plate: z.string(),
        state: z.string().nullable(),
        startTime: z.string(),
        endTime: z.string(),
        secondsRemaining: z.number().int(),
        matchType: MatchType,
        zone: z.object({ code: z.string(), name: z.string(), rateCentsPerHour: z.number().int() }),
      })
      .nullable(),
    permits: z.array(
      z.object({
        id: z.string(),
        type: z.enum(["RESIDENTIAL", "BUSINESS", "VISITOR"]),
        number: z.string(),
        plate: z.string(),
        validFrom: z.string(),
        validUntil: z.string(),
        matchType: MatchType,
      }),
    ),
    enforcementRecommendation: z.enum(["NO_ACTION", "WARN", "CITE"]),
    reason: z.string(),
  })
  .openapi("Verdict");

export const MAX_BATCH = 100;

export const BatchRequest = z
  .object({
    zone: ZoneCode.optional().openapi({ description: "Default zone for checks that name none" }),
    at: Instant.optional(),
    checks: z
      .array(
        z
          .object({ plate: PlateText, state: UsState.optional(), zone: ZoneCode.optional() })
          // An entry that cannot be checked echoes the plate as sent; the check itself uses the normalised one.
          .transform((check) => ({ ...check, sent: check.plate, plate: normalizePlate(check.plate) })),
      )
      .min(1)
      .max(MAX_BATCH),
  })
  .openapi("VerifyBatchRequest");

export const BatchResponse = z
  .object({
    checkedAt: z.string(),
    results: z.array(
      z.union([
        VerdictSchema,
        z.object({ plate: z.string(), zone: z.string().nullable(), error: z.object({ status: z.number(), detail: z.string() }) }),
      ]),
    ),
  })
  .openapi("VerifyBatchResponse");
