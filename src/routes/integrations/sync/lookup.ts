// What every sync route checks first: the provider has a connector (404) and the tenant is connected
// to it (409). Both answers are about the caller's own tenant only.
import { connectorOf } from "../../../vendors";
import type { Connector } from "../../../sync/contract";
import type { Bindings } from "../../../env";
import { ApiError } from "../../../http/problem";
import { findByProvider, type ConnectionRow } from "../../../storage/connections";
import { db } from "../../../storage/db";
import { gateFor, gateSettings } from "../../../sync/call";

export function requireConnector(provider: string): Connector {
  const connector = connectorOf(provider);
  if (!connector) throw new ApiError(404, `No outbound connector for "${provider}"`);
  return connector;
}

export async function requireConnection(env: Bindings, tenantId: string, provider: string): Promise<ConnectionRow> {
  const row = await findByProvider(db(env.DB), tenantId, provider);
  if (!row) throw new ApiError(409, `Connect ${provider} first (POST /v1/integrations/connections)`);
  if (row.status === "authorization_required")
    throw new ApiError(409, `${provider} is not authorised yet (POST /v1/integrations/oauth/${provider}/start)`);
  if (row.status === "needs_reconnect")
    throw new ApiError(
      409,
      `${provider} refused to renew its tokens: reconnect it (POST /v1/integrations/connections/${row.id}/reconnect)`,
    );
  return row;
}

/** The tenant+provider gate and the settings it runs with (connection settings over connector defaults). */
export function gateOf(env: Bindings, tenantId: string, connector: Connector, row: ConnectionRow) {
  const settings = gateSettings({ env, tenantId, connector, credentials: {}, settings: row.settings });
  return { gate: gateFor(env, tenantId, connector.provider), settings };
}
