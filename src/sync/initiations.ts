// A driver pays for a session through the city's connected payment provider. Curbgate asks the provider
// to start a payment for what the session owes (the connector's `initiator`, through the provider gate)
// and hands the driver's client what it needs to finish it; the provider's webhook, or a verify, then
// records the payment and pays the session, once, whichever comes first (recordPayment is keyed by the
// provider's reference, and the zone applies one payment per key).
//
// What is written, in order: nothing until the request is known to be good (session, amount, currency,
// provider, fields the provider needs); then a "creating" row claims the Idempotency-Key; the provider is
// called with a key derived from tenant, session and Idempotency-Key; the row becomes "pending" with the
// provider's answer (sealed), or is deleted if the provider refused or failed. A retry with the key
// replays the row and never calls the provider again; a retry after a crash mid-call takes the stale row
// over and calls again with the same provider key, which the provider dedupes.
import type { Connector, PaymentState } from "./contract";
import type { Connectors } from "./requests";
import { CapabilityUnavailable } from "./requests";
import { connectorContext } from "./call";
import type { Bindings } from "../env";
import { amountOwed, providerKeyOf } from "../domain/session-payment";
import { formatMinorUnits, isCurrency, minorUnitExponent, toMinorUnits } from "../domain/money";
import { zoneOfSessionId } from "../domain/session-id";
import type { StoredSession } from "../domain/sessions";
import { recordPayment } from "../effects/payments";
import { Failure, isFailure } from "../lib/failure";
import { newId } from "../lib/ids";
import { ProviderCallError } from "../lib/vendor-call-error";
import { listConnections } from "../storage/connections";
import { db } from "../storage/db";
import {
  type InitiationRow,
  claimInitiation,
  completeInitiation,
  dropInitiation,
  findInitiationByKey,
  findInitiationByReference,
  settleInitiation,
  takeOverInitiation,
} from "../storage/payment-initiations";
import { findSessionHistory } from "../storage/session-history";
import { callZone } from "../storage/zone-state";
import { connectionFor } from "../vault/connections";
import { openRecord, sealRecord } from "../vault/sealed-record";

const SEALED_KIND = "payment-initiation";
// A claim older than this belongs to a request that died: the provider call gives up after 10 s.
const STALE_CLAIM_MS = 60_000;
const DEFAULT_CURRENCY = "USD"; // what sessions are presented in (src/routes/sessions/present.ts)

export interface InitiateInput {
  sessionId: string;
  provider?: string;
  email?: string;
  callbackUrl?: string;
  currency?: string;
  /** The caller's key, scoped to its credential ("<actor>:<key>"). */
  idempotencyKey: string;
  /** SHA-256 of the request as the caller sent it. */
  fingerprint: string;
  /** A provider reference the caller chose (seed 003's `reference`). */
  reference?: string;
  /** The amount the caller asked to pay in major units (seed 003's initialize): it must be what the session owes. */
  amountMajor?: string | number;
  /** Where the request's fields are, for field errors ("body" paths differ between the two routes). */
  fields?: {
    currency?: string;
    amount?: string;
    email?: string;
    provider?: string;
    key?: { location: "header" | "body"; path: string };
  };
}

export type Initiation =
  | { status: "free"; sessionId: string; amountMinor: 0; currency: string }
  | {
      status: "pending" | "paid" | "failed";
      id: string;
      sessionId: string;
      provider: string;
      amountMinor: number;
      currency: string;
      reference: string;
      client: Record<string, string>;
      createdAtMs: number;
      /** True when this answers an earlier request with the same Idempotency-Key. */
      replayed: boolean;
    };

const isPositiveDecimal = (v: string | number) => /^\d+(\.\d+)?$/.test(String(v).trim()) && /[1-9]/.test(String(v));

const invalid = (location: "body" | "header", path: string, message: string) =>
  new Failure("invalid", message, [{ location, path, message }]);

