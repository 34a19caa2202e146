// The webhook engine's contract with each vendor: what a signature recipe receives and returns (pure: no
// bindings, no I/O, no clock), what a vendor's reader makes of a delivery, and what an effect may do.
// Vendors (src/vendors/<id>/) implement it; the engine (ingest, process) receives the vendor from its
// caller and never imports one.
import type { Bindings } from "../env";

/** One delivery exactly as it reached us; `rawBody` is the only copy of the body we trust. */
export interface SignedRequest {
  rawBody: Uint8Array;
  headers: Headers;
  /** The full URL the vendor called, with query. */
  url: string;
  nowMs: number;
}

/** `reason` is short and safe to log: it never contains a secret or a signature value. */
export type SignatureResult = { ok: true } | { ok: false; reason: string };

/** Shared by every recipe whose vendor signs a timestamp. */
export interface TimestampOptions {
  /** Accepted clock difference in seconds, both directions (default 300). */
  toleranceSeconds?: number;
}

/** A delivery turned into Curbgate's terms: who sent what, with the vendor's own event id. */
export interface NormalizedEvent {
  externalId: string;
  type: string;
  occurredAtMs: number | null;
  data: Record<string, unknown>;
}

export interface EffectContext {
  env: Bindings;
  tenantId: string;
  /** The vendor's id (`provider` in the API and in D1). */
  provider: string;
  eventId: string;
  nowMs: number;
}

/** What an effect did, stored on the event for operators ("payment pay_… succeeded, session extended"). */
export type EffectResult =
  | { status: "processed"; effect: Record<string, unknown> }
  | { status: "unhandled"; effect?: Record<string, unknown> };
export type EffectHandler = (event: NormalizedEvent, ctx: EffectContext) => Promise<EffectResult>;

export interface VendorWebhook {
  /** Checks the vendor's signature with the tenant's decrypted credentials (current then previous secrets). */
  verify(req: SignedRequest, credentials: Record<string, string>, settings: Record<string, unknown>): Promise<SignatureResult>;
  /** Reads the vendor's event id, type and body; null if the body is not a delivery we understand. */
  parse(rawBody: Uint8Array, headers: Headers, url: string): Promise<NormalizedEvent | null>;
  /** A verified handshake the vendor expects an answer to instead of an ack (Zoom's URL validation). */
  challenge?(event: NormalizedEvent, credentials: Record<string, string>): Promise<Record<string, unknown> | null>;
  /** Header names whose values are secrets or signatures, masked when the event is stored. */
  sensitiveHeaders?: string[];
}

/** What the engine needs of a vendor that sends webhooks (a Vendor with a webhook satisfies it). */
export interface WebhookSource {
  id: string;
  name: string;
  webhook: VendorWebhook;
  effects: Record<string, EffectHandler>;
}
