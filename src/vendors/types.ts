// What a vendor is to Curbgate: its catalogue entry (name, category, the credential fields a city
// fills in), its webhook reader and effects, and its outbound connector. One folder per vendor
// (src/vendors/<id>/), one line per vendor in the registry (src/vendors/index.ts). The API calls a
// vendor's id `provider` (URLs, connections, D1 columns); the code calls the vendor a Vendor.
import type { Connector } from "../sync/contract";
import type { CredentialField } from "../vault/credentials";
import type { EffectHandler, VendorWebhook } from "../webhooks/contract";

export type VendorCategory =
  | "enforcement"
  | "payments"
  | "meters"
  | "municipal"
  | "accounting"
  | "marketing"
  | "messaging"
  | "signatures"
  | "meetings";

export interface Vendor {
  id: string;
  name: string;
  category: VendorCategory;
  auth: "api_key" | "oauth2";
  credentialFields: CredentialField[];
  /** Extra text for the admin: where in the vendor's console to paste the webhook URL, query parameters, … */
  webhookSetup?: string;
  webhook?: VendorWebhook;
  /** Event type -> effect. Types without a handler are stored with status `unhandled`. */
  effects: Record<string, EffectHandler>;
  /** How Curbgate calls the vendor's API (sync jobs, refunds, messages), if it does. */
  connector?: Connector;
}
