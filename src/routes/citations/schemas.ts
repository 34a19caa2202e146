import { z } from "@hono/zod-openapi";
import { CITATION_STATUSES } from "../../domain/citations";
import { MAX_EVIDENCE_BYTES } from "../../domain/evidence";
import { normalizePlate } from "../../domain/plates";
import { Instant, Plate, UsState, ZoneCode } from "../common";

export const CitationNumber = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, "1–40 letters, digits, dots, dashes or underscores")
  .openapi({ example: "AIMS-2024-000123", description: "Unique per tenant" });

export const ViolationCodeText = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, "1–32 letters, digits, dots, dashes or underscores")
  .transform((s) => s.toUpperCase())
  .openapi({ example: "PKG-001" });

// No length limit here: the body limit (16 MiB) bounds the text, and a file past MAX_EVIDENCE_BYTES
// answers 413 once decoded, like any other file that is too large.
export const Base64Data = z.string().openapi({
  description: `The file's bytes in standard base64 (padding optional, line breaks ignored); at most ${MAX_EVIDENCE_BYTES} bytes once decoded`,
});

export const EvidenceKindSchema = z.enum(["PHOTO", "VIDEO"]);

export const OverrideSchema = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1, "Say why the plate check is wrong or does not apply")
      .max(500)
      .openapi({ example: "Hydrant: paid time does not allow parking at a hydrant" }),
  })
  .openapi({
    description:
      "Issue even though the plate check at the issue time says the plate is paid, graced, permitted or only fuzzily matched",
  });

const Officer = z.object({
  id: z.string().min(1).max(128).optional(),
  name: z.string().max(100).optional(),
  badge: z.string().max(40).optional(),
});

export const CreateCitation = z
  .object({
    number: CitationNumber.optional().openapi({
      description:
        "Your number for this ticket; a retry with it gets the first citation back. Defaults to e.g. DEMO-2026-7KQ2M9XV",
    }),
    plate: Plate,
    state: UsState.optional(),
    zone: ZoneCode,
    violationCode: ViolationCodeText,
    description: z.string().max(200).optional().openapi({ description: "Defaults to the violation code's name" }),
    issuedAt: Instant.optional().openapi({
      description: "When the ticket was written; defaults to now, at most 5 minutes ahead",
    }),
    officer: Officer.optional().openapi({
      description: "Who wrote it; the officer id defaults to the caller (key:<id> or user:<id>)",
    }),
    deviceId: z.string().max(128).optional(),
    location: z
      .object({
        address: z.string().max(200).optional(),
        latitude: z.number().min(-90).max(90).optional(),
        longitude: z.number().min(-180).max(180).optional(),
      })
      .optional(),
    violationId: z
      .string()
      .regex(/^vio_[A-Za-z0-9]{20}$/, "Not a violation id")
      .optional()
      .openapi({ description: "The recorded violation this citation settles; it is marked issued" }),
    evidence: z
      .array(
        z.object({
          type: EvidenceKindSchema,
          base64Data: Base64Data,
          mimeType: z
            .string()
            .max(100)
            .optional()
            .openapi({ description: "Kept for reference; the type is judged by the bytes" }),
          capturedAt: Instant.optional(),
        }),
      )
      .max(10)
      .default([]),
    override: OverrideSchema.optional(),
  })
  .openapi("CreateCitation");

export const CitationStatusSchema = z.enum(CITATION_STATUSES);
const CitationAction = z.enum(["pay", "void", "appeal", "uphold", "dismiss", "escalate", "collect"]);

export const CitationSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    source: z.string(),
    status: CitationStatusSchema,
    plate: z.string(),
    state: z.string().nullable(),
    zone: z.string(),
    violationCode: z.string(),
    description: z.string().nullable(),
    fineCents: z.number().int(),
    lateFeeCents: z.number().int(),
    amountDueCents: z.number().int(),
    officer: z.object({ id: z.string().nullable(), name: z.string().nullable(), badge: z.string().nullable() }),
    deviceId: z.string().nullable(),
    location: z.object({ address: z.string().nullable(), latitude: z.number().nullable(), longitude: z.number().nullable() }),
    violationId: z.string().nullable(),
    plateCheck: z.object({
      status: z.string().nullable().openapi({ description: "What the plate check said at the issue time" }),
      fuzzy: z.boolean(),
      overrideReason: z.string().nullable(),
    }),
    issuedAt: z.string(),
    paidAt: z.string().nullable(),
    escalatedAt: z.string().nullable(),
    collectionsAt: z.string().nullable(),
    allowedActions: z.array(CitationAction),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Citation");

export const EvidenceSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    contentType: z.string().nullable().openapi({ description: "By the bytes' magic number" }),
    declaredMimeType: z.string().nullable(),
    bytes: z.number().int().nullable(),
    sha256: z.string().nullable(),
    capturedAt: z.string().nullable(),
    createdAt: z.string(),
    download: z.string().openapi({ description: "The authorised download route" }),
  })
  .openapi("CitationEvidence");

export const TransitionSchema = z
  .object({
    action: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    reason: z.string().nullable(),
    actor: z.string(),
    at: z.string(),
  })
  .openapi("CitationTransition");

export const CitationDetailSchema = CitationSchema.extend({
  evidence: z.array(EvidenceSchema),
  transitions: z.array(TransitionSchema),
}).openapi("CitationDetail");

export const CitationIdParams = z.object({
  id: z
    .string()
    .regex(/^cit_[A-Za-z0-9]{20}$/, "Not a citation id")
    .openapi({ param: { name: "id", in: "path" }, example: "cit_7KQ2M9xv4TfB8cWn3pZr" }),
});

export const EvidenceParams = CitationIdParams.extend({
  evidenceId: z
    .string()
    .regex(/^evd_[A-Za-z0-9]{20}$/, "Not an evidence id")
    .openapi({ param: { name: "evidenceId", in: "path" }, example: "evd_3pZr7KQ2M9xv4TfB8cWn" }),
});

export const ListCitationsQuery = z.object({
  status: CitationStatusSchema.optional(),
  plate: Plate.optional(),
  zone: ZoneCode.optional(),
  officer: z.string().min(1).max(128).optional().openapi({ description: "The officer id the citation names" }),
  violationCode: ViolationCodeText.optional(),
  from: Instant.optional().openapi({ description: "Issued at or after" }),
  to: Instant.optional().openapi({ description: "Issued before" }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .transform((s) => ({ number: s, plate: normalizePlate(s) }))
    .optional()
    .openapi({ type: "string", description: "The beginning of a citation number or of a plate" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,16}\.cit_[A-Za-z0-9]{20}$/, "Not a cursor from a previous page")
    .optional(),
});

const Reason = z.string().trim().min(1, "Required").max(500);
export const ReasonBody = z.object({ reason: Reason }).openapi("CitationReason");
export const OptionalReasonBody = z.object({ reason: Reason.optional() }).openapi("CitationOptionalReason");
export const PaymentBody = z
  .object({
    reference: z.string().min(1).max(100).optional().openapi({ description: "The payment's reference (receipt, cashier)" }),
    amountCents: z.number().int().min(0).optional().openapi({ description: "When given, must be the amount due" }),
  })
  .openapi("CitationPayment");

export const SignedUrlSchema = z.object({ url: z.string(), expiresAt: z.string() }).openapi("EvidenceSignedUrl");
