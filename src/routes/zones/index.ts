// /v1/zones: a city's zones and their rules, and each zone's live sessions (its occupancy over time is
// in ../occupancy.ts until that file is split).
import { router } from "../../http/router";
import { createZone } from "./create";
import { getZones } from "./get";
import { zoneLiveSessions } from "./live-sessions";
import { updateZone } from "./update";

export const zones = router().route("/", getZones).route("/", createZone).route("/", updateZone).route("/", zoneLiveSessions);
