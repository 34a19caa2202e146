// /v1/payments: seed 003's Paystack initialize and verify. (The ledger routes live in the index of the
// same name on another branch; the two are merged into one router.)
import { router } from "../../http/router";
import { initializePayment } from "./initialize";
import { verifyPaymentRoute } from "./verify";

export const payments = router().route("/", initializePayment).route("/", verifyPaymentRoute);
