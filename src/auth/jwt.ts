// Staff sessions: short-lived HS256 JWTs signed with the JWT_SECRET worker secret (jose).
import { jwtVerify, SignJWT } from "jose";
import type { Role } from "./principal";

const ISSUER = "curbgate";
const AUDIENCE = "curbgate-api";
export const STAFF_TOKEN_TTL_SECONDS = 15 * 60;

export interface StaffClaims {
  sub: string;
  tid: string;
  role: Role;
  email: string;
}

const keyFor = (secret: string) => new TextEncoder().encode(secret);

export async function signStaffToken(claims: StaffClaims, secret: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const exp = nowSeconds + STAFF_TOKEN_TTL_SECONDS;
  const token = await new SignJWT({ tid: claims.tid, role: claims.role, email: claims.email })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(exp)
    .sign(keyFor(secret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Returns the claims, or null for anything forged, expired, or of the wrong algorithm or audience. */
export async function verifyStaffToken(token: string, secret: string): Promise<StaffClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || typeof payload.tid !== "string" || typeof payload.role !== "string") return null;
    return { sub: payload.sub, tid: payload.tid, role: payload.role as Role, email: String(payload.email ?? "") };
  } catch {
    return null;
  }
}
