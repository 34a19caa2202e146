// /v1/dead-letters: webhook events and sync jobs that exhausted their attempts; the bulk replay of
// webhook events by time range. (A sync job's dead letter is replayed by retrying the job:
// POST /v1/integrations/{provider}/sync/retry.)
import { router } from "../../http/router";
import { listDeadLetters } from "./list";
import { replayDeadLetters } from "./replay";

export const deadLetters = router().route("/", listDeadLetters).route("/", replayDeadLetters);
