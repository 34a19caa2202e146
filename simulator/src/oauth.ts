// A small OAuth 2 authorisation server, one per simulated provider that uses OAuth: the authorize
// endpoint (auto-approving for tests, or a two-link consent page), the token endpoint with the
// authorization_code grant (PKCE checked where a challenge was sent), the refresh_token grant (rotating,
// reusing or omitting the refresh token, as the vendor does or a test asks), and the JWT bearer grant
// (RFC 7523, RS256 checked against the integration's registered public key). Access tokens expire;
// the expireTokens fault expires every token issued so far. In memory, like the rest of the simulator.
import { accountLabel, basicAuth, json, objectId, schemeToken } from "./http";
import type { Account, SimRequest } from "./types";

export type RefreshMode = "rotate" | "reuse" | "omit";

export interface OAuthKnobs {
  /** null: access tokens never expire (Mailchimp). */
  accessTokenTtlSeconds: number | null;
  /** rotate: a new refresh token each time, the old one dies; reuse: the same one back; omit: none in the answer (the old one stays good). */
  refresh: RefreshMode;
  /** false: the authorize endpoint shows a consent page with approve and deny links instead of redirecting at once. */
  autoApprove: boolean;
}

export interface OAuthServerConfig {
  authorizePath?: string;
  tokenPath: string;
  /** Where the client secret must be: an HTTP Basic header (Intuit, Zoom) or the form (Mailchimp). */
  clientAuth: "basic" | "body";
  defaults: OAuthKnobs;
  jwtBearer?: boolean;
  /** false: the code exchange gives no refresh token (Mailchimp's tokens never expire). Default true. */
  issuesRefreshTokens?: boolean;
  /** Extra query parameters on the redirect back (QuickBooks' realmId), from the client id. */
  callbackParams?(clientId: string): Record<string, string>;
  /** Extra fields in every token answer (Intuit's x_refresh_token_expires_in). */
  tokenExtras?: Record<string, unknown>;
}

/** Who an access token speaks for. */
export interface OAuthAccount extends Account {
  clientId: string;
  /** The JWT grant's `sub`, or "me". */
  subject: string;
}

interface Grant { clientId: string; scope: string; subject: string }
interface Code extends Grant { redirectUri: string; challenge: string | null; method: string; expiresAt: number; used: boolean }
interface AccessToken extends Grant { expiresAt: number | null }

