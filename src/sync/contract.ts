// An outbound connector: how Curbgate talks to one provider's API. Data plus small functions, one
// connector.ts per vendor folder (src/vendors/<id>/). The sync engine knows nothing provider-specific; every
// call a connector makes goes through `ctx.call`, which applies the provider's circuit breaker and
// rate limit, sends the idempotency key, and logs the call.
import type { PermitType, ZoneRules } from "../domain/types";
import type { CitationStatus } from "../domain/citations";
import type { ViolationStatus } from "../domain/violations";
import type { PaymentFacts } from "../effects/payments";
import type { ActiveSessionRecord, EntityMapping, FieldDefinition, FieldMapping } from "../mapping/types";

export type { ActiveSessionRecord, EntityMapping, FieldDefinition, FieldMapping };

export interface ProviderRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path below the connection's base URL, e.g. "/v1/payment_intents". */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** JSON body (or form fields when `form` is set). */
  body?: unknown;
  form?: boolean;
  headers?: Record<string, string>;
  /** Sent in the provider's own idempotency header; stable across retries of the same step. */
  idempotencyKey?: string;
  /** Billable units this call costs at the provider (an SMS segment, an email, …); default 1. */
  units?: number;
}

export interface ProviderResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A payment whose money moved (succeeded, or since refunded in part or whole), as a payment webhook recorded it. */
export interface PaymentRecord {
  id: string;
  provider: string;
  providerTransactionId: string;
  /** The parking session's zone, when the payment names a session Curbgate knows. */
  zone: string | null;
  amountCents: number;
  feeCents: number;
  currency: string;
  revenueAccount: string | null;
  feeAccount: string | null;
  /** When the money moved (the ledger's paid_at), UTC ms. */
  at: number;
}

/** A refund a provider reported, against the payment it refunds. */
export interface RefundRecord {
  /** "<provider>:<the provider's refund id>". */
  id: string;
  paymentId: string;
  provider: string;
  providerTransactionId: string;
  zone: string | null;
  amountCents: number;
  currency: string;
  revenueAccount: string | null;
  at: number;
}

/** A violation as a push sends it (docs/enforcement.md, "Violations"); money in integer cents, times in UTC ms. */
export interface ViolationRecord {
  id: string;
  /** "ips", "native", …, and the source's own id for it. */
  source: string;
  externalId: string | null;
  status: ViolationStatus;
  plate: string;
  state: string | null;
  zone: string;
  violationType: string;
  description: string | null;
  fineCents: number | null;
  officerId: string | null;
  deviceId: string | null;
  latitude: number | null;
  longitude: number | null;
  address: string | null;
  observedAt: number;
  citationId: string | null;
  /** Where each item came from and, when Curbgate holds a copy, its SHA-256. */
  evidence: { kind: string; url: string | null; stored: boolean; sha256: string | null }[];
}

/** A citation as a push sends it (docs/enforcement.md, "Citations"); money in integer cents, times in UTC ms. */
export interface CitationRecord {
  id: string;
  number: string;
  /** Where it was issued: "aims", "native", … */
  source: string;
  status: CitationStatus;
  plate: string;
  state: string | null;
  zone: string;
  violationCode: string;
  description: string | null;
  fineCents: number;
  lateFeeCents: number;
  /** What the driver owes now: the fine plus any late fee; 0 once paid, voided or dismissed. */
  amountDueCents: number;
  issuedAt: number;
  createdAt: number;
  collectionsAt: number | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  officer: { id: string; name: string | null; badge: string | null } | null;
}

/** Which citations a push reads: by id, or those created (or handed to collections) since an instant, a page at a time. */
export interface CitationQuery {
  ids?: string[];
  statuses?: CitationStatus[];
  fromMs?: number;
  by?: "created" | "collections";
  /** Leave out citations issued through this source (AIMS need not be sent its own). */
  excludeSource?: string;
  after?: { at: number; id: string };
  limit: number;
}

/** A permit as a push sends it. */
export interface PermitRecord {
  id: string;
  number: string;
  type: PermitType;
  plate: string;
  state: string | null;
  zones: string[];
  validFrom: number;
  validUntil: number;
  status: "active" | "revoked";
}

/**
 * The tenant's own records a push reads, behind a small read-only interface so connectors stay free
 * of bindings (src/sync/tenant-data.ts implements it over D1).
 */
