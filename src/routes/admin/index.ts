// /v1/admin: platform operators' and tenant admins' views across the deployment.
import { router } from "../../http/router";
import { integrationCosts } from "./integration-costs";
import { rotateVault } from "./vault-rotate";

export const admin = router().route("/", rotateVault).route("/", integrationCosts);