const CODE_TTL_MS = 10 * 60_000;
const b64url = (bytes: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
const oauthError = (status: number, error: string, description: string) => json({ error, error_description: description }, status);

async function verifyRs256(jwt: string, publicKeyPem: string): Promise<Record<string, unknown> | null> {
  const [h, p, s] = jwt.split(".");
  if (!h || !p || !s) return null;
  try {
    const header = JSON.parse(new TextDecoder().decode(fromB64url(h))) as { alg?: string };
    if (header.alg !== "RS256") return null;
    const der = Uint8Array.from(atob(publicKeyPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
    const ok = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, fromB64url(s), new TextEncoder().encode(`${h}.${p}`));
    return ok ? (JSON.parse(new TextDecoder().decode(fromB64url(p))) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export class OAuthServer {
  knobs: OAuthKnobs;
  counts = { authorization_code: 0, refresh_token: 0, jwt_bearer: 0, refused: 0 };
  private codes = new Map<string, Code>();
  private access = new Map<string, AccessToken>();
  private refreshTokens = new Map<string, Grant>();
  private clients = new Map<string, { secret?: string; publicKey?: string }>();

  constructor(private readonly config: OAuthServerConfig) {
    this.knobs = { ...config.defaults };
  }

  /** Paths this server answers, without a bearer token. */
  handles(path: string): boolean {
    return path === this.config.tokenPath || path === this.config.authorizePath;
  }

  handle(r: SimRequest): Promise<Response> | Response {
    if (r.path === this.config.authorizePath && r.method === "GET") return this.authorize(r);
    if (r.path === this.config.tokenPath && r.method === "POST") return this.token(r);
    return oauthError(405, "invalid_request", `${r.method} is not allowed here`);
  }

  /** The caller's account for a bearer token (or `scheme` token), or why not, in the provider's own 401 shape. */
  authenticate(r: SimRequest, refuse: (message: string, code: string) => Response, scheme = "Bearer"): OAuthAccount | Response {
    const token = schemeToken(r.req, scheme) ?? schemeToken(r.req, "Bearer");
    const held = token ? this.access.get(token) : undefined;
    if (!held) return refuse("Invalid access token.", "invalid_token");
    if (held.expiresAt !== null && held.expiresAt <= Date.now()) return refuse("Access token is expired.", "expired");
    return { id: accountLabel(`${held.clientId}:${held.subject}`), live: false, clientId: held.clientId, subject: held.subject };
  }

  register(clientId: string, c: { secret?: string; publicKey?: string }) {
    this.clients.set(clientId, { ...this.clients.get(clientId), ...c });
  }
  /** The expireTokens fault: every access token issued so far is expired; refreshing still works. */
  expireAll() {
    for (const t of this.access.values()) t.expiresAt = Date.now() - 1;
  }
  /** The person disconnected the app at the vendor: every token dies, refresh tokens included. */
  revokeAll() {
    this.access.clear();
    this.refreshTokens.clear();
  }
  status() {
    const now = Date.now();
    const live = [...this.access.values()].filter((t) => t.expiresAt === null || t.expiresAt > now).length;
    return { knobs: this.knobs, counts: this.counts, liveAccessTokens: live, refreshTokens: this.refreshTokens.size };
  }
  reset() {
    this.knobs = { ...this.config.defaults };
    this.counts = { authorization_code: 0, refresh_token: 0, jwt_bearer: 0, refused: 0 };
    this.codes.clear();
    this.access.clear();
    this.refreshTokens.clear();
    this.clients.clear();
  }

  private authorize(r: SimRequest): Response {
    const q = r.url.searchParams;
    const clientId = q.get("client_id");
    const redirect = q.get("redirect_uri");
    if (!clientId || !redirect || !/^https?:\/\//.test(redirect)) return oauthError(400, "invalid_request", "client_id and an absolute redirect_uri are required");
    const back = new URL(redirect);
    if (q.get("state")) back.searchParams.set("state", q.get("state")!);
    if (q.get("response_type") !== "code") {
      back.searchParams.set("error", "unsupported_response_type");
      return Response.redirect(back.toString(), 302);
    }
    const decision = q.get("decision") ?? (this.knobs.autoApprove ? "approve" : null);
    if (decision === null) {
      const link = (d: string) => `${r.url.pathname}?${new URLSearchParams([...q, ["decision", d]])}`;
      return new Response(`<!doctype html><title>Authorise</title><p>Allow this app to use your simulated account?</p><p><a href="${link("approve")}">Approve</a> <a href="${link("deny")}">Deny</a></p>`, {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    }
    if (decision !== "approve") {
      back.searchParams.set("error", "access_denied");
      return Response.redirect(back.toString(), 302);
    }
    const code = objectId("code_", 32);
    const method = q.get("code_challenge_method") ?? "plain";
    this.codes.set(code, { clientId, scope: q.get("scope") ?? "", subject: "me", redirectUri: redirect, challenge: q.get("code_challenge"), method, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    back.searchParams.set("code", code);
    for (const [k, v] of Object.entries(this.config.callbackParams?.(clientId) ?? {})) back.searchParams.set(k, v);
    return Response.redirect(back.toString(), 302);
  }

  /** The client named by the request, if its secret is right; the first secret seen for a client id becomes its secret. */
  private client(r: SimRequest): string | Response {
    const basic = basicAuth(r.req);
    const creds = this.config.clientAuth === "basic" ? basic && { id: basic.user, secret: basic.password } : { id: String(r.fields.client_id ?? ""), secret: String(r.fields.client_secret ?? "") };
    if (!creds || !creds.id || !creds.secret) return oauthError(401, "invalid_client", this.config.clientAuth === "basic" ? "Client authentication by HTTP Basic is required" : "client_id and client_secret are required");
    const known = this.clients.get(creds.id);
    if (known?.secret === undefined) this.register(creds.id, { secret: creds.secret });
    else if (known.secret !== creds.secret) return oauthError(401, "invalid_client", "Client authentication failed");
    return creds.id;
  }

  private issue(grant: Grant, refreshToken: string | null): Response {
    const ttl = this.knobs.accessTokenTtlSeconds;
    const accessToken = objectId("at_", 40);
    this.access.set(accessToken, { ...grant, expiresAt: ttl === null ? null : Date.now() + ttl * 1000 });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: "Bearer", expires_in: ttl ?? 0, scope: grant.scope, ...this.config.tokenExtras };
    if (refreshToken) body.refresh_token = refreshToken;
    return json(body, 200, { "cache-control": "no-store" });
  }

  private newRefreshToken(grant: Grant): string {
    const token = objectId("rt_", 40);
    this.refreshTokens.set(token, { ...grant });
    return token;
  }

  private async token(r: SimRequest): Promise<Response> {
    const grantType = String(r.fields.grant_type ?? "");
    const refuse = (status: number, error: string, description: string) => {
      this.counts.refused++;
      return oauthError(status, error, description);
    };
    if (grantType === "urn:ietf:params:oauth:grant-type:jwt-bearer" && this.config.jwtBearer) return this.jwtGrant(r, refuse);
    if (grantType !== "authorization_code" && grantType !== "refresh_token") return refuse(400, "unsupported_grant_type", `grant_type ${grantType || "(none)"} is not supported`);
    const clientId = this.client(r);
    if (clientId instanceof Response) return (this.counts.refused++, clientId);

    if (grantType === "authorization_code") {
      const code = this.codes.get(String(r.fields.code ?? ""));
      if (!code || code.used || code.expiresAt <= Date.now() || code.clientId !== clientId) return refuse(400, "invalid_grant", "The authorization code is invalid, expired or already used");
      if (r.fields.redirect_uri !== code.redirectUri) return refuse(400, "invalid_grant", "redirect_uri does not match the authorization request");
      if (code.challenge !== null) {
        const verifier = String(r.fields.code_verifier ?? "");
        const expected = code.method === "S256" ? b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))) : verifier;
        if (!verifier || expected !== code.challenge) return refuse(400, "invalid_grant", "code_verifier does not match the code_challenge");
      }
      code.used = true;
      this.counts.authorization_code++;
      const grant = { clientId, scope: code.scope, subject: code.subject };
      return this.issue(grant, this.config.issuesRefreshTokens === false ? null : this.newRefreshToken(grant));
    }

    const presented = String(r.fields.refresh_token ?? "");
    const grant = this.refreshTokens.get(presented);
    if (!grant || grant.clientId !== clientId) return refuse(400, "invalid_grant", "The refresh token is invalid, expired or revoked");
    this.counts.refresh_token++;
    if (this.knobs.refresh === "rotate") {
      this.refreshTokens.delete(presented);
      return this.issue(grant, this.newRefreshToken(grant));
    }
    return this.issue(grant, this.knobs.refresh === "reuse" ? presented : null);
  }

  private async jwtGrant(r: SimRequest, refuse: (status: number, error: string, description: string) => Response): Promise<Response> {
    const assertion = String(r.fields.assertion ?? "");
    let iss = "";
    try {
      iss = String((JSON.parse(new TextDecoder().decode(fromB64url(assertion.split(".")[1] ?? ""))) as { iss?: unknown }).iss ?? "");
    } catch {}
    const key = this.clients.get(iss)?.publicKey;
    if (!iss || !key) return refuse(400, "consent_required", "No consent or no RSA key registered for this integration key");
    const claims = await verifyRs256(assertion, key);
    if (!claims) return refuse(400, "invalid_grant", "no_valid_keys_or_signatures");
    const now = Math.floor(Date.now() / 1000);
    if (claims.aud !== r.url.host) return refuse(400, "invalid_grant", "invalid audience");
    if (typeof claims.exp !== "number" || claims.exp <= now || typeof claims.sub !== "string") return refuse(400, "invalid_grant", "expired or incomplete assertion");
    this.counts.jwt_bearer++;
    return this.issue({ clientId: iss, scope: String(claims.scope ?? ""), subject: claims.sub }, null);
  }
}
