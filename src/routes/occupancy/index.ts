// /v1/occupancy: every zone's live occupancy. (One zone's occupancy over time is ../zones/occupancy.ts.)
import { router } from "../../http/router";
import { liveOccupancy } from "./live";

export const occupancy = router().route("/", liveOccupancy);
