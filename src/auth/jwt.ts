// Staff sessions: short-lived HS256 JWTs signed with the JWT_SECRET worker secret (jose).
import { jwtVerify, SignJWT } from "jose";
import type { Role } from "./principal";

const ISSUER = "curbgate";
const AUDIENCE = "curbgate-api";
export const STAFF_TOKEN_TTL_SECONDS = 15 * 60;
/** A refreshed token never outlives the sign-in it descends from by more than this: then a password is needed again. */
export const STAFF_SESSION_MAX_SECONDS = 12 * 60 * 60;

export interface StaffClaims {
  sub: string;
  tid: string;
  role: Role;
  email: string;
  /** When the user last gave their password (seconds); refreshes carry it forward unchanged. */
  authTime?: number;
}

const keyFor = (secret: string) => new TextEncoder().encode(secret);

export async function signStaffToken(claims: StaffClaims, secret: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const exp = nowSeconds + STAFF_TOKEN_TTL_SECONDS;
  const authTime = claims.authTime ?? nowSeconds;
  const token = await new SignJWT({ tid: claims.tid, role: claims.role, email: claims.email, auth_time: authTime })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(exp)
    .sign(keyFor(secret));
  return {
    token,
    expiresAt: new Date(exp * 1000).toISOString(),
    sessionExpiresAt: new Date((authTime + STAFF_SESSION_MAX_SECONDS) * 1000).toISOString(),
  };
}

/** Returns the claims, or null for anything forged, expired, or of the wrong algorithm or audience. */
export async function verifyStaffToken(token: string, secret: string): Promise<StaffClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || typeof payload.tid !== "string" || typeof payload.role !== "string") return null;
    // Tokens from before auth_time existed count from their issue time.
    const authTime = typeof payload.auth_time === "number" ? payload.auth_time : (payload.iat ?? 0);
    return { sub: payload.sub, tid: payload.tid, role: payload.role as Role, email: String(payload.email ?? ""), authTime };
  } catch {
    return null;
  }
}
