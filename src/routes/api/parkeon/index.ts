// /api/parkeon: the Parkeon / Flowbird meter API Curbgate serves, in the Stamford integration guide's
// shapes (docs/sources.md): meters report their status here.
import { router } from "../../../http/router";
import { parkeonMeterStatus } from "./meter-status";

export const parkeonApi = router().route("/", parkeonMeterStatus);
