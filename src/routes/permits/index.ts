// /v1/permits: residential, business and visitor permits.
import { router } from "../../http/router";
import { createPermit } from "./create";
import { getPermits } from "./get";
import { revokePermit } from "./revoke";

export const permits = router().route("/", getPermits).route("/", createPermit).route("/", revokePermit);
