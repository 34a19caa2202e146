// What connecting (again) means for a provider that uses OAuth: the tokens an earlier authorisation
// obtained stay while the OAuth client stays the same (rotating a webhook secret must not disconnect
// QuickBooks), and a connection with no way to authenticate yet is `authorization_required`.
import type { Bindings } from "../../env";
import type { Connector } from "../contract";
import { findByProvider, type ConnectionRow } from "../../storage/connections";
import { db } from "../../storage/db";
import { type CredentialField, maskCredentials, openCredentials } from "../../vault/credentials";
import { maskedConnection } from "./tokens";

export async function credentialsToConnect(
  env: Bindings,
  tenantId: string,
  provider: { id: string; credentialFields: readonly CredentialField[]; connector?: Connector },
  given: Record<string, string>,
): Promise<{ credentials: Record<string, string>; masked: Record<string, string>; status: ConnectionRow["status"] }> {
  const oauth = provider.connector?.oauth;
  if (!oauth) return { credentials: given, masked: maskCredentials(provider.credentialFields, given), status: "connected" };

  const credentials = { ...given };
  let status: ConnectionRow["status"] = "connected";
  const existing = await findByProvider(db(env.DB), tenantId, provider.id);
  const clientField = oauth.grant === "jwt_bearer" ? "integrationKey" : "clientId";
  if (existing) {
    const before = await openCredentials(env, existing);
    if (before[clientField] === given[clientField]) {
      // Fields the admin never types (tokens, the data centre) and callback fields the admin left out.
      const own = new Set(provider.credentialFields.map((f) => f.name));
      for (const [k, v] of Object.entries(before))
        if (!Object.hasOwn(given, k) && (!own.has(k) || oauth.callbackFields?.includes(k))) credentials[k] = v;
      if (existing.status === "needs_reconnect") status = "needs_reconnect";
    }
  }
  const canAuthenticate = credentials.accessToken || (oauth.apiKeyField && credentials[oauth.apiKeyField]);
  if (oauth.grant === "authorization_code" && !canAuthenticate) status = "authorization_required";
  return { credentials, masked: maskedConnection(provider.credentialFields, credentials), status };
}