/** Starts (or replays) the payment of what a session owes. */
export async function initiatePayment(
  env: Bindings,
  connectors: Connectors,
  tenantId: string,
  input: InitiateInput,
): Promise<Initiation> {
  const database = db(env.DB);
  const seen = await findInitiationByKey(database, tenantId, input.idempotencyKey);
  if (seen && seen.fingerprint !== input.fingerprint) {
    const at = input.fields?.key ?? { location: "header", path: "Idempotency-Key" };
    throw invalid(at.location, at.path, `This ${at.path} was used with a different request`);
  }
  if (seen && seen.status !== "creating") return replay(env, seen);
  if (seen && !(await takeOverInitiation(database, tenantId, seen.id, Date.now() - STALE_CLAIM_MS, Date.now())))
    throw new Failure("conflict", "A request with this Idempotency-Key is still in progress; retry in a few seconds", [], {
      headers: { "retry-after": "2" },
    });

  try {
    return await checkAndStart(env, connectors, tenantId, input, seen);
  } catch (err) {
    // A stale claim this request took over is let go when the request is refused, as a fresh one would leave nothing.
    if (seen) await dropInitiation(database, tenantId, seen.id);
    throw err;
  }
}

async function checkAndStart(
  env: Bindings,
  connectors: Connectors,
  tenantId: string,
  input: InitiateInput,
  seen: InitiationRow | null,
): Promise<Initiation> {
  const database = db(env.DB);
  const f = { currency: "currency", amount: "amount", email: "email", provider: "provider", ...input.fields };
  if (input.currency !== undefined && !isCurrency(input.currency))
    throw invalid("body", f.currency, `${input.currency} is not an ISO 4217 currency`);
  if (input.amountMajor !== undefined && !isPositiveDecimal(input.amountMajor))
    throw invalid("body", f.amount, "The amount must be a positive decimal in major units, e.g. 4.50");
  const session = await liveSession(env, tenantId, input.sessionId);
  const owed = amountOwed(session);
  if (owed.kind === "paid")
    throw new Failure("conflict", `Session ${session.id} is already paid (${owed.paidMinor} minor units confirmed)`);
  if (owed.kind === "free") {
    if (input.amountMajor !== undefined) throw invalid("body", f.amount, `Session ${session.id} owes nothing`);
    if (seen) await dropInitiation(database, tenantId, seen.id);
    return {
      status: "free",
      sessionId: session.id,
      amountMinor: 0,
      currency: (input.currency ?? DEFAULT_CURRENCY).toUpperCase(),
    };
  }
  const { connector, provider } = await providerFor(env, connectors, tenantId, input.provider, f.provider);
  const connection = await connectionFor(env, tenantId, provider);
  const own = connection?.settings.currency;
  const currency = (input.currency ?? (typeof own === "string" && isCurrency(own) ? own : DEFAULT_CURRENCY)).toUpperCase();
  if (input.amountMajor !== undefined) {
    const asked = toMinorUnits(input.amountMajor, currency);
    if (asked === null || asked <= 0)
      throw invalid("body", f.amount, `A positive amount in ${currency} with at most ${minorUnitExponent(currency)} decimals`);
    if (asked !== owed.amountMinor)
      throw invalid(
        "body",
        f.amount,
        `The amount must be what session ${session.id} owes: ${formatMinorUnits(owed.amountMinor, currency)} ${currency}`,
      );
  }
  for (const need of connector.initiator!.needs)
    if (!input[need]) throw invalid("body", need === "email" ? f.email : need, `${provider} needs the driver's ${need}`);

  const providerKey = await providerKeyOf(tenantId, session.id, input.idempotencyKey);
  const row =
    seen ??
    (await claimInitiation(
      database,
      {
        id: newId("pin"),
        tenantId,
        provider,
        sessionId: session.id,
        amountMinor: owed.amountMinor,
        currency,
        idempotencyKey: input.idempotencyKey,
        fingerprint: input.fingerprint,
        providerKey,
      },
      Date.now(),
    ));
  // Another request claimed the key between our read and our insert: answer as a retry would.
  if (!row) return initiatePayment(env, connectors, tenantId, input);
  return startAt(env, connector, row, input);
}

