// /api/aims: what AIMS handhelds call, in the Stamford guide's shapes (docs/sources.md): the plate lookup
// and citation issuance.
import { router } from "../../../http/router";
import { aimsCitations } from "./citations";
import { aimsLookup } from "./lookup";

export const aims = router().route("/", aimsLookup).route("/", aimsCitations);
