// POST /api/aims/citations: the AIMS handheld's citation, in the Stamford guide's shape (docs/sources.md),
// accepted as the guide writes it. The guide gives no answer; the one below is Curbgate's, in AIMS's
// vocabulary (dollars, upper-case status). Issuing is the same path as POST /v1/citations
// (src/effects/citations.ts): evidence judged by its bytes, the fine from the city's table, the plate
// checked at `timestamp`, and a retry with the same citationNumber and body answered with the first result.
import { createRoute, z } from "@hono/zod-openapi";
import { actorOf } from "../../../auth/principal";
import { issueCitation } from "../../../effects/citations";
import { requireScope } from "../../../http/authenticate";
import { router } from "../../../http/router";
import { db } from "../../../storage/db";
import { evidenceOf } from "../../../storage/evidence";
import { dollars } from "../../../vendors/shared/money";
import { Base64Data, CitationNumber, EvidenceKindSchema, OverrideSchema, ViolationCodeText } from "../../citations/schemas";
import { amountDueOf, declaredOf, inSentOrder, plateCheckOf } from "../../citations/present";
import { bearer, errors, Instant, iso, json, jsonBody, Plate, UsState, ZoneCode } from "../../common";

const AimsCitation = z
  .object({
    citationNumber: CitationNumber,
    licensePlate: Plate,
    state: UsState.optional(),
    violation: z.object({
      code: ViolationCodeText,
      description: z.string().max(200).optional(),
      fineAmount: z
        .number()
        .min(0)
        .max(100_000)
        .optional()
        .openapi({ description: "Dollars, as the device believes; the city's violation-code table decides the fine" }),
    }),
    location: z.object({
      zoneNumber: ZoneCode,
      address: z.string().max(200).optional(),
      latitude: z.number().min(-90).max(90).optional(),
      longitude: z.number().min(-180).max(180).optional(),
    }),
    officer: z
      .object({
        id: z.string().min(1).max(128).optional(),
        name: z.string().max(100).optional(),
        badge: z.string().max(40).optional(),
      })
      .optional(),
    timestamp: Instant,
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
        }),
      )
      .max(10)
      .default([]),
    override: OverrideSchema.optional().openapi({ description: "Curbgate's addition to the guide's body" }),
  })
  .openapi("AimsCitation");

const AimsCitationResponse = z
  .object({
    citationNumber: z.string(),
    citationId: z.string(),
    status: z.string().openapi({ example: "ISSUED" }),
    issuedAt: z.string(),
    licensePlate: z.string(),
    state: z.string().nullable(),
    zoneNumber: z.string(),
    violation: z.object({ code: z.string(), description: z.string().nullable(), fineAmount: z.number() }),
    fineAmount: z.number().openapi({ description: "Dollars, from the city's violation-code table" }),
    amountDue: z.number(),
    plateCheck: z.object({ status: z.string().nullable(), fuzzy: z.boolean(), overridden: z.boolean() }),
    evidence: z.array(
      z.object({
        evidenceId: z.string(),
        type: z.string(),
        mimeType: z.string().nullable().openapi({ description: "By the bytes' magic number" }),
        declaredMimeType: z.string().nullable(),
        bytes: z.number().nullable(),
        sha256: z.string().nullable(),
      }),
    ),
    notes: z.array(z.string()),
  })
  .openapi("AimsCitationResponse");

const route = createRoute({
  method: "post",
  path: "/citations",
  tags: ["Vendor: AIMS"],
  summary: "AIMS handheld citation issuance (the Stamford guide's body)",
  description:
    "The guide's body, with base64 photos (judged by their bytes; bodies may be 16 MiB). The fine is the city's: a `fineAmount` that differs is noted in `notes`. A plate that is paid, in grace, permitted or only fuzzily matched at `timestamp` answers 409 unless `override.reason` is given. A retry with the same `citationNumber` and body answers 200 with the first citation; another body with that number answers 409.",
  security: bearer,
  middleware: [requireScope("citations:write")] as const,
  request: { body: jsonBody(AimsCitation) },
  responses: {
    201: json(AimsCitationResponse, "Issued"),
    200: json(AimsCitationResponse, "A retry: the citation first issued with this number"),
    ...errors(409, 413, 415),
  },
});

export const aimsCitations = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const principal = c.get("principal");
  const { citation, replayed } = await issueCitation(
    c.env,
    {
      tenantId: principal.tenantId,
      source: "aims",
      number: body.citationNumber,
      request: body,
      plate: body.licensePlate,
      state: body.state ?? null,
      zone: body.location.zoneNumber,
      violationCode: body.violation.code,
      description: body.violation.description ?? null,
      issuedAtMs: Date.parse(body.timestamp),
      officer: { id: body.officer?.id ?? null, name: body.officer?.name ?? null, badge: body.officer?.badge ?? null },
      deviceId: null,
      location: {
        address: body.location.address ?? null,
        latitude: body.location.latitude ?? null,
        longitude: body.location.longitude ?? null,
      },
      violationId: null,
      evidence: body.evidence.map((e) => ({ type: e.type, base64Data: e.base64Data, declaredMimeType: e.mimeType ?? null })),
      overrideReason: body.override?.reason ?? null,
      fields: {
        issuedAt: "timestamp",
        zone: "location.zoneNumber",
        violationCode: "violation.code",
        evidence: "evidence",
        override: "override.reason",
        violationId: "violationId",
      },
    },
    { actor: actorOf(principal), requestId: c.get("requestId") },
  );
  const evidence = inSentOrder(
    await evidenceOf(db(c.env.DB), { tenantId: citation.tenantId, kind: "citation", id: citation.id }),
  );
  const notes: string[] = [];
  const claimed = body.violation.fineAmount;
  if (claimed !== undefined && Math.round(claimed * 100) !== citation.fineCents)
    notes.push(
      `The fine is the city's ${citation.violationCode} fine (${dollars(citation.fineCents).toFixed(2)}); the device sent ${claimed.toFixed(2)}`,
    );
  for (const e of evidence) {
    const declared = declaredOf(e);
    if (declared && declared !== e.contentType)
      notes.push(`Evidence ${e.id} was sent as ${declared}; its bytes are ${e.contentType}`);
  }
  if (replayed) {
    notes.push("A retry: this is the citation first issued with this number");
    c.header("Idempotent-Replayed", "true");
  }
  const check = plateCheckOf(citation);
  return c.json(
    {
      citationNumber: citation.number,
      citationId: citation.id,
      status: citation.status.toUpperCase(),
      issuedAt: iso(citation.issuedAt),
      licensePlate: citation.plate,
      state: citation.state,
      zoneNumber: citation.zone,
      violation: { code: citation.violationCode, description: citation.description, fineAmount: dollars(citation.fineCents) },
      fineAmount: dollars(citation.fineCents),
      amountDue: dollars(amountDueOf(citation)),
      plateCheck: { status: check.status, fuzzy: check.fuzzy, overridden: check.overrideReason !== null },
      evidence: evidence.map((e) => ({
        evidenceId: e.id,
        type: e.kind,
        mimeType: e.contentType,
        declaredMimeType: declaredOf(e),
        bytes: e.bytes,
        sha256: e.sha256,
      })),
      notes,
    },
    replayed ? 200 : 201,
  );
});
