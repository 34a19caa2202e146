// /api/ips: the IPS Group SmartCity shapes Curbgate serves (the Stamford integration guide, docs/sources.md):
// the plate check and the violation report.
import { router } from "../../../http/router";
import { ipsVerify } from "./verify";
import { ipsViolations } from "./violations";

export const ips = router().route("/", ipsVerify).route("/", ipsViolations);
