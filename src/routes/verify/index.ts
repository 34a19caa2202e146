// /v1/verify: plate checks, one or a camera sweep's batch.
import { router } from "../../http/router";
import { verify } from "./verify";
import { verifyBatch } from "./verify-batch";

export const plateChecks = router().route("/", verify).route("/", verifyBatch);
