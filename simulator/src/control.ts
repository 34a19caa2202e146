// The control API, for developers and tests: break a provider on purpose, watch what reached it,
// check that every idempotency key's side effect happened once, start over.
//   GET    /_control                       this list
//   GET    /_control/faults                every provider's faults
//   PUT    /_control/faults/{provider}     set (replace) a provider's faults
//   DELETE /_control/faults/{provider}     clear them
//   GET    /_control/calls?provider=&after=&idempotencyKey=&limit=   observed calls, oldest first
//   GET    /_control/effects?provider=&idempotencyKey=                side effects of writes
//   POST   /_control/reset?provider=      forget faults, calls, keys and data (one provider or all)
//   GET    /_control/oauth/{provider}      token lifetimes and refresh behaviour, grants counted by type
//   PUT    /_control/oauth/{provider}      change them: {accessTokenTtlSeconds?, refresh?, autoApprove?}
//   POST   /_control/oauth/{provider}/clients   register {clientId, clientSecret?, publicKey?} (JWT grant keys)
//   POST   /_control/oauth/{provider}/revoke    every token dies, as when the person disconnects the app
//   POST   /_control/payments/{provider}/{reference}   {outcome: "success"|"failed"}: the payer finished at checkout
//   …/webhooks, …/events, …/deliveries           webhooks sent back (webhook-control.ts)
import { parseFaults } from "./faults";
import { json } from "./http";
import { resetState, state } from "./state";
import type { SimProvider } from "./types";
import type { OAuthKnobs } from "./oauth";
import { webhookControl } from "./webhook-control";
import type { SimEnv } from "./webhooks";

function parseKnobs(body: unknown): Partial<OAuthKnobs> | string {
  if (!body || typeof body !== "object" || Array.isArray(body)) return "body must be a JSON object";
  const out: Partial<OAuthKnobs> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === "accessTokenTtlSeconds" && (v === null || (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 86_400))) out.accessTokenTtlSeconds = v as number | null;
    else if (k === "refresh" && (v === "rotate" || v === "reuse" || v === "omit")) out.refresh = v;
    else if (k === "autoApprove" && typeof v === "boolean") out.autoApprove = v;
    else return `${k}: unknown or out of range`;
  }
  return out;
}

async function oauthControl(req: Request, parts: string[], providers: Record<string, SimProvider>): Promise<Response> {
  const name = parts[1] ?? "";
  const server = Object.hasOwn(providers, name) ? providers[name]!.oauth : undefined;
  if (!server) return json({ error: `no simulated OAuth provider "${name}"` }, 404);
  const action = `${req.method} ${parts[2] ?? ""}`;
  if (action === "GET ") return json({ provider: name, ...server.status() });
  if (action === "PUT ") {
    const knobs = parseKnobs(await req.json().catch(() => null));
    if (typeof knobs === "string") return json({ error: "invalid settings", details: [knobs] }, 422);
    server.knobs = { ...server.knobs, ...knobs };
    return json({ provider: name, ...server.status() });
  }
  if (action === "POST clients") {
    const b = (await req.json().catch(() => null)) as { clientId?: unknown; clientSecret?: unknown; publicKey?: unknown } | null;
    if (!b || typeof b.clientId !== "string") return json({ error: "clientId is required" }, 422);
    server.register(b.clientId, { ...(typeof b.clientSecret === "string" ? { secret: b.clientSecret } : {}), ...(typeof b.publicKey === "string" ? { publicKey: b.publicKey } : {}) });
    return json({ provider: name, clientId: b.clientId });
  }
  if (action === "POST revoke") {
    server.revokeAll();
    return json({ provider: name, ...server.status() });
  }
  return json({ error: `no control route ${req.method} /_control/${parts.join("/")}` }, 404);
}