export interface TenantData {
  /** Sessions still running at `atMs`, oldest first, at most `limit`. */
  activeSessions(atMs: number, limit: number): Promise<ActiveSessionRecord[]>;
  /** The tenant's IANA time zone (local dates in reports). */
  timezone(): Promise<string>;
  /** Every zone's rules (rates in cents per hour, local times), by code. */
  zones(): Promise<ZoneRules[]>;
  /** Payments whose money moved in [fromMs, toMs), oldest first, at most `limit`. */
  payments(fromMs: number, toMs: number, limit: number): Promise<PaymentRecord[]>;
  /** Refunds recorded in [fromMs, toMs), oldest first, at most `limit`. */
  refunds(fromMs: number, toMs: number, limit: number): Promise<RefundRecord[]>;
  /** Violations observed in [fromMs, toMs) with one of `statuses`, oldest first, at most `limit`, with their evidence. */
  violations(f: { fromMs: number; toMs: number; statuses: ViolationStatus[]; limit: number }): Promise<ViolationRecord[]>;
  /** Permits of these types, oldest first, at most `limit`; with `activeAt`, only those active and valid at that instant. */
  permits(f: { types: PermitType[]; activeAt: number | null; limit: number }): Promise<PermitRecord[]>;
  /** Citations, oldest first by the query's instant (created, or handed to collections). */
  citations(q: CitationQuery): Promise<CitationRecord[]>;
}

/** A payment a pull read from the provider, in the ledger's words (src/effects/payments.ts PaymentFacts). */
export type LedgerPayment = Omit<PaymentFacts, "source">;

/**
 * The one ledger, as a pull writes to it: the same path a webhook's payment takes (routing split, settlement
 * batch, the session paid), recorded with source "pull" and deduplicated by provider and transaction id.
 */
export interface PaymentLedger {
  payment(p: LedgerPayment): Promise<void>;
  /** A refund by the provider's id; `cumulative`: the amount is the payment's running refunded total. */
  refund(r: { providerTransactionId: string; refundId: string; amountCents: number; cumulative?: boolean }): Promise<void>;
}

export interface ConnectorContext {
  tenantId: string;
  provider: string;
  credentials: Readonly<Record<string, string>>;
  settings: Readonly<Record<string, unknown>>;
  /** Makes one call to the provider; throws ProviderCallError (with retry advice) on failure. */
  call<T = unknown>(req: ProviderRequest): Promise<ProviderResponse<T>>;
  /** A stable idempotency key for step `name` of the current job. */
  key(name: string): string;
  /** Read access to the tenant's own records. */
  data: TenantData;
  /** Where a pull records the payments and refunds it reads. */
  ledger: PaymentLedger;
  /** The tenant's field mapping for one of this connector's entities: its saved one, else the default template. */
  fieldMappings(entity: string): Promise<FieldMapping[]>;
  nowMs: number;
}

export interface SyncJobInput {
  id: string;
  entity: string;
  direction: "push" | "pull";
  since: number | null;
  params: Record<string, unknown>;
}

export interface SyncResult {
  /** Records read from or written to the provider. */
  records: number;
  detail?: Record<string, unknown>;
}

export interface EntitySync {
  directions: ("push" | "pull")[];
  description: string;
  run(ctx: ConnectorContext, job: SyncJobInput): Promise<SyncResult>;
}

/** A refund request from the domain (a session ended early, an operator refund); money in integer cents. */
export interface RefundRequest {
  /** The provider's id of the original charge (payments.provider_transaction_id). */
  transactionId: string;
  /** Omitted: refund what is left of the charge. */
  amountCents?: number;
  reason?: string;
}
export interface RefundOutcome {
  refundId: string;
  /**
   * In the domain's words whatever the vendor says: "succeeded" once money went back, "failed", else "pending" (a webhook settles
   * it).
   */
  status: string;
  amountCents: number;
}

/** What the domain may ask of a payment provider, whichever one the tenant connected. */
export interface PaymentCapability {
  /** Idempotent per job: uses ctx.key("refund") as the provider's idempotency key where it has one. */
  refund(ctx: ConnectorContext, req: RefundRequest): Promise<RefundOutcome>;
}

/** A payment Curbgate starts at the provider for a session; the driver completes it in the provider's client. */
export interface PaymentStart {
  /** Minor units of `currency` (cents, kobo; yen have none). */
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** Stable across retries of one initiation: the provider's idempotency key, or its reference when it has none. */
  key: string;
  /** A reference the caller chose (seed 003's `reference`), for providers that take one. */
  reference?: string;
  email?: string;
  callbackUrl?: string;
  /** Goes into the provider's metadata: `session_id` (which its webhook reads back) and `tenant_id`. */
  metadata: Record<string, string>;
}
export interface PaymentStarted {
  /** The provider's id for the payment, the one its webhooks and verify name (pi_…, a Paystack reference). */
  reference: string;
  /** What the driver's client needs, in the provider's own words (client_secret; authorization_url, access_code). */
  client: Record<string, string>;
}
/** A started payment as the provider reports it now. */
export interface PaymentState {
  status: "succeeded" | "pending" | "failed";
  /** The provider's own word ("success", "abandoned", "requires_payment_method"). */
  providerStatus: string;
  amountMinor: number;
  feeMinor: number;
  currency: string;
  paidAtMs: number | null;
  /** channel in the ledger's words (card, bank_transfer, …), when the provider says. */
  method: string | null;
  customerEmail: string | null;
}

/**
 * Present on payment providers that can start a payment a driver completes (Stripe, Paystack; Teller plugs
 * in here). Every call goes through `ctx.call`, so the provider gate and the call log see it.
 */
