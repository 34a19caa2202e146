// The webhook half of the control API (control.ts routes here):
//   GET    /_control/webhooks[/{provider}]        registered endpoints (never their secrets)
//   PUT    /_control/webhooks/{provider}          {account, url, secret, events?, maxAttempts?, retryBaseMs?}
//   DELETE /_control/webhooks/{provider}          {account}: that account's endpoints; no body: all the provider's
//   POST   /_control/events/{provider}            {account, type, object}: something happened at the vendor
//   GET    /_control/deliveries?provider=&type=&eventId=&status=   every delivery and its attempts
//   POST   /_control/deliveries/{id}/resend       one more attempt of that delivery, now; answers its record
// `account` is the credential the provider's API is called with (Stripe secret key, IPS API key): the
// endpoint is kept under its label, as the simulator keys accounts, never under the credential.
import { isHttpUrl, json } from "./http";
import { state } from "./state";
import type { Account, SimProvider } from "./types";
import { RETRY_DEFAULTS, addEndpoint, dispatch, endpointView, removeEndpoints, resend, type SimEnv } from "./webhooks";

type Body = Record<string, unknown>;
const readJson = async (req: Request): Promise<Body | null> => {
  const b: unknown = await req.json().catch(() => null);
  return b && typeof b === "object" && !Array.isArray(b) ? (b as Body) : null;
};
const intIn = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

function accountOf(provider: SimProvider, body: Body | null): Account | string {
  const credential = body?.account;
  if (typeof credential !== "string" || !credential) return "account (the provider credential) is required";
  return provider.webhooks!.accountOf(credential) ?? `account is not a credential ${provider.name} accepts`;
}

function endpointInput(provider: SimProvider, body: Body | null) {
  const account = accountOf(provider, body);
  const errors: string[] = typeof account === "string" ? [account] : [];
  const url = body?.url;
  if (!isHttpUrl(url)) errors.push("url: an http(s) URL");
  if (typeof body?.secret !== "string" || !body.secret) errors.push("secret: the signing secret Curbgate verifies with");
  const events = body?.events ?? ["*"];
  if (!Array.isArray(events) || !events.length || !events.every((e) => typeof e === "string" && e)) errors.push("events: a non-empty list of event types, or [\"*\"]");
  if (body?.maxAttempts !== undefined && !intIn(body.maxAttempts, 1, 10)) errors.push("maxAttempts: 1..10");
  if (body?.retryBaseMs !== undefined && !intIn(body.retryBaseMs, 0, 60_000)) errors.push("retryBaseMs: 0..60000");
  if (errors.length || typeof account === "string") return errors;
  return {
    provider: provider.name, account: account.id, url: url as string, secret: body!.secret as string, events: events as string[], source: "control" as const,
    maxAttempts: (body!.maxAttempts as number | undefined) ?? RETRY_DEFAULTS.maxAttempts, retryBaseMs: (body!.retryBaseMs as number | undefined) ?? RETRY_DEFAULTS.retryBaseMs,
  };
}

function deliveries(q: URLSearchParams) {
  const match = (field: "provider" | "type" | "eventId" | "status", v: string) => !q.get(field) || q.get(field) === v;
  return state.deliveries.filter((d) => match("provider", d.provider) && match("type", d.type) && match("eventId", d.eventId) && match("status", d.status));
}

export async function webhookControl(req: Request, parts: string[], q: URLSearchParams, providers: Record<string, SimProvider>, env: SimEnv, ctx: ExecutionContext): Promise<Response> {
  const [area, name = "", action] = parts;
  if (area === "deliveries") {
    if (req.method === "GET" && parts.length === 1) return json({ data: deliveries(q) });
    if (req.method === "POST" && action === "resend") {
      const again = await resend(providers, name, env);
      return again ? json(again) : json({ error: `no delivery "${name}" whose endpoint still exists` }, 404);
    }
    return json({ error: `no control route ${req.method} /_control/${parts.join("/")}` }, 404);
  }
  if (area === "webhooks" && req.method === "GET" && !name) return json({ data: state.endpoints.map(endpointView) });
  const provider = Object.hasOwn(providers, name) ? providers[name]! : undefined;
  if (!provider?.webhooks || parts.length !== 2) return json({ error: `no simulated webhooks for "${name}"`, providers: Object.values(providers).filter((p) => p.webhooks).map((p) => p.name) }, 404);
  const route = `${req.method} ${area}`;
  if (route === "GET webhooks") return json({ data: state.endpoints.filter((e) => e.provider === name).map(endpointView) });
  if (route === "PUT webhooks") {
    const input = endpointInput(provider, await readJson(req));
    if (Array.isArray(input)) return json({ error: "invalid webhook endpoint", details: input }, 422);
    return json(endpointView(addEndpoint(input)));
  }
  if (route === "DELETE webhooks") {
    const body = await readJson(req);
    if (!body) return json({ provider: name, removed: removeEndpoints((e) => e.provider !== name) });
    const account = accountOf(provider, body);
    if (typeof account === "string") return json({ error: "invalid account", details: [account] }, 422);
    return json({ provider: name, removed: removeEndpoints((e) => !(e.provider === name && e.account === account.id)) });
  }
  if (route === "POST events") {
    const body = await readJson(req);
    const account = accountOf(provider, body);
    const errors = typeof account === "string" ? [account] : [];
    if (typeof body?.type !== "string" || !body.type) errors.push("type is required");
    if (!body?.object || typeof body.object !== "object" || Array.isArray(body.object)) errors.push("object: the event's data, a JSON object");
    if (errors.length || typeof account === "string") return json({ error: "invalid event", details: errors }, 422);
    const sent = dispatch(provider, account, [{ type: body!.type as string, object: body!.object as Body }], null, env);
    ctx.waitUntil(sent.done);
    return json({ provider: name, deliveries: sent.deliveries.map((d) => ({ id: d.id, eventId: d.eventId, url: d.url })) }, 202);
  }
  return json({ error: `no control route ${req.method} /_control/${parts.join("/")}` }, 404);
}
