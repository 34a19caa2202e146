// Curbgate's worker: one Hono app that mounts a router per resource, the queue consumers and the cron,
// and its Durable Objects. Nothing else: each resource's routes live in src/routes/<resource>/.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { handleDeadLetterBatch } from "../queues/dead-letters";
import { handleSyncBatch } from "../queues/sync-jobs";
import { handleWebhookBatch } from "../queues/webhooks";
import type { AppEnv, Bindings } from "./env";
import { authenticate } from "./http/authenticate";
import { dashboardCors } from "./http/cors";
import { notFoundHandler, onError } from "./http/errors";
import { ApiError } from "./http/problem";
import { rateLimit } from "./http/rate-limit";
import { requestContext } from "./http/request-context";
import { admin } from "./routes/admin";
import { aims } from "./routes/api/aims";
import { signedEvidence } from "./routes/api/evidence";
import { ips } from "./routes/api/ips";
import { parkeonApi } from "./routes/api/parkeon";
import { tellerApi } from "./routes/api/teller";
import { refreshToken, signIn } from "./routes/auth";
import { citations } from "./routes/citations";
import { adminApp } from "./routes/dashboard";
import { deadLetters } from "./routes/dead-letters";
import { enforcement } from "./routes/enforcement";
import { mountDocs } from "./routes/docs";
import { health } from "./routes/health";
import { integrations, oauthCallback } from "./routes/integrations";
import { devRoutes } from "./routes/internal/dev";
import { meters } from "./routes/meters";
import { monitoring } from "./routes/monitoring";
import { occupancy } from "./routes/occupancy";
import { payments } from "./routes/payments";
import { officers } from "./routes/officers";
import { permits } from "./routes/permits";
import { reports } from "./routes/reports";
import { sessions } from "./routes/sessions";
import { reservations, zoneReservations } from "./routes/reservations";
import { plateChecks } from "./routes/verify";
import { violationCodes } from "./routes/violation-codes";
import { violations } from "./routes/violations";
import { webhookEvents } from "./routes/webhook-events";
import { defaultTenantWebhooks, tenantWebhooks } from "./routes/webhooks/receive";
import { zones } from "./routes/zones";
import type { SyncMessage } from "./sync/message";
import { recoverStaleSyncJobs } from "./sync/recovery";
import { runCitationCollections } from "./sync/collections";
import { runDailyReconciliation } from "./sync/daily-reconciliation";
import { runScheduledReports } from "./sync/scheduled-reports";
import { runDueSchedules } from "./sync/schedules";
import { CONNECTORS } from "./vendors";
import type { DeadLetterMessage, WebhookMessage } from "./webhooks/message";
import { recoverStrandedWebhooks } from "./webhooks/recovery";

const MAX_JSON_BODY = 64 * 1024;
// A citation carries its photos as base64: one 10 MiB photo (MAX_EVIDENCE_BYTES) is 13.4 MiB of text.
const MAX_EVIDENCE_BODY = 16 * 1024 * 1024;
const EVIDENCE_PATHS = new Set(["/v1/citations", "/api/aims/citations"]);

const app = new OpenAPIHono<AppEnv>();
app.onError(onError);
app.notFound(notFoundHandler);
app.use("*", requestContext);
const limitTo = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, `Bodies are limited to ${maxSize} bytes`);
    },
  });
const jsonBodyLimit = limitTo(MAX_JSON_BODY);
const evidenceBodyLimit = limitTo(MAX_EVIDENCE_BODY);
// Webhook routes read their raw body themselves, with a 1 MiB limit (src/webhooks/ingest.ts).
app.use("*", (c, next) => {
  if (isWebhookPath(c.req.path)) return next();
  return (EVIDENCE_PATHS.has(c.req.path) ? evidenceBodyLimit : jsonBodyLimit)(c, next);
});
// Before authentication, so a browser's preflight (which carries no credential) gets its answer.
for (const prefix of ["/v1/*", "/health/*", "/openapi.json"]) app.use(prefix, dashboardCors);

// Open routes, mounted before authentication (webhooks authenticate by the vendor's signature; the
// OAuth callback by its single-use state; sign-in by the password).
app.route("/health", health);
app.route("/v1/webhooks", tenantWebhooks);
app.route("/api/webhooks", defaultTenantWebhooks);
app.route("/v1/auth", signIn);
app.route("/internal/dev", devRoutes);
app.route("/v1/integrations/oauth/callback", oauthCallback);
app.route("/admin", adminApp);
app.route("/api/evidence", signedEvidence); // the signature is the proof (src/auth/evidence-urls.ts)
mountDocs(app);

// Everything below needs a credential, and is rate limited per credential.
for (const prefix of ["/v1/*", "/api/ips/*", "/api/aims/*", "/api/parkeon/*", "/api/teller/*"])
  app.use(prefix, authenticate, rateLimit);

app.route("/v1/webhook-events", webhookEvents);
app.route("/v1/dead-letters", deadLetters);
app.route("/v1/monitoring", monitoring);
app.route("/v1/verify", plateChecks);
app.route("/v1/sessions", sessions);
app.route("/v1/zones", zones);
app.route("/v1/zones", zoneReservations);
app.route("/v1/reservations", reservations);
app.route("/v1/occupancy", occupancy);
app.route("/v1/auth", refreshToken);
app.route("/v1/permits", permits);
app.route("/v1/payments", payments);
app.route("/v1/enforcement", enforcement);
app.route("/v1/violations", violations);
app.route("/v1/officers", officers);
app.route("/v1/citations", citations);
app.route("/v1/violation-codes", violationCodes);
app.route("/v1/meters", meters);
app.route("/api/ips", ips);
app.route("/api/aims", aims);
app.route("/api/parkeon", parkeonApi);
app.route("/api/teller", tellerApi);
app.route("/v1/integrations", integrations);
app.route("/v1/admin", admin);
app.route("/v1/reports", reports);

const isWebhookPath = (path: string) => path.startsWith("/v1/webhooks/") || path.startsWith("/api/webhooks/");

async function queue(batch: MessageBatch<unknown>, env: Bindings) {
  if (batch.queue.startsWith("curbgate-sync")) return handleSyncBatch(batch as MessageBatch<SyncMessage>, env);
  if (batch.queue.endsWith("-dlq")) return handleDeadLetterBatch(batch as MessageBatch<DeadLetterMessage>, env);
  return handleWebhookBatch(batch as MessageBatch<WebhookMessage>, env);
}

/**
 * Every five minutes: queue again the sync jobs and webhook events that a lost message or a crashed
 * consumer left behind, start the tenants' scheduled connector jobs that are due, escalate unpaid
 * citations and hand them to collections (src/sync/collections.ts), push each GTCS tenant's previous
 * local day once per version (src/sync/daily-reconciliation.ts), and make each scheduled report's last
 * whole period once (src/sync/scheduled-reports.ts).
 */
async function scheduled(_controller: ScheduledController, env: Bindings) {
  const results = await Promise.allSettled([
    recoverStaleSyncJobs(env),
    recoverStrandedWebhooks(env),
    runDueSchedules(env),
    runCitationCollections(env),
    runDailyReconciliation(env),
    runScheduledReports(env, CONNECTORS),
  ]);
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