export interface PaymentInitiator {
  /** Request fields this provider cannot do without (Paystack: the customer's email). */
  needs: ("email" | "callbackUrl")[];
  start(ctx: ConnectorContext, p: PaymentStart): Promise<PaymentStarted>;
  /** Reads a started payment back by its reference (seed 003's verify). */
  check(ctx: ConnectorContext, reference: string): Promise<PaymentState>;
}

export interface OutboundMessage {
  /** E.164 phone number for SMS, an address for email. */
  to: string;
  subject?: string;
  text: string;
}
export interface MessageOutcome {
  messageId: string;
  status: string;
}

/** What the domain may ask of a messaging provider (expiry reminders, receipts). */
export interface MessagingCapability {
  channel: "sms" | "email";
  /**
   * How long the provider itself drops a resend of the same message (Brevo's idempotencyKey); absent
   * when it never does. A send whose outcome is unknown (a timeout) is resent only inside this window.
   */
  dedupeWindowMs?: number;
  send(ctx: ConnectorContext, msg: OutboundMessage): Promise<MessageOutcome>;
}

export interface Connector {
  provider: string;
  /** Production API base URL; a connection's settings.baseUrl overrides it (the simulator in development). */
  defaultBaseUrl: string;
  /** Adds authentication to a request from the decrypted credentials. */
  authorize(headers: Headers, credentials: Readonly<Record<string, string>>): void;
  /** Header the provider reads idempotency keys from, if it supports them. */
  idempotencyHeader?: string;
  /** Requests per minute the provider allows per account. */
  rateLimitPerMinute: number;
  /** A cheap authenticated call proving the credentials work (POST …/connections/{id}/test). */
  test(ctx: ConnectorContext): Promise<Record<string, unknown>>;
  entities: Record<string, EntitySync>;
  /** Provider-side fields per entity, for field mappings. */
  fields?: Record<string, FieldDefinition[]>;
  /** Per entity in `fields`: its Curbgate counterpart, which way records flow, and the mapping templates. */
  mappings?: Record<string, EntityMapping>;
  /** Present on payment providers (Stripe, Square, Paystack, Teller): the domain refunds through it. */
  payments?: PaymentCapability;
  /** Present on payment providers that can start a payment for a driver (POST /v1/sessions/{id}/payments). */
  initiator?: PaymentInitiator;
  /** Present on messaging providers (Twilio SMS, Brevo and SendGrid email). */
  messaging?: MessagingCapability;
  /** Where the API lives for these credentials, when it depends on them (Mailchimp's data centre). */
  baseUrlFor?(credentials: Readonly<Record<string, string>>): string;
  /** Query parameter the provider reads idempotency keys from (QuickBooks' `requestid`), if not a header. */
  idempotencyQueryParam?: string;
  /** OAuth 2 providers: how Curbgate obtains and renews the access token `authorize` sends. */
  oauth?: OAuthSpec;
}

/** A call to an OAuth server outside the connector's API (token endpoint, metadata), through the gate and the call log. */
export type OAuthFetch = <T = unknown>(
  url: string,
  init: { method: "GET" | "POST"; form?: Record<string, string>; headers?: Record<string, string> },
) => Promise<T>;

/**
 * The OAuth 2 side of a connector. Credentials gain `accessToken`, `refreshToken`, `expiresAt` and
 * `issuedAt` (epoch ms) once authorised; src/sync/oauth/ and the TokenRefresher object do the rest.
 */
export interface OAuthSpec {
  /** `authorization_code`: a person approves in the browser; `jwt_bearer`: a signed assertion, no browser (DocuSign). */
  grant: "authorization_code" | "jwt_bearer";
  /** Production endpoints; a connection's settings.oauthBaseUrl replaces their origin (a sandbox, the simulator). */
  authorizeUrl?: string;
  tokenUrl: string;
  scopes: string[];
  /** The vendor documents PKCE (S256); the start route then sends a code challenge. */
  pkce: boolean;
  /** How the client proves itself at the token endpoint: HTTP Basic, or client_id/client_secret in the form. */
  clientAuth: "basic" | "body";
  /** Query parameters of the vendor's callback that belong in the credentials (QuickBooks' realmId). */
  callbackFields?: string[];
  /** Credential fields that make OAuth unnecessary (Mailchimp's apiKey). */
  apiKeyField?: string;
  /** Runs once after the code exchange: more credentials the API needs (Mailchimp's data centre). */
  afterAuthorize?(
    accessToken: string,
    fetch: OAuthFetch,
    oauthUrl: (productionUrl: string) => string,
  ): Promise<Record<string, string>>;
  /** jwt_bearer: the signed assertion to exchange; `audience` is the token endpoint's host. */
  assertion?(credentials: Readonly<Record<string, string>>, audience: string, nowMs: number): Promise<string>;
  /** Does this refused answer mean the access token expired or was revoked? Default: any 401. */
  tokenRejected?(status: number | null, body: unknown): boolean;
}
