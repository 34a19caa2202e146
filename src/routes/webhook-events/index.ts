// /v1/webhook-events: operators search received webhook events, read one, and replay it.
import { router } from "../../http/router";
import { webhookEventRoutes } from "./events";
import { replayEvent } from "./replay";

export const webhookEvents = router().route("/", webhookEventRoutes).route("/", replayEvent);
