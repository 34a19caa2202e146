// The authorisation code flow (RFC 6749 section 4.1, with PKCE where the vendor documents it):
// begin = a state bound to tenant and user plus the vendor's authorize URL; complete = the code
// exchanged at the token endpoint and the tokens sealed onto the tenant's connection.
import type { Connector } from "../contract";
import type { Bindings } from "../../env";
import { Failure } from "../../lib/failure";
import type { ConnectionRow } from "../../storage/connections";
import { forgetConnection, updateCredentials } from "../../vault/connections";
import { ProviderCallError } from "../../lib/vendor-call-error";
import type { OutboundTarget } from "../target";
import { type CredentialField, openCredentials } from "../../vault/credentials";
import { createState } from "./states";
import { OAuthRefused, oauthFetch, oauthUrl, requestToken } from "./token-endpoint";
import { maskedConnection, withTokens, withoutTokens } from "./tokens";

export const callbackPath = (provider: string) => `/v1/integrations/oauth/callback/${provider}`;

/** The connector of a provider that a person authorises in the browser, or a 404/409 saying why there is none. */
export function browserOAuthConnector(connector: Connector | undefined, provider: string): Connector {
  if (!connector?.oauth) throw new Failure("not_found", `${provider} does not connect with OAuth`);
  if (connector.oauth.grant !== "authorization_code")
    throw new Failure(
      "conflict",
      `${provider} uses the JWT bearer grant: there is no browser step; connect with POST /v1/integrations/connections and test it`,
    );
  return connector;
}

export async function beginAuthorization(
  env: Bindings,
  a: { row: ConnectionRow; connector: Connector; userId: string; origin: string },
) {
  const oauth = a.connector.oauth!;
  const credentials = await openCredentials(env, a.row);
  const missing = ["clientId", "clientSecret"].filter((f) => !credentials[f]);
  if (missing.length)
    throw new Failure(
      "conflict",
      `The ${a.row.provider} connection has no OAuth client: connect again with ${missing.join(" and ")} (POST /v1/integrations/connections)`,
    );
  const redirectUri = a.origin + callbackPath(a.row.provider);
  const { state, codeChallenge, expiresAt } = await createState(env, {
    tenantId: a.row.tenantId,
    userId: a.userId,
    provider: a.row.provider,
    redirectUri,
    pkce: oauth.pkce,
  });
  const url = new URL(oauthUrl(a.row.settings, oauth.authorizeUrl!));
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", credentials.clientId!);
  url.searchParams.set("redirect_uri", redirectUri);
  if (oauth.scopes.length) url.searchParams.set("scope", oauth.scopes.join(" "));
  url.searchParams.set("state", state);
  if (codeChallenge) {
    url.searchParams.set("code_challenge", codeChallenge);
    url.searchParams.set("code_challenge_method", "S256");
  }
  return { authorizeUrl: url.toString(), state, expiresAt: new Date(expiresAt).toISOString() };
}

/**
 * Exchanges the code and stores the tokens on the connection (status connected). Problems are 400 (refused) or 503 (provider
 * unreachable).
 */
export async function completeAuthorization(
  env: Bindings,
  c: {
    row: ConnectionRow;
    connector: Connector;
    fields: readonly CredentialField[];
    code: string;
    redirectUri: string;
    codeVerifier: string | null;
    callbackQuery: Record<string, string>;
  },
): Promise<ConnectionRow> {
  const oauth = c.connector.oauth!;
  const credentials = withoutTokens(await openCredentials(env, c.row));
  const t: OutboundTarget = {
    env,
    tenantId: c.row.tenantId,
    connector: c.connector,
    credentials,
    settings: c.row.settings,
    connectionId: c.row.id,
  };
  const grant: Record<string, string> = { grant_type: "authorization_code", code: c.code, redirect_uri: c.redirectUri };
  if (c.codeVerifier) grant.code_verifier = c.codeVerifier;
  const name = c.row.provider;
  let next: Record<string, string> | null;
  try {
    next = withTokens(credentials, await requestToken(t, grant), Date.now());
    if (!next) throw new Failure("unavailable", `${name} answered the code exchange without an access token`);
    for (const f of oauth.callbackFields ?? []) if (c.callbackQuery[f]) next[f] = c.callbackQuery[f];
    if (oauth.afterAuthorize)
      Object.assign(next, await oauth.afterAuthorize(next.accessToken!, oauthFetch(t), (u) => oauthUrl(c.row.settings, u)));
  } catch (err) {
    if (err instanceof OAuthRefused)
      throw new Failure("malformed", `${name} refused the authorisation code (${err.code}): start the authorisation again`);
    if (err instanceof ProviderCallError)
      throw new Failure(
        "unavailable",
        `${name} could not be reached to finish the authorisation (${err.kind}); start again later`,
      );
    throw err;
  }
  const row = await updateCredentials(env, c.row, next, { masked: maskedConnection(c.fields, next), status: "connected" });
  if (!row) throw new Failure("conflict", `The ${name} connection was removed while it was being authorised`);
  forgetConnection(row.tenantId, name);
  return row;
}
