// /v1/violations: what officers and cameras observed (IPS reports them at /api/ips/violations and by
// webhook), with their evidence. Read-only here: docs/enforcement.md, "Violations".
import { router } from "../../http/router";
import { getViolation } from "./get";
import { listViolations } from "./list";

export const violations = router().route("/", listViolations).route("/", getViolation);
