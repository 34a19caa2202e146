// /api/teller: the Stamford guide's Teller payment and refund shapes, served to a city's own system with
// a Curbgate API key (scope payments:write) and carried out through the city's Teller connection.
import { router } from "../../../http/router";
import { tellerPayments } from "./payments";
import { tellerRefunds } from "./refunds";

export const tellerApi = router().route("/", tellerPayments).route("/", tellerRefunds);
