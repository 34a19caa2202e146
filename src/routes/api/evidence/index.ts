// GET /api/evidence/{tenant}/{evidenceId}?expires=…&signature=…: the signed link that
// POST /v1/citations/{id}/evidence/{evidenceId}/url hands out. Open (no credential): the signature over
// tenant, file and expiry is the proof, checked in constant time before anything is read. Any link that
// is not exactly one Curbgate made, or that has expired, answers 403.
import { createRoute, z } from "@hono/zod-openapi";
import { checkEvidenceSignature } from "../../../auth/evidence-urls";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { recordAudit } from "../../../storage/audit";
import { db } from "../../../storage/db";
import { evidenceById } from "../../../storage/evidence";
import { evidenceResponse } from "../../citations/evidence";

const route = createRoute({
  method: "get",
  path: "/{tenant}/{evidenceId}",
  tags: ["Citations"],
  summary: "Download one evidence file through a signed link (no credential)",
  request: {
    params: z.object({
      tenant: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/)
        .openapi({ param: { name: "tenant", in: "path" } }),
      evidenceId: z
        .string()
        .regex(/^evd_[A-Za-z0-9]{20}$/)
        .openapi({ param: { name: "evidenceId", in: "path" } }),
    }),
    query: z.object({ expires: z.string().max(16).optional(), signature: z.string().max(100).optional() }),
  },
  responses: {
    200: { description: "The file, as stored (Content-Type by its bytes, X-Content-SHA256)" },
    403: { description: "Not a link Curbgate made for this file, or expired (problem+json)" },
    404: { description: "No such file (problem+json)" },
  },
});

export const signedEvidence = router().openapi(route, async (c) => {
  const { tenant, evidenceId } = c.req.valid("param");
  const q = c.req.valid("query");
  const secret = c.env.JWT_SECRET;
  if (!secret) throw new ApiError(503, "Signed links are not configured");
  const expires = /^\d{1,12}$/.test(q.expires ?? "") ? Number(q.expires) : Number.NaN;
  const verdict = Number.isNaN(expires)
    ? "invalid"
    : await checkEvidenceSignature(secret, { tenantId: tenant, evidenceId, expires }, q.signature ?? "");
  if (verdict === "invalid") throw new ApiError(403, "This link is not valid");
  if (verdict === "expired") throw new ApiError(403, "This link has expired; ask for a new one");
  const row = await evidenceById(db(c.env.DB), tenant, evidenceId);
  if (!row) throw new ApiError(404, "Evidence not found");
  const res = await evidenceResponse(c.env, row);
  c.executionCtx.waitUntil(
    recordAudit(c.env, {
      tenantId: tenant,
      actor: "link:signed",
      action: `${row.ownerKind}.evidence.download`,
      target: row.ownerId,
      detail: { evidenceId, via: "signed link", expiresAt: new Date(expires * 1000).toISOString() },
      requestId: c.get("requestId"),
    }),
  );
  return res;
});
