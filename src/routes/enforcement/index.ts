// /v1/enforcement: the tenant's enforcement settings.
import { router } from "../../http/router";
import { enforcementSettings } from "./settings";

export const enforcement = router().route("/", enforcementSettings);
