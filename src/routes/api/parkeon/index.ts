// /api/parkeon: the Parkeon / Flowbird meter API Curbgate serves, in the Stamford integration guide's
// shapes (docs/sources.md): meters report their status and send their configuration here.
import { router } from "../../../http/router";
import { parkeonMeterConfig } from "./meter-config";
import { parkeonMeterStatus } from "./meter-status";

export const parkeonApi = router().route("/", parkeonMeterStatus).route("/", parkeonMeterConfig);
