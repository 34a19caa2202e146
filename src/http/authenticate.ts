// Authentication for every /v1 and vendor route: `Authorization: Bearer <token>`, where the token is
// either an API key (cg_…) or a staff JWT. Either way the request gets one Principal, bound to one tenant.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "./problem";
import { db } from "../storage/db";
import { looksLikeApiKey, principalForApiKey } from "../auth/api-keys";
import { verifyStaffToken } from "../auth/jwt";
import { ROLE_SCOPES, type Scope } from "../auth/principal";

const STAFF_RATE_LIMIT_PER_MINUTE = 1200;
const challenge = { "WWW-Authenticate": 'Bearer realm="curbgate"' };

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError(401, "Send `Authorization: Bearer <API key or token>`", { headers: challenge });
  const token = match[1]!;

  if (looksLikeApiKey(token)) {
    const principal = await principalForApiKey(db(c.env.DB), token);
    if (!principal) throw new ApiError(401, "Unknown, revoked or expired API key", { headers: challenge });
    c.set("principal", principal);
  } else {
    const secret = c.env.JWT_SECRET;
    const claims = secret ? await verifyStaffToken(token, secret) : null;
    if (!claims || !Object.hasOwn(ROLE_SCOPES, claims.role))
      throw new ApiError(401, "Invalid or expired token", { headers: challenge });
    c.set("principal", {
      kind: "user",
      id: claims.sub,
      tenantId: claims.tid,
      role: claims.role,
      scopes: new Set(ROLE_SCOPES[claims.role]),
      rateLimitPerMinute: STAFF_RATE_LIMIT_PER_MINUTE,
    });
  }
  await next();
});

export const requireScope = (scope: Scope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!c.get("principal").scopes.has(scope)) throw new ApiError(403, `This credential lacks the \`${scope}\` scope`);
    await next();
  });
