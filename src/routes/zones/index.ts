// /v1/zones: a city's zones and their rules (and every version of them), each zone's live sessions, and its occupancy over time
// (every zone's occupancy now is /v1/occupancy, in ../occupancy).
import { router } from "../../http/router";
import { createZone } from "./create";
import { getZones } from "./get";
import { zoneLiveSessions } from "./live-sessions";
import { zoneOccupancy } from "./occupancy";
import { updateZone } from "./update";
import { zoneVersions } from "./versions";

export const zones = router()
  .route("/", getZones)
  .route("/", createZone)
  .route("/", updateZone)
  .route("/", zoneLiveSessions)
  .route("/", zoneOccupancy)
  .route("/", zoneVersions);
