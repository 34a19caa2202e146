// /v1/payments: the one ledger (every payment and refund from every provider), the tenant's payment
// routing, and Paystack-shaped initialize and verify (docs/payments.md). One line per route file.
import { router } from "../../http/router";
import { getPayment } from "./get";
import { initializePayment } from "./initialize";
import { listPayments } from "./list";
import { paymentRoutingRoutes } from "./routing";
import { verifyPaymentRoute } from "./verify";

export const payments = router()
  .route("/", paymentRoutingRoutes)
  .route("/", initializePayment)
  .route("/", verifyPaymentRoute)
  .route("/", listPayments)
  .route("/", getPayment);
