import { createRoute, z } from "@hono/zod-openapi";
import { signStaffToken } from "../../auth/jwt";
import { verifyPassword } from "../../auth/passwords";
import { ApiError } from "../../http/problem";
import { router } from "../../http/router";
import { insertAudit } from "../../storage/audit";
import { db } from "../../storage/db";
import { findUserByEmail } from "../../storage/users";
import { json, jsonBody, ProblemSchema } from "../common";
import { StaffToken } from "./schemas";

const Login = z.object({ email: z.email().max(254), password: z.string().min(1).max(1024) }).openapi("Login");
const route = createRoute({
  method: "post",
  path: "/login",
  tags: ["Auth"],
  summary: "Staff sign-in: email and password for a short-lived JWT",
  request: { body: jsonBody(Login) },
  responses: {
    200: json(StaffToken, "Signed in; send the token as `Authorization: Bearer …`"),
    401: { description: "Wrong email or password", content: { "application/problem+json": { schema: ProblemSchema } } },
    422: { description: "Validation failed", content: { "application/problem+json": { schema: ProblemSchema } } },
    429: {
      description: "Too many attempts for this email; see Retry-After",
      content: { "application/problem+json": { schema: ProblemSchema } },
    },
  },
});

const LOGIN_ATTEMPTS_PER_MINUTE = 10;

// Compared against when the email is unknown, so a wrong email costs as long as a wrong password.
const DECOY_HASH =
  "pbkdf2-sha256$100000$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000";

export const login = router().openapi(route, async (c) => {
  const { email, password } = c.req.valid("json");
  const secret = c.env.JWT_SECRET;
  if (!secret) throw new ApiError(503, "Sign-in is not configured (JWT_SECRET is missing)");
  // Ten attempts a minute per email, exact (one token per lease), before any password work.
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`login:${email.toLowerCase()}`));
  const lease = await limiter.lease(LOGIN_ATTEMPTS_PER_MINUTE, 1);
  if (lease.granted === 0) {
    const seconds = Math.max(1, Math.ceil(lease.retryAfterMs / 1000));
    throw new ApiError(429, `Too many sign-in attempts; retry in ${seconds}s`, { headers: { "Retry-After": String(seconds) } });
  }
  const database = db(c.env.DB);
  const row = await findUserByEmail(database, email.toLowerCase());
  const ok = await verifyPassword(password, row?.user.passwordHash ?? DECOY_HASH);
  if (!row || !ok || row.tenantStatus !== "active") throw new ApiError(401, "Wrong email or password");

  const u = row.user;
  const signed = await signStaffToken({ sub: u.id, tid: u.tenantId, role: u.role, email: u.email }, secret);
  c.executionCtx.waitUntil(
    insertAudit(database, {
      tenantId: u.tenantId,
      actor: `user:${u.id}`,
      action: "auth.login",
      target: null,
      detail: null,
      requestId: c.get("requestId"),
    }),
  );
  return c.json(
    { ...signed, tokenType: "Bearer" as const, user: { id: u.id, email: u.email, role: u.role, tenantId: u.tenantId } },
    200,
  );
});
