// Curbgate's worker: one Hono app, its Durable Objects, nothing else. Routes live in src/routes,
// one operation (or one small group) per file.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { authenticate } from "./http/authenticate";
import type { DeadLetterMessage, WebhookMessage } from "./webhooks/message";
import type { SyncMessage } from "./sync/message";
import { handleSyncBatch } from "../queues/sync-jobs";
import { recoverStaleSyncJobs } from "./sync/recovery";
import { recoverStrandedWebhooks } from "./webhooks/recovery";
import { handleDeadLetterBatch } from "../queues/dead-letters";
import { handleWebhookBatch } from "../queues/webhooks";
import type { AppEnv, Bindings } from "./env";
import { webhookEventRoutes } from "./routes/webhook-events/events";
import { webhookMonitoring } from "./routes/monitoring/webhooks";
import { receiveWebhooks } from "./routes/webhooks/receive";
import { webhookReplayRoutes } from "./routes/webhook-events/replay";
import { notFoundHandler, onError } from "./http/errors";
import { ApiError } from "./http/problem";
import { requestContext } from "./http/request-context";
import { dashboardCors } from "./http/cors";
import { adminApp } from "./routes/dashboard";
import { refreshToken } from "./routes/auth/refresh";
import { zoneLiveSessions } from "./routes/zones/live-sessions";
import { zoneOccupancy } from "./routes/occupancy";
import { rateLimit } from "./http/rate-limit";
import { rotateVault } from "./routes/admin/vault-rotate";
import { integrationCosts } from "./routes/admin/integration-costs";
import { login } from "./routes/auth/login";
import { devRoutes } from "./routes/internal/dev";
import { mountDocs } from "./routes/docs";
import { health } from "./routes/health";
import { connectProvider } from "./routes/integrations/connections/connect";
import { disconnectProvider } from "./routes/integrations/connections/disconnect";
import { listConnectionsRoute } from "./routes/integrations/connections/list";
import { listProviders } from "./routes/integrations/providers";
import { testConnection } from "./routes/integrations/connections/test";
import { applyTemplate } from "./routes/integrations/mappings/apply-template";
import { listFields } from "./routes/integrations/mappings/fields";
import { getMappings } from "./routes/integrations/mappings/get";
import { healMapping } from "./routes/integrations/mappings/heal";
import { putMappings } from "./routes/integrations/mappings/put";
import { resetMappings } from "./routes/integrations/mappings/reset";
import { testMappings } from "./routes/integrations/mappings/test";
import { oauthCallback } from "./routes/integrations/oauth/callback";
import { startOAuth } from "./routes/integrations/oauth/start";
import { reconnectConnection } from "./routes/integrations/connections/reconnect";
import { resetBreaker } from "./routes/monitoring/circuit-breaker-reset";
import { listBreakers } from "./routes/monitoring/circuit-breakers";
import { providerHealthRoute } from "./routes/integrations/health";
import { syncHistory } from "./routes/integrations/sync/history";
import { retrySync } from "./routes/integrations/sync/retry";
import { startSync } from "./routes/integrations/sync/start";
import { syncStatus } from "./routes/integrations/sync/status";
import { stopSync } from "./routes/integrations/sync/stop";
import { createPermit } from "./routes/permits/create";
import { getPermits } from "./routes/permits/get";
import { revokePermit } from "./routes/permits/revoke";
import { endSession } from "./routes/sessions/end";
import { extendSession } from "./routes/sessions/extend";
import { getSession } from "./routes/sessions/get";
import { listSessions } from "./routes/sessions/list";
import { startSession } from "./routes/sessions/start";
import { aimsLookup } from "./routes/api/aims/lookup";
import { ipsVerify } from "./routes/api/ips/verify";
import { verify } from "./routes/verify/verify";
import { verifyBatch } from "./routes/verify/verify-batch";
import { createZone } from "./routes/zones/create";
import { getZones } from "./routes/zones/get";
import { updateZone } from "./routes/zones/update";

const MAX_JSON_BODY = 64 * 1024;

const app = new OpenAPIHono<AppEnv>();
app.onError(onError);
app.notFound(notFoundHandler);
app.use("*", requestContext);
const jsonBodyLimit = bodyLimit({ maxSize: MAX_JSON_BODY, onError: () => { throw new ApiError(413, `Bodies are limited to ${MAX_JSON_BODY} bytes`); } });
// Webhook routes read their raw body themselves, with a 1 MiB limit (src/webhooks/ingest.ts).
app.use("*", (c, next) => (isWebhookPath(c.req.path) ? next() : jsonBodyLimit(c, next)));
// Before authentication, so a browser's preflight (which carries no credential) gets its answer.
for (const prefix of ["/v1/*", "/health/*", "/openapi.json"]) app.use(prefix, dashboardCors);

// Open routes (webhooks authenticate by the vendor's signature instead of a credential).
app.route("/", health);
app.route("/", receiveWebhooks);
app.route("/", login);
app.route("/", devRoutes);
app.route("/", oauthCallback); // the vendor's redirect: the single-use state is the proof, not a credential
app.route("/", adminApp);
mountDocs(app);

// Everything below needs a credential, and is rate limited per credential.
for (const prefix of ["/v1/*", "/api/ips/*", "/api/aims/*"]) app.use(prefix, authenticate, rateLimit);

const routes = [
  webhookEventRoutes, webhookReplayRoutes, webhookMonitoring,
  verify, verifyBatch,
  startSession, extendSession, endSession, getSession, listSessions,
  getZones, createZone, updateZone, zoneOccupancy, zoneLiveSessions, refreshToken,
  getPermits, createPermit, revokePermit,
  ipsVerify, aimsLookup,
  listProviders, listConnectionsRoute, connectProvider, disconnectProvider, testConnection,
  startOAuth, reconnectConnection,
  startSync, syncStatus, syncHistory, retrySync, stopSync, listBreakers, resetBreaker,
  rotateVault,
  listFields, getMappings, putMappings, testMappings, applyTemplate, resetMappings, healMapping,
  providerHealthRoute, integrationCosts,
];
for (const r of routes) app.route("/", r);

const isWebhookPath = (path: string) => path.startsWith("/v1/webhooks/") || path.startsWith("/api/webhooks/");

async function queue(batch: MessageBatch<unknown>, env: Bindings) {
  if (batch.queue.startsWith("curbgate-sync")) return handleSyncBatch(batch as MessageBatch<SyncMessage>, env);
  if (batch.queue.endsWith("-dlq")) return handleDeadLetterBatch(batch as MessageBatch<DeadLetterMessage>, env);
  return handleWebhookBatch(batch as MessageBatch<WebhookMessage>, env);
}

/** Every five minutes: queue again the sync jobs and webhook events that a lost message or a crashed consumer left behind. */
async function scheduled(_controller: ScheduledController, env: Bindings) {
  const results = await Promise.allSettled([recoverStaleSyncJobs(env), recoverStrandedWebhooks(env)]);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason; // after both ran: the platform records the failed run, the next one tries again
}

export { app };
export default { fetch: app.fetch, queue, scheduled } satisfies ExportedHandler<Bindings>;
export { ZoneState } from "../durable/zone-state";
export { RateLimiter } from "../durable/rate-limiter";
export { WebhookInbox } from "../durable/webhook-inbox";
export { ProviderGate } from "../durable/provider-gate";
export { TokenRefresher } from "../durable/token-refresher";
