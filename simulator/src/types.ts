// What a simulated provider is: its auth check, its routes, and its own error shape (used for
// injected faults too, so a failure looks the way the real vendor's would).
import type { OAuthServer } from "./oauth";

export interface Account {
  /** Stable per credential; data, idempotency keys and observations are kept per account. */
  id: string;
  live: boolean;
}

export interface SimRequest {
  req: Request;
  url: URL;
  method: string;
  /** The path below `/<provider>`, e.g. "/v1/refunds". */
  path: string;
  text: string;
  fields: Record<string, unknown>;
  /** Events the request's state change makes the provider send to its webhook endpoints (webhooks.ts). */
  events: RaisedEvent[];
}

/** A state change worth a webhook: its type, the object as it is now, and what changed. */
export interface RaisedEvent {
  type: string;
  object: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

/** How a provider that sends webhooks wraps and signs them, as its docs (or docs/webhooks.md) say. */
export interface WebhookFormat {
  /** The account a credential is (as authenticate derives it), or null when the provider would refuse it. */
  accountOf(credential: string): Account | null;
  /** The delivered body for one event; `id` is the vendor's event id, repeated on every retry. */
  envelope(event: RaisedEvent, account: Account, idempotencyKey: string | null): { id: string; body: Record<string, unknown> };
  /** The headers the vendor sends with `body` at `timestampSeconds`, signed with the endpoint's secret. */
  sign(secret: string, timestampSeconds: number, body: string): Promise<Record<string, string>>;
}

export interface SimProvider {
  name: string;
  /** Header the provider reads idempotency keys from; absent when the API has none (Twilio). */
  idempotencyHeader?: string;
  /** Where the provider reads a write's idempotency key when it is not a header (Brevo: the message's `headers`). */
  idempotencyKeyOf?(r: SimRequest): string | null;
  /** The id of the object a write created, when the answer does not carry it as `id` (Square: `{ refund: { id } }`). */
  createdIdOf?(body: Record<string, unknown>): string | null;
  /** Providers that issue OAuth tokens: their authorisation server, which answers its own paths. */
  oauth?: OAuthServer;
  /** Providers that send webhooks back on state changes. */
  webhooks?: WebhookFormat;
  /** Routes that need no credential (health checks). */
  isPublic?(r: SimRequest): boolean;
  /** The caller's account, or the provider's 401. */
  authenticate(r: SimRequest): Account | Response;
  handle(r: SimRequest, account: Account | null): Response | Promise<Response>;
  /** An error in the provider's own shape. */
  error(status: number, message: string, code?: string): Response;
  /** Stands in for the payer at the provider's checkout: the payment with this reference succeeds or fails. False when there is none waiting. */
  settle?(reference: string, outcome: "success" | "failed"): boolean;
  /** Forgets every account's data. */
  reset(): void;
}
