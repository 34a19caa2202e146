// Every vendor's webhook signature recipe, as pure functions: (request, secrets) -> verdict.
export type { SignatureResult, SignedRequest, TimestampOptions } from "../webhooks/signature-contract";
export { DEFAULT_TOLERANCE_SECONDS } from "./shared/freshness";
export { verifyStripe } from "./stripe/signature";
export { verifyStandardWebhook, signStandardWebhook } from "../webhooks/standard-webhooks";
export { verifySquare, type SquareOptions } from "./square/signature";
export { verifyPaystack } from "./paystack/signature";
export { verifyQuickBooks } from "./quickbooks/signature";
export { verifyDocuSign } from "./docusign/signature";
export { verifyTwilio, type TwilioOptions } from "./twilio/signature";
export { verifySendGrid, derToP1363 } from "./sendgrid/signature";
export { verifyZoom, zoomUrlValidationResponse } from "./zoom/signature";
export { verifyMailchimp, type MailchimpOptions } from "./mailchimp/signature";
export { verifyBrevo } from "./brevo/signature";
export { verifyVendorHmac, signVendorHmac, vendorHeaders, type ParkingVendor } from "./shared/parking-vendor-signature";
