// /v1/monitoring: each vendor's circuit breaker, webhook health, and meters with alerts.
import { router } from "../../http/router";
import { resetBreaker } from "./circuit-breaker-reset";
import { listBreakers } from "./circuit-breakers";
import { meterMonitoring } from "./meters";
import { webhookMonitoring } from "./webhooks";

export const monitoring = router()
  .route("/", webhookMonitoring)
  .route("/", listBreakers)
  .route("/", resetBreaker)
  .route("/", meterMonitoring);
