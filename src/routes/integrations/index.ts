// /v1/integrations: the vendors a city can connect, its connections, OAuth, sync jobs, field mappings
// and health. (The OAuth callback is mounted on its own, before authentication: the vendor's redirect
// carries no credential, its single-use state is the proof.) The order below is the order the routes
// are matched in: connection routes before the {provider} ones, as they always were.
import { router } from "../../http/router";
import { connectProvider } from "./connections/connect";
import { disconnectProvider } from "./connections/disconnect";
import { listConnectionsRoute } from "./connections/list";
import { reconnectConnection } from "./connections/reconnect";
import { testConnection } from "./connections/test";
import { providerHealthRoute } from "./health";
import { applyTemplate } from "./mappings/apply-template";
import { listFields } from "./mappings/fields";
import { getMappings } from "./mappings/get";
import { healMapping } from "./mappings/heal";
import { putMappings } from "./mappings/put";
import { resetMappings } from "./mappings/reset";
import { testMappings } from "./mappings/test";
import { startOAuth } from "./oauth/start";
import { listProviders } from "./providers";
import { retrySync } from "./sync/retry";
import { startSync } from "./sync/start";
import { syncHistory } from "./sync/history";
import { syncSchedules } from "./sync/schedules";
import { syncStatus } from "./sync/status";
import { stopSync } from "./sync/stop";

export { oauthCallback } from "./oauth/callback";

export const integrations = router()
  .route("/", listProviders)
  .route("/", listConnectionsRoute)
  .route("/", connectProvider)
  .route("/", disconnectProvider)
  .route("/", testConnection)
  .route("/", startOAuth)
  .route("/", reconnectConnection)
  .route("/", startSync)
  .route("/", syncStatus)
  .route("/", syncHistory)
  .route("/", syncSchedules)
  .route("/", retrySync)
  .route("/", stopSync)
  .route("/", listFields)
  .route("/", getMappings)
  .route("/", putMappings)
  .route("/", testMappings)
  .route("/", applyTemplate)
  .route("/", resetMappings)
  .route("/", healMapping)
  .route("/", providerHealthRoute);
