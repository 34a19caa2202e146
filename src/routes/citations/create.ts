import { createRoute } from "@hono/zod-openapi";
import { actorOf } from "../../auth/principal";
import { issueCitation } from "../../effects/citations";
import { requireScope } from "../../http/authenticate";
import { router } from "../../http/router";
import { bearer, errors, json, jsonBody } from "../common";
import { citationDetail } from "./lookup";
import { CitationDetailSchema, CreateCitation } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Citations"],
  summary: "Issue a citation, after a plate check at the issue time",
  description: [
    "The fine comes from the tenant's violation code. Evidence travels as base64 and is judged by its bytes",
    "(JPEG, PNG or HEIC photos, MP4 or QuickTime videos; 415 otherwise, 413 past 10 MiB); bodies may be 16 MiB.",
    "A plate that is paid, in grace, permitted or only fuzzily matched at `issuedAt` is refused with 409 unless",
    "`override.reason` is given. A retry with the same `number` and body answers 200 with the first citation;",
    "the same number with another body answers 409.",
  ].join(" "),
  security: bearer,
  middleware: [requireScope("citations:write")] as const,
  request: { body: jsonBody(CreateCitation) },
  responses: {
    201: json(CitationDetailSchema, "Issued"),
    200: json(CitationDetailSchema, "A retry: the citation first issued with this number"),
    ...errors(409, 413, 415),
  },
});

export const createCitation = router().openapi(route, async (c) => {
  const body = c.req.valid("json");
  const principal = c.get("principal");
  const actor = actorOf(principal);
  const { citation, replayed } = await issueCitation(
    c.env,
    {
      tenantId: principal.tenantId,
      source: "native",
      number: body.number ?? null,
      request: body,
      plate: body.plate,
      state: body.state ?? null,
      zone: body.zone,
      violationCode: body.violationCode,
      description: body.description ?? null,
      issuedAtMs: body.issuedAt ? Date.parse(body.issuedAt) : Date.now(),
      officer: { id: body.officer?.id ?? actor, name: body.officer?.name ?? null, badge: body.officer?.badge ?? null },
      deviceId: body.deviceId ?? null,
      location: {
        address: body.location?.address ?? null,
        latitude: body.location?.latitude ?? null,
        longitude: body.location?.longitude ?? null,
      },
      violationId: body.violationId ?? null,
      evidence: body.evidence.map((e) => ({
        type: e.type,
        base64Data: e.base64Data,
        declaredMimeType: e.mimeType ?? null,
        capturedAtMs: e.capturedAt ? Date.parse(e.capturedAt) : null,
      })),
      overrideReason: body.override?.reason ?? null,
      fields: {
        issuedAt: "issuedAt",
        zone: "zone",
        violationCode: "violationCode",
        evidence: "evidence",
        override: "override.reason",
        violationId: "violationId",
      },
    },
    { actor, requestId: c.get("requestId") },
  );
  const detail = await citationDetail(c.env, citation);
  if (replayed) c.header("Idempotent-Replayed", "true");
  return c.json(detail, replayed ? 200 : 201);
});
