// What a provider is to Curbgate: data plus small functions, one file per provider.
// The webhook route, the queue consumer and the connection routes know nothing provider-specific.
import type { SignatureResult, SignedRequest } from "../webhooks/signature-contract";

export type ProviderCategory = "enforcement" | "payments" | "meters" | "municipal" | "accounting" | "marketing" | "messaging" | "signatures" | "meetings";

export interface CredentialField {
  name: string;
  label: string;
  /** Secret fields are encrypted, masked in every response, and never logged. */
  secret: boolean;
  required: boolean;
  help?: string;
}

/** A delivery turned into Curbgate's terms: who sent what, with the vendor's own event id. */
export interface NormalizedEvent {
  externalId: string;
  type: string;
  occurredAtMs: number | null;
  data: Record<string, unknown>;
}

export interface EffectContext {
  env: import("../env").Bindings;
  tenantId: string;
  provider: string;
  eventId: string;
  nowMs: number;
}

/** What an effect did, stored on the event for operators ("payment pay_… succeeded, session extended"). */
export type EffectResult = { status: "processed"; effect: Record<string, unknown> } | { status: "unhandled"; effect?: Record<string, unknown> };
export type EffectHandler = (event: NormalizedEvent, ctx: EffectContext) => Promise<EffectResult>;

export interface ProviderWebhook {
  /** Checks the vendor's signature with the tenant's decrypted credentials (current then previous secrets). */
  verify(req: SignedRequest, credentials: Record<string, string>, settings: Record<string, unknown>): Promise<SignatureResult>;
  /** Reads the vendor's event id, type and body; null if the body is not a delivery we understand. */
  parse(rawBody: Uint8Array, headers: Headers, url: string): Promise<NormalizedEvent | null>;
  /** A verified handshake the vendor expects an answer to instead of an ack (Zoom's URL validation). */
  challenge?(event: NormalizedEvent, credentials: Record<string, string>): Promise<Record<string, unknown> | null>;
  /** Header names whose values are secrets or signatures, masked when the event is stored. */
  sensitiveHeaders?: string[];
}

export interface Provider {
  id: string;
  name: string;
  category: ProviderCategory;
  auth: "api_key" | "oauth2";
  credentialFields: CredentialField[];
  /** Extra text for the admin: where in the vendor's console to paste the webhook URL, query parameters, … */
  webhookSetup?: string;
  webhook?: ProviderWebhook;
  /** Event type -> effect. Types without a handler are stored with status `unhandled`. */
  effects: Record<string, EffectHandler>;
}
