// Idempotency keys, the way Stripe documents them (and the way our IPS API does): the first request
// with a key runs and its response is saved; a later request with the same key and the same
// parameters gets that response again, without running (Idempotent-Replayed: true); the same key
// with other parameters is a 400; a request while the first is still running is a 409.
import { state, type SideEffect, type StoredResponse } from "./state";
import type { Account, SimProvider, SimRequest } from "./types";

export type Outcome = "handled" | "replayed" | "conflict";

/** The key a write carries: in the provider's header, or wherever else it reads one. */
export function keyOf(provider: SimProvider, r: SimRequest): string | null {
  if (r.method === "GET") return null;
  return provider.idempotencyKeyOf?.(r) ?? (provider.idempotencyHeader ? r.req.headers.get(provider.idempotencyHeader) : null);
}

function effectOf(provider: SimProvider, account: Account, key: string | null, r: SimRequest, response: Response, body: string): SideEffect | null {
  const status = response.status;
  if (r.method === "GET" || status < 200 || status >= 300) return null;
  // The created object's id: in the body (Stripe, Twilio, IPS, Brevo), a header (SendGrid's X-Message-Id),
  // or where the provider says (Square's `{ refund: { id } }`).
  let objectId: string | null = response.headers.get("x-message-id");
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    // Stripe, IPS and Zoom name it at the top; Twilio says sid, Brevo messageId, DocuSign envelopeId;
    // Intuit wraps it ({"Invoice": {"Id": …}}); a provider may say where itself (Square: {"refund": {"id": …}}).
    const wrapped = Object.values(parsed).find((v): v is Record<string, unknown> => !!v && typeof v === "object" && "Id" in v);
    const id = provider.createdIdOf ? provider.createdIdOf(parsed) : (parsed.id ?? parsed.sid ?? parsed.syncId ?? parsed.messageId ?? parsed.job_id ?? parsed.envelopeId ?? wrapped?.Id);
    if (typeof id === "string" || typeof id === "number") objectId = String(id);
  } catch {}
  const effect = { provider: provider.name, account: account.id, idempotencyKey: key, method: r.method, path: r.path, status, objectId, at: Date.now(), replays: 0 };
  state.effects.push(effect);
  return effect;
}

/** Runs a write once per idempotency key (per provider and account); writes without a key always run. */
export async function runOnce(provider: SimProvider, account: Account, r: SimRequest, run: () => Response | Promise<Response>): Promise<{ response: Response; outcome: Outcome }> {
  const key = keyOf(provider, r);
  if (!key) {
    const response = await run();
    const body = await response.clone().text();
    effectOf(provider, account, null, r, response, body);
    return { response, outcome: "handled" };
  }
  const scope = `${provider.name}:${account.id}:${key}`;
  const fingerprint = `${r.method} ${r.path}?${r.url.searchParams} ${r.text}`;
  const seen = state.idempotency.get(scope);
  if (seen?.inFlight) return { response: provider.error(409, "There is currently another in-progress request using this idempotency key.", "idempotency_key_in_use"), outcome: "conflict" };
  if (seen && seen.fingerprint !== fingerprint)
    return { response: provider.error(400, "Keys for idempotent requests can only be used with the same parameters they were first used with.", "idempotency_error"), outcome: "conflict" };
  if (seen) {
    if (seen.effect) seen.effect.replays++;
    const headers = { "content-type": seen.contentType, "idempotent-replayed": "true", "idempotency-key": key };
    return { response: new Response(seen.body, { status: seen.status, headers }), outcome: "replayed" };
  }
  const record: StoredResponse = { fingerprint, status: 0, body: "", contentType: "application/json", effect: null, inFlight: true };
  state.idempotency.set(scope, record);
  try {
    const response = await run();
    record.body = await response.clone().text();
    record.status = response.status;
    record.contentType = response.headers.get("content-type") ?? "application/json";
    record.effect = effectOf(provider, account, key, r, response, record.body);
    record.inFlight = false;
    if (provider.idempotencyHeader) response.headers.set(provider.idempotencyHeader, key);
    return { response, outcome: "handled" };
  } catch (err) {
    state.idempotency.delete(scope); // nothing ran to completion, so nothing is saved
    throw err;
  }
}