async function startAt(env: Bindings, connector: Connector, row: InitiationRow, input: InitiateInput): Promise<Initiation> {
  const database = db(env.DB);
  const ctx = await contextFor(env, connector, row.tenantId, row.id);
  let started;
  try {
    started = await connector.initiator!.start(ctx, {
      amountMinor: row.amountMinor,
      currency: row.currency,
      key: row.providerKey,
      reference: input.reference,
      email: input.email,
      callbackUrl: input.callbackUrl,
      metadata: { session_id: row.sessionId, tenant_id: row.tenantId, curbgate_initiation: row.id },
    });
  } catch (err) {
    await dropInitiation(database, row.tenantId, row.id);
    throw providerFailure(connector.provider, err, { reference: input.reference !== undefined });
  }
  const sealed = await sealRecord(env, row.tenantId, SEALED_KIND, row.id, started.client);
  const done = await completeInitiation(
    database,
    row.tenantId,
    row.id,
    {
      providerReference: started.reference,
      clientCiphertext: sealed.ciphertext,
      clientKeyVersion: sealed.keyVersion,
      status: "pending",
    },
    Date.now(),
  );
  return view(done, started.client, false);
}

async function replay(env: Bindings, row: InitiationRow): Promise<Initiation> {
  const client = await openRecord(env, row.tenantId, SEALED_KIND, row.id, {
    ciphertext: row.clientCiphertext!,
    keyVersion: row.clientKeyVersion!,
  });
  return view(row, client, true);
}

const view = (row: InitiationRow, client: Record<string, string>, replayed: boolean): Initiation => ({
  status: row.status === "creating" ? "pending" : row.status,
  id: row.id,
  sessionId: row.sessionId,
  provider: row.provider,
  amountMinor: row.amountMinor,
  currency: row.currency,
  reference: row.providerReference!,
  client,
  createdAtMs: row.createdAt,
  replayed,
});

/** The session as its zone holds it. One the zone has let go of (finished a day ago) can no longer be paid online. */
async function liveSession(env: Bindings, tenantId: string, id: string): Promise<StoredSession> {
  try {
    return await callZone(env, tenantId, zoneOfSessionId(id), (s) => s.getSession(id));
  } catch (err) {
    if (!isFailure(err, "not_found")) throw err;
  }
  if (await findSessionHistory(db(env.DB), tenantId, id))
    throw new Failure("conflict", `Session ${id} finished more than a day ago and can no longer be paid online`);
  throw new Failure("not_found", "Session not found");
}

/** The provider asked for, or the tenant's connected one that can start payments (the first by name). */
async function providerFor(
  env: Bindings,
  connectors: Connectors,
  tenantId: string,
  asked: string | undefined,
  field: string,
): Promise<{ provider: string; connector: Connector }> {
  const able = Object.values(connectors)
    .filter((c) => c.initiator)
    .map((c) => c.provider)
    .sort();
  if (asked !== undefined && !able.includes(asked))
    throw invalid("body", field, `${asked} cannot take payments for sessions; one of: ${able.join(", ")}`);
  const connected = (await listConnections(db(env.DB), tenantId))
    .filter((c) => c.status === "connected" && able.includes(c.provider))
    .map((c) => c.provider)
    .sort();
  const provider = asked ?? connected[0];
  if (!provider || !connected.includes(provider))
    throw new CapabilityUnavailable(
      `${asked ? `${asked} is not connected` : "No connected provider can take payments"}; connect one of: ${able.join(", ")} (POST /v1/integrations/connections)`,
    );
  return { provider, connector: connectors[provider]! };
}

