// Every vendor's webhook signature recipe, as pure functions: (request, secrets) -> verdict.
export type { SignatureResult, SignedRequest, TimestampOptions } from "./types";
export { DEFAULT_TOLERANCE_SECONDS } from "./freshness";
export { verifyStripe } from "./stripe";
export { verifyStandardWebhook, signStandardWebhook } from "./standard-webhooks";
export { verifySquare, type SquareOptions } from "./square";
export { verifyPaystack } from "./paystack";
export { verifyQuickBooks } from "./quickbooks";
export { verifyDocuSign } from "./docusign";
export { verifyTwilio, type TwilioOptions } from "./twilio";
export { verifySendGrid, derToP1363 } from "./sendgrid";
export { verifyZoom, zoomUrlValidationResponse } from "./zoom";
export { verifyMailchimp, type MailchimpOptions } from "./mailchimp";
export { verifyBrevo } from "./brevo";
export { verifyVendorHmac, signVendorHmac, vendorHeaders, type ParkingVendor } from "./hmac-vendor";
