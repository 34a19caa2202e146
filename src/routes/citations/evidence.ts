// Evidence out: the bytes through an authorised route, or a short-lived signed link for a holder of no
// credential (served by src/routes/api/evidence.ts). Both stream from R2 with the type the bytes showed
// on the way in and the SHA-256 recorded then, so a reader can check the chain of custody.
import { createRoute, z } from "@hono/zod-openapi";
import { EVIDENCE_URL_TTL_SECONDS, evidenceSignature } from "../../auth/evidence-urls";
import type { Bindings } from "../../env";
import { audit } from "../../http/audit";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { evidenceById, type EvidenceRow } from "../../storage/evidence";
import { bearer, errors, iso, json } from "../common";
import { EvidenceParams, SignedUrlSchema } from "./schemas";

const bytesOf = (description: string) => ({
  description,
  content: Object.fromEntries(
    ["image/jpeg", "image/png", "image/heic", "video/mp4", "video/quicktime"].map((t) => [
      t,
      { schema: z.string().openapi({ format: "binary" }) },
    ]),
  ),
});

/** The stored bytes as a response; 404 when the file is not in R2 (it never was, or it was deleted). */
export async function evidenceResponse(env: Bindings, row: EvidenceRow): Promise<Response> {
  const object = row.r2Key ? await env.BLOBS.get(row.r2Key) : null;
  if (!object) throw new ApiError(404, "This evidence has no stored file");
  return new Response(object.body, {
    status: 200,
    headers: {
      "content-type": row.contentType ?? "application/octet-stream",
      "content-length": String(object.size),
      "content-disposition": `inline; filename="${row.id}"`,
      "x-content-sha256": row.sha256 ?? "",
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    },
  });
}

async function requireEvidence(env: Bindings, tenantId: string, citationId: string, evidenceId: string) {
  const row = await evidenceById(db(env.DB), tenantId, evidenceId);
  if (row?.ownerKind !== "citation" || row.ownerId !== citationId) throw new ApiError(404, "Evidence not found");
  return row;
}

const download = createRoute({
  method: "get",
  path: "/{id}/evidence/{evidenceId}",
  tags: ["Citations"],
  summary: "Download one evidence file",
  description: "The bytes as stored, with `Content-Type` by their magic number and `X-Content-SHA256` as recorded at upload.",
  security: bearer,
  middleware: [requireScope("citations:read")] as const,
  request: { params: EvidenceParams },
  responses: { 200: bytesOf("The file"), ...errors(404) },
});

const signedUrl = createRoute({
  method: "post",
  path: "/{id}/evidence/{evidenceId}/url",
  tags: ["Citations"],
  summary: "A link to one evidence file that works without a credential for 5 minutes",
  security: bearer,
  middleware: [requireScope("citations:read")] as const,
  request: { params: EvidenceParams },
  responses: { 200: json(SignedUrlSchema, "The link and when it stops working"), ...errors(404) },
});

export const citationEvidence = router()
  .openapi(download, async (c) => {
    const { id, evidenceId } = c.req.valid("param");
    const row = await requireEvidence(c.env, c.get("principal").tenantId, id, evidenceId);
    const res = await evidenceResponse(c.env, row);
    audit(c, "citation.evidence.download", id, { evidenceId, sha256: row.sha256 });
    return res;
  })
  .openapi(signedUrl, async (c) => {
    const { id, evidenceId } = c.req.valid("param");
    const tenantId = c.get("principal").tenantId;
    const row = await requireEvidence(c.env, tenantId, id, evidenceId);
    if (!row.r2Key) throw new ApiError(404, "This evidence has no stored file");
    const secret = c.env.JWT_SECRET;
    if (!secret) throw new ApiError(503, "Signed links are not configured (JWT_SECRET)");
    const expires = Math.floor(Date.now() / 1000) + EVIDENCE_URL_TTL_SECONDS;
    const signature = await evidenceSignature(secret, { tenantId, evidenceId, expires });
    const url = new URL(`/api/evidence/${encodeURIComponent(tenantId)}/${evidenceId}`, c.req.url);
    url.search = new URLSearchParams({ expires: String(expires), signature }).toString();
    audit(c, "citation.evidence.link", id, { evidenceId, expiresAt: iso(expires * 1000) });
    return c.json({ url: url.toString(), expiresAt: iso(expires * 1000) }, 200);
  });
