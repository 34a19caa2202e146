// OAuth tokens as they live among a connection's credentials, sealed by the vault like every other
// secret: accessToken, refreshToken, expiresAt and issuedAt (epoch ms as strings), scope. Responses
// and the `masked` column only ever say that a token exists and when it expires.
import { sha256Hex } from "../../lib/crypto";
import { type CredentialField, maskCredentials } from "../../vault/credentials";

export const TOKEN_FIELDS = ["accessToken", "refreshToken", "expiresAt", "issuedAt", "scope"] as const;
const MARGIN_MS = 5 * 60_000;

/** A token endpoint's answer (RFC 6749 section 5.1), as far as Curbgate reads it. */
export interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  scope?: unknown;
}

/**
 * The credentials after a token answer, or null if it holds no access token. A provider that sends no
 * new refresh token keeps the old one valid, so the old one is kept; `expires_in` of 0 or absent
 * means the token does not expire (Mailchimp).
 */
export function withTokens(
  credentials: Readonly<Record<string, string>>,
  answer: TokenAnswer,
  nowMs: number,
): Record<string, string> | null {
  if (typeof answer.access_token !== "string" || answer.access_token === "") return null;
  const next: Record<string, string> = { ...credentials, accessToken: answer.access_token, issuedAt: String(nowMs) };
  if (typeof answer.refresh_token === "string" && answer.refresh_token !== "") next.refreshToken = answer.refresh_token;
  const expiresIn = Number(answer.expires_in);
  if (Number.isFinite(expiresIn) && expiresIn > 0) next.expiresAt = String(nowMs + Math.round(expiresIn * 1000));
  else delete next.expiresAt;
  if (typeof answer.scope === "string") next.scope = answer.scope;
  return next;
}

/** Credentials without any token: what a new authorisation starts from. */
export function withoutTokens(credentials: Readonly<Record<string, string>>): Record<string, string> {
  const out = { ...credentials };
  for (const f of TOKEN_FIELDS) delete out[f];
  return out;
}

/**
 * Time to renew: less than 5 minutes left, or less than half the token's lifetime for tokens that
 * live shorter than 10 minutes (so a short-lived token is not renewed on every call).
 */
export function expiresSoon(credentials: Readonly<Record<string, string>>, nowMs: number): boolean {
  if (!credentials.expiresAt) return false;
  const expiresAt = Number(credentials.expiresAt);
  const issuedAt = Number(credentials.issuedAt);
  const lifetime = Number.isFinite(issuedAt) && issuedAt > 0 ? expiresAt - issuedAt : 2 * MARGIN_MS;
  return !Number.isFinite(expiresAt) || expiresAt - nowMs <= Math.min(MARGIN_MS, lifetime / 2);
}

/** Names a token without holding it: how a caller tells the refresher which token it saw. */
export const tokenFingerprint = async (token: string | undefined): Promise<string | null> =>
  token ? (await sha256Hex(token)).slice(0, 32) : null;

/** The `masked` column of an OAuth connection: its own fields masked as usual, tokens only as present, expiry as an instant. */
export function maskedConnection(
  fields: readonly CredentialField[],
  credentials: Readonly<Record<string, string>>,
): Record<string, string> {
  const out = maskCredentials(fields, withoutTokens(credentials));
  if (credentials.accessToken) out.accessToken = "••••";
  if (credentials.refreshToken) out.refreshToken = "••••";
  if (credentials.expiresAt) out.expiresAt = new Date(Number(credentials.expiresAt)).toISOString();
  if (credentials.scope) out.scope = credentials.scope;
  return out;
}
