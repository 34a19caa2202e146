import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { actorOf } from "../../../auth/principal";
import { connectorOf, vendorById } from "../../../vendors";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { beginAuthorization } from "../../../sync/oauth/authorize";
import { audit } from "../../../http/audit";
import { findConnection, setConnectionStatus } from "../../../storage/connections";
import { forgetConnection, updateCredentials } from "../../../vault/connections";
import { db } from "../../../storage/db";
import { maskedConnection, withoutTokens } from "../../../sync/oauth/tokens";
import { openCredentials } from "../../../vault/credentials";
import { bearer, errors, json } from "../../common";
import { testConnectionOf } from "../../../sync/connection-test";
import { ReconnectResult } from "../oauth/schemas";
import { ConnectionIdParams, vaultUnavailable } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/connections/{id}/reconnect",
  tags: ["Integrations"],
  summary: "Reconnect: authorise an OAuth connection again, or try the stored credentials of any other connection again",
  description:
    "OAuth authorisation code providers (QuickBooks, Mailchimp, Zoom): a new authorisation, as POST /v1/integrations/oauth/{provider}/start (`action: authorize`). " +
    "DocuSign (JWT grant): its cached token is dropped and a new one requested with the stored key. API-key providers: the stored credentials are tested again " +
    "(`action: tested`); if the provider still refuses them, connect again with new ones (POST /v1/integrations/connections). A passing test marks the connection connected.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: ConnectionIdParams },
  responses: {
    200: json(ReconnectResult, "What to do next, or how the new test went"),
    ...errors(404, 409),
    ...vaultUnavailable,
  },
});

export const reconnectConnection = router().openapi(route, async (c) => {
  const principal = c.get("principal");
  const database = db(c.env.DB);
  const row = await findConnection(database, principal.tenantId, c.req.valid("param").id);
  if (!row) throw new ApiError(404, "Connection not found");
  const connector = connectorOf(row.provider);
  if (!connector)
    throw new ApiError(
      409,
      `${row.provider} has no outbound connector, so there is nothing to test: connect again with new credentials (POST /v1/integrations/connections)`,
    );
  const base = { connectionId: row.id, provider: row.provider };
  const oauth = connector.oauth;

  if (oauth?.grant === "authorization_code" && !(oauth.apiKeyField && (await openCredentials(c.env, row))[oauth.apiKeyField])) {
    const authorization = await beginAuthorization(c.env, {
      row,
      connector,
      userId: actorOf(principal),
      origin: new URL(c.req.url).origin,
    });
    audit(c, "integration.reconnect", row.id, { provider: row.provider, action: "authorize" });
    return c.json({ ...base, action: "authorize" as const, status: row.status, authorization, test: null }, 200);
  }
  if (oauth?.grant === "jwt_bearer") {
    // A fresh grant with the stored key: the refusal that set needs_reconnect may have been fixed at the vendor (consent given,
    // key uploaded).
    const credentials = withoutTokens(await openCredentials(c.env, row));
    await updateCredentials(c.env, row, credentials, {
      masked: maskedConnection(vendorById(row.provider)?.credentialFields ?? [], credentials),
      status: "connected",
    });
    forgetConnection(row.tenantId, row.provider);
  }
  const test = await testConnectionOf(c.env, principal.tenantId, row, connector);
  let status = (await findConnection(database, row.tenantId, row.id))?.status ?? row.status;
  if (test.ok && status !== "connected") {
    await setConnectionStatus(database, row, "connected");
    status = "connected";
  }
  audit(c, "integration.reconnect", row.id, {
    provider: row.provider,
    action: "tested",
    ok: test.ok,
    kind: test.error?.kind ?? null,
  });
  return c.json({ ...base, action: "tested" as const, status, authorization: null, test }, 200);
});
