// The caller's side of token renewal, used by callProvider for every connector with `oauth`: hand
// over a good access token before the call, and renew once more if the provider refused the one it
// was sent. The renewal itself happens in the connection's TokenRefresher object, one at a time.
import type { OAuthSpec } from "../contract";
import type { Bindings } from "../../env";
import { forgetConnection } from "../../vault/connections";
import { ProviderCallError } from "../../lib/vendor-call-error";
import type { OutboundTarget } from "../target";
import { expiresSoon, tokenFingerprint } from "./tokens";

export const refresherFor = (env: Bindings, tenantId: string, connectionId: string) =>
  env.TOKEN_REFRESHER.get(env.TOKEN_REFRESHER.idFromName(`${tenantId}:${connectionId}`));

/** Did the provider refuse the access token itself (expired or revoked), so a renewal may help? */
export function tokenRejected(oauth: OAuthSpec, err: ProviderCallError): boolean {
  if (err.kind !== "auth") return false;
  return oauth.tokenRejected ? oauth.tokenRejected(err.status, err.body) : err.status === 401;
}

/**
 * Makes `t.credentials` hold a good access token, renewing it through the refresher when it expires
 * soon, is missing, or (with `rejected`) was just refused. False when the connection authenticates
 * without OAuth tokens (Mailchimp with an API key), so there is nothing to renew.
 */
export async function ensureFreshToken(t: OutboundTarget, opts: { rejected?: boolean } = {}): Promise<boolean> {
  const oauth = t.connector.oauth!;
  const held = t.credentials;
  if (oauth.apiKeyField && held[oauth.apiKeyField] && !held.accessToken) return false;
  if (!opts.rejected && held.accessToken && !expiresSoon(held, Date.now())) return true;
  if (!t.connectionId) throw new Error(`${t.connector.provider}: an OAuth call needs the connection id`);
  const stub = refresherFor(t.env, t.tenantId, t.connectionId);
  let out;
  try {
    out = await stub.freshCredentials({
      tenantId: t.tenantId,
      connectionId: t.connectionId,
      seen: await tokenFingerprint(held.accessToken),
      rejected: opts.rejected === true,
    });
  } catch (err) {
    throw new ProviderCallError(
      "server",
      `${t.connector.provider}: token renewal failed (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (!out.ok) throw new ProviderCallError(out.kind, out.message, null, out.retryAfterMs);
  t.credentials = out.credentials;
  // This isolate's cached connection holds the old token; the next job reads the new one.
  if (out.refreshed) forgetConnection(t.tenantId, t.connector.provider);
  return true;
}
