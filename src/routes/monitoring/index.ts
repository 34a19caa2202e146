// /v1/monitoring: each vendor's circuit breaker, and webhook health.
import { router } from "../../http/router";
import { resetBreaker } from "./circuit-breaker-reset";
import { listBreakers } from "./circuit-breakers";
import { webhookMonitoring } from "./webhooks";

export const monitoring = router().route("/", webhookMonitoring).route("/", listBreakers).route("/", resetBreaker);
