import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../http/authenticate";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { audit } from "../../http/audit";
import { db } from "../../storage/db";
import { findPermit, markPermitRevoked, syncPermitToZones } from "../../storage/permits";
import { bearer, errors, json } from "../common";
import { presentPermit } from "./present";
import { PermitIdParams, PermitSchema } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["Permits"],
  summary: "Revoke a permit; the very next plate check no longer sees it",
  security: bearer,
  middleware: [requireScope("permits:write")] as const,
  request: { params: PermitIdParams },
  responses: { 200: json(PermitSchema, "Revoked (revoking twice is harmless)"), ...errors(404) },
});

export const revokePermit = router().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  const tenantId = c.get("principal").tenantId;
  const database = db(c.env.DB);
  const existing = await findPermit(database, tenantId, id);
  if (!existing) throw new ApiError(404, "Permit not found");
  let row = existing;
  if (existing.status !== "revoked") {
    row = (await markPermitRevoked(database, tenantId, id, Date.now())) ?? existing;
    audit(c, "permit.revoke", id);
  }
  await syncPermitToZones(c.env, row); // also heals a zone that missed an earlier revocation
  return c.json(presentPermit(row), 200);
});
