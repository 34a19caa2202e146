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

const field = (path: string, message: string) => ({ errors: [{ location: "body" as const, path, message }] });

/** The connector's operation for an entity that can go this direction, or 422 naming the field at fault. */
export function requireOperation(connector: Connector, entity: string, direction: "push" | "pull") {
  const operation = Object.hasOwn(connector.entities, entity) ? connector.entities[entity] : undefined;
  if (!operation)
    throw new ApiError(
      422,
      `${connector.provider} has no entity "${entity}"`,
      field("entity", `One of: ${Object.keys(connector.entities).join(", ")}`),
    );
  if (!operation.directions.includes(direction))
    throw new ApiError(
      422,
      `${connector.provider} ${entity} cannot ${direction}`,
      field("direction", `One of: ${operation.directions.join(", ")}`),
    );
  return operation;
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
