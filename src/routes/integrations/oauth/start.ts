import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../../http/authenticate";
import { actorOf } from "../../../auth/principal";
import { connectorOf } from "../../../vendors";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { beginAuthorization, browserOAuthConnector } from "../../../sync/oauth/authorize";
import { audit } from "../../../http/audit";
import { findByProvider } from "../../../storage/connections";
import { db } from "../../../storage/db";
import { bearer, errors, json } from "../../common";
import { AuthorizationSchema, OAuthProviderParams } from "./schemas";
import { vaultUnavailable } from "../connections/schemas";

const route = createRoute({
  method: "post",
  path: "/oauth/{provider}/start",
  tags: ["Integrations"],
  summary:
    "Start an OAuth 2 authorisation: the vendor's authorize URL with a single-use state (and a PKCE challenge where the vendor supports it)",
  description:
    "Connect the provider first with its OAuth client id and secret (POST /v1/integrations/connections). The state expires after 10 minutes and works once. " +
    "The vendor sends the browser back to GET /v1/integrations/oauth/callback/{provider}, which stores the tokens.",
  security: bearer,
  middleware: [requireScope("integrations:write")] as const,
  request: { params: OAuthProviderParams },
  responses: { 200: json(AuthorizationSchema, "Where to send the browser"), ...errors(404, 409), ...vaultUnavailable },
});

export const startOAuth = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const principal = c.get("principal");
  const connector = browserOAuthConnector(connectorOf(provider), provider);
  const row = await findByProvider(db(c.env.DB), principal.tenantId, provider);
  if (!row)
    throw new ApiError(409, `Connect ${provider} first with its OAuth client id and secret (POST /v1/integrations/connections)`);
  const authorization = await beginAuthorization(c.env, {
    row,
    connector,
    userId: actorOf(principal),
    origin: new URL(c.req.url).origin,
  });
  audit(c, "integration.oauth.start", row.id, { provider });
  return c.json(authorization, 200);
});
