// /v1/payments: the one ledger (every payment and refund from every provider) and the tenant's payment
// routing (docs/payments.md). One line per route file.
import { router } from "../../http/router";
import { getPayment } from "./get";
import { listPayments } from "./list";
import { paymentRoutingRoutes } from "./routing";

export const payments = router().route("/", paymentRoutingRoutes).route("/", listPayments).route("/", getPayment);