async function contextFor(env: Bindings, connector: Connector, tenantId: string, callId: string) {
  const connection = await connectionFor(env, tenantId, connector.provider);
  if (!connection) throw new CapabilityUnavailable(`${connector.provider} is not connected`);
  const target = {
    env,
    tenantId,
    connector,
    credentials: connection.credentials,
    settings: connection.settings,
    connectionId: connection.id,
  };
  // The call log names the initiation (pin_…) as the call's job, so its calls can be found.
  return connectorContext(target, callId);
}

/** A provider's refusal or outage as a problem the driver's app can act on. */
function providerFailure(provider: string, err: unknown, o: { reference: boolean }): Failure {
  if (!(err instanceof ProviderCallError)) return new Failure("unavailable", `${provider} gave an answer Curbgate could not use`);
  if (err.kind === "client") {
    const said = providerMessage(err.body);
    const duplicate = /duplicate/i.test(said ?? "");
    if (duplicate && o.reference)
      return invalid("body", "reference", `${provider} already has a transaction with this reference`);
    if (duplicate)
      return new Failure(
        "conflict",
        `${provider} already has a payment from an earlier attempt with this Idempotency-Key whose answer was lost; start again with a new Idempotency-Key`,
      );
    return new Failure("invalid", `${provider} refused the payment${said ? `: ${said}` : ""}`);
  }
  if (err.kind === "auth")
    return new Failure("unavailable", `${provider} refused the city's credentials; an administrator must reconnect ${provider}`);
  const wait = err.retryAfterMs === null ? {} : { headers: { "retry-after": String(Math.ceil(err.retryAfterMs / 1000)) } };
  return new Failure(
    "unavailable",
    `${provider} is unavailable (${err.kind}); no payment was started here. Try again with the same Idempotency-Key`,
    [],
    { provider, ...wait },
  );
}

function providerMessage(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as { message?: unknown; error?: { message?: unknown } };
  const m = typeof b.error?.message === "string" ? b.error.message : b.message;
  return typeof m === "string" ? m.slice(0, 300) : undefined;
}

export interface Verification {
  initiation: { id: string; sessionId: string; provider: string; reference: string };
  state: PaymentState;
  /** What recording the payment did (the payment row, the session), when it succeeded. */
  recorded: Record<string, unknown> | null;
}

/**
 * Asks the provider how a payment Curbgate started stands (seed 003's verify); one that succeeded is
 * recorded as the webhook would record it (source "initiated"), so the session is paid once either way.
 */
export async function verifyPayment(
  env: Bindings,
  connectors: Connectors,
  tenantId: string,
  reference: string,
): Promise<Verification> {
  const database = db(env.DB);
  const row = await findInitiationByReference(database, tenantId, reference);
  if (!row) throw new Failure("not_found", "No payment Curbgate started has this reference");
  const connector = Object.hasOwn(connectors, row.provider) ? connectors[row.provider] : undefined;
  if (!connector?.initiator) throw new CapabilityUnavailable(`${row.provider} cannot verify payments`);
  const ctx = await contextFor(env, connector, tenantId, `${row.id}:verify`);
  let state: PaymentState;
  try {
    state = await connector.initiator.check(ctx, reference);
  } catch (err) {
    throw providerFailure(row.provider, err, { reference: false });
  }
  const nowMs = Date.now();
  let recorded: Record<string, unknown> | null = null;
  if (state.status === "succeeded") {
    const result = await recordPayment(
      { env, tenantId, provider: row.provider, eventId: `${row.id}:verify`, nowMs },
      {
        providerTransactionId: reference,
        amountCents: state.amountMinor,
        feeCents: state.feeMinor,
        currency: state.currency,
        status: "succeeded",
        sessionId: row.sessionId,
        method: state.method,
        paidAtMs: state.paidAtMs,
        source: "initiated",
      },
    );
    recorded = result.status === "processed" ? result.effect : null;
    await settleInitiation(database, tenantId, row.id, "paid", nowMs);
  } else if (state.status === "failed") await settleInitiation(database, tenantId, row.id, "failed", nowMs);
  return { initiation: { id: row.id, sessionId: row.sessionId, provider: row.provider, reference }, state, recorded };
}
