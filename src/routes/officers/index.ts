// /v1/officers: enforcement officers as Curbgate knows them from the enforcement vendor; for now their
// shifts (docs/enforcement.md, "Violations").
import { router } from "../../http/router";
import { listShifts } from "./shifts";

export const officers = router().route("/", listShifts);