const HELP = {
  simulator: "Curbgate provider simulator",
  providers: "/{provider}/… speaks the provider's API; see docs/integrations.md",
  control: ["GET|PUT /_control/oauth/{provider}", "POST /_control/oauth/{provider}/clients", "POST /_control/oauth/{provider}/revoke", "GET /_control/faults", "PUT /_control/faults/{provider}", "DELETE /_control/faults/{provider}", "GET /_control/calls", "GET /_control/effects", "POST /_control/reset", "POST /_control/payments/{provider}/{reference}",
    "GET /_control/webhooks[/{provider}]", "PUT|DELETE /_control/webhooks/{provider}", "POST /_control/events/{provider}", "GET /_control/deliveries", "POST /_control/deliveries/{id}/resend"],
  faults: { latencyMs: "0..30000", status: "400..599 (default 500)", retryAfterSeconds: "Retry-After on failures", failNext: "fail the next n requests", failRate: "0..1", timeout: "hold requests past the caller's timeout", expireTokens: "401 for every credential; OAuth providers: every access token issued so far expires" },
  oauth: { accessTokenTtlSeconds: "1..86400, or null for tokens that never expire", refresh: "rotate | reuse | omit", autoApprove: "false shows a consent page" },
};

const filterBy = (q: URLSearchParams) => (x: { provider: string; idempotencyKey: string | null }) =>
  (!q.get("provider") || x.provider === q.get("provider")) && (!q.get("idempotencyKey") || x.idempotencyKey === q.get("idempotencyKey"));

export async function control(req: Request, url: URL, providers: Record<string, SimProvider>, env: SimEnv, ctx: ExecutionContext): Promise<Response> {
  const parts = url.pathname.split("/").filter(Boolean).slice(1); // after "_control"
  const q = url.searchParams;
  const route = `${req.method} ${parts[0] ?? ""}`;

  if (route === "GET ") return json(HELP);
  if (route === "GET faults" && parts.length === 1) return json({ faults: Object.fromEntries(state.faults) });
  if (parts[0] === "faults" && parts.length === 2) {
    const name = parts[1]!;
    if (!Object.hasOwn(providers, name)) return json({ error: `no simulated provider "${name}"` }, 404);
    if (req.method === "DELETE") {
      state.faults.delete(name);
      return json({ provider: name, faults: null });
    }
    if (req.method === "PUT" || req.method === "POST") {
      const parsed = parseFaults(await req.json().catch(() => null));
      if (!parsed.ok) return json({ error: "invalid faults", details: parsed.errors }, 422);
      state.faults.set(name, parsed.faults);
      if (parsed.faults.expireTokens) providers[name]!.oauth?.expireAll();
      return json({ provider: name, faults: parsed.faults });
    }
  }
  if (parts[0] === "oauth") return oauthControl(req, parts, providers);
  if (parts[0] === "payments" && parts.length === 3 && req.method === "POST") {
    const provider = Object.hasOwn(providers, parts[1]!) ? providers[parts[1]!] : undefined;
    if (!provider?.settle) return json({ error: `no simulated checkout for "${parts[1]}"` }, 404);
    const body = (await req.json().catch(() => ({}))) as { outcome?: unknown };
    const outcome = body.outcome ?? "success";
    if (outcome !== "success" && outcome !== "failed") return json({ error: "outcome: success or failed" }, 422);
    const reference = decodeURIComponent(parts[2]!);
    return provider.settle(reference, outcome) ? json({ provider: provider.name, reference, outcome }) : json({ error: `no unfinished payment "${reference}"` }, 404);
  }
  if (parts[0] === "webhooks" || parts[0] === "events" || parts[0] === "deliveries") return webhookControl(req, parts, q, providers, env, ctx);
  if (route === "GET calls") {
    const after = Number(q.get("after") ?? 0) || 0;
    const limit = Math.min(10_000, Number(q.get("limit") ?? 1000) || 1000);
    const data = state.calls.filter((c) => c.seq > after && filterBy(q)(c)).slice(0, limit);
    return json({ data, lastSeq: state.seq });
  }
  if (route === "GET effects") return json({ data: state.effects.filter(filterBy(q)) });
  if (route === "POST reset") {
    const name = q.get("provider") ?? undefined;
    if (name && !Object.hasOwn(providers, name)) return json({ error: `no simulated provider "${name}"` }, 404);
    resetState(name);
    for (const p of Object.values(providers)) if (!name || p.name === name) {
      p.reset();
      p.oauth?.reset();
    }
    return json({ reset: name ?? "all", lastSeq: state.seq });
  }
  return json({ error: `no control route ${req.method} ${url.pathname}` }, 404);
}
