import { createRoute } from "@hono/zod-openapi";
import { authenticate } from "../../../http/authenticate";
import { actorOf } from "../../../auth/principal";
import { connectorOf, vendorById } from "../../../vendors";
import { ApiError } from "../../../http/problem";
import { router } from "../../../http/router";
import { completeAuthorization } from "../../../sync/oauth/authorize";
import { consumeState, usableState, type StateRow } from "../../../sync/oauth/states";
import { recordAudit } from "../../../storage/audit";
import { findByProvider } from "../../../storage/connections";
import { db } from "../../../storage/db";
import { json } from "../../common";
import { CallbackQuery, CallbackResult, OAuthProviderParams, badRequest } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/{provider}",
  tags: ["Integrations"],
  summary:
    "Where the vendor sends the browser back: exchanges the code, stores the tokens in the vault, and redirects to the dashboard",
  description:
    "No staff credential: the browser arrives from the vendor, and the single-use state is the proof. Answers JSON instead of the redirect when the request accepts application/json; " +
    "a client that sends its own credential then must belong to the tenant (and be the credential) that started the authorisation. Register this URL as the redirect URI in the vendor's console.",
  request: { params: OAuthProviderParams, query: CallbackQuery },
  responses: {
    302: { description: "To /admin/#/integrations?connected={provider}" },
    200: json(CallbackResult, "Connected (when JSON was asked for)"),
    ...badRequest,
    404: { description: "Unknown provider" },
    409: { description: "The connection was removed meanwhile" },
    503: { description: "The vendor could not be reached to finish; start again" },
  },
});

/** A caller that identifies itself must be the one that started the authorisation. */
async function checkCaller(c: Parameters<typeof authenticate>[0], state: StateRow) {
  if (!c.req.header("authorization")) return;
  await authenticate(c, async () => {});
  const p = c.get("principal");
  if (p.tenantId !== state.tenantId || actorOf(p) !== state.userId)
    throw new ApiError(400, "This OAuth state was not issued to you");
}

export const oauthCallback = router().openapi(route, async (c) => {
  const { provider } = c.req.valid("param");
  const q = c.req.valid("query");
  const connector = connectorOf(provider);
  if (!connector?.oauth) throw new ApiError(404, `${provider} does not connect with OAuth`);
  if (!q.state) throw new ApiError(400, "The callback has no state: start the authorisation again");
  const state = await usableState(c.env, q.state, provider);
  await checkCaller(c, state);
  const { codeVerifier } = await consumeState(c.env, state);
  if (q.error) throw new ApiError(400, `${provider} did not authorise Curbgate (${q.error.slice(0, 64)}): start again to retry`);
  if (!q.code) throw new ApiError(400, "The callback has no code: start the authorisation again");

  const row = await findByProvider(db(c.env.DB), state.tenantId, provider);
  if (!row) throw new ApiError(409, `The ${provider} connection was removed while it was being authorised`);
  const connected = await completeAuthorization(c.env, {
    row,
    connector,
    fields: vendorById(provider)?.credentialFields ?? [],
    code: q.code,
    redirectUri: state.redirectUri,
    codeVerifier,
    callbackQuery: c.req.query(),
  });
  c.executionCtx.waitUntil(
    recordAudit(c.env, {
      tenantId: state.tenantId,
      actor: state.userId,
      action: "integration.oauth.connected",
      target: row.id,
      detail: { provider },
      requestId: c.get("requestId"),
    }),
  );
  if ((c.req.header("accept") ?? "").includes("application/json"))
    return c.json({ connected: true as const, provider, connectionId: connected.id, status: connected.status }, 200);
  return c.redirect(`/admin/#/integrations?connected=${encodeURIComponent(provider)}`, 302);
});
