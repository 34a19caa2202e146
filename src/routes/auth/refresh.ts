// A staff token is short-lived (15 minutes); the dashboard trades a still-valid one for a fresh one
// before it expires. The user and tenant are read again, so a deleted user, a suspended tenant or a
// changed role takes effect at the next refresh, and no chain of refreshes outlives the sign-in by
// more than STAFF_SESSION_MAX_SECONDS.
import { createRoute } from "@hono/zod-openapi";
import { signStaffToken, STAFF_SESSION_MAX_SECONDS, verifyStaffToken } from "../../auth/jwt";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { db } from "../../storage/db";
import { findTenantUser } from "../../storage/users";
import { bearer, errors, json } from "../common";
import { StaffToken } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/refresh",
  tags: ["Auth"],
  summary: "Trade a valid staff token for a fresh one (at most 12 hours after sign-in)",
  description:
    "API keys cannot be refreshed (403). 401 once the sign-in is over 12 hours old, or the user or tenant is gone or suspended.",
  security: bearer,
  responses: { 200: json(StaffToken, "A fresh token"), ...errors() },
});

const challenge = { "WWW-Authenticate": 'Bearer realm="curbgate"' };

export const refreshToken = router().openapi(route, async (c) => {
  const principal = c.get("principal");
  if (principal.kind !== "user") throw new ApiError(403, "Only a staff token can be refreshed; API keys do not expire this way");
  const secret = c.env.JWT_SECRET!;
  // The middleware verified the token; read it again for the sign-in time it carries.
  const claims = await verifyStaffToken(c.req.header("authorization")!.replace(/^Bearer\s+/i, ""), secret);
  const now = Math.floor(Date.now() / 1000);
  if (!claims?.authTime || now >= claims.authTime + STAFF_SESSION_MAX_SECONDS)
    throw new ApiError(401, "The sign-in is too old to refresh; sign in again", { headers: challenge });
  const row = await findTenantUser(db(c.env.DB), principal.tenantId, principal.id);
  if (row?.tenantStatus !== "active") throw new ApiError(401, "This user can no longer sign in", { headers: challenge });
  const u = row.user;
  const signed = await signStaffToken(
    { sub: u.id, tid: u.tenantId, role: u.role, email: u.email, authTime: claims.authTime },
    secret,
    now,
  );
  return c.json(
    { ...signed, tokenType: "Bearer" as const, user: { id: u.id, email: u.email, role: u.role, tenantId: u.tenantId } },
    200,
  );
});
