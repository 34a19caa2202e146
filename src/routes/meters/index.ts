// /v1/meters: the meter registry, each meter with what it last reported and the alerts it shows. Meters
// report through the vendor-shaped routes (/api/parkeon, in ../api/parkeon) or the vendor's webhook.
import { router } from "../../http/router";
import { createMeter } from "./create";
import { getMeters } from "./get";

export const meters = router().route("/", getMeters).route("/", createMeter);
