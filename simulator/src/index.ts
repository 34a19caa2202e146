// The provider simulator: one Worker answering as each vendor in providers/ under /<provider>/…, plus a
// control API under /_control. Curbgate's development and tests point connections' settings.baseUrl
// here (e.g. http://127.0.0.1:8788/stripe) instead of at the vendors, which are unreachable from a
// laptop or a CI box. Stripe and IPS also send webhooks back on state changes (webhooks.ts). Adding a provider is a module in providers/ and a line in PROVIDERS.
import { control } from "./control";
import { injectFault, tokensExpired } from "./faults";
import { json, readBody } from "./http";
import { keyOf, runOnce } from "./idempotency";
import { aims } from "./providers/aims";
import { brevo } from "./providers/brevo";
import { docusign } from "./providers/docusign";
import { duncan } from "./providers/duncan";
import { gtcs } from "./providers/gtcs";
import { ips } from "./providers/ips";
import { mailchimp } from "./providers/mailchimp";
import { parkeon } from "./providers/parkeon";
import { paystack } from "./providers/paystack";
import { quickbooks } from "./providers/quickbooks";
import { sendgrid } from "./providers/sendgrid";
import { square } from "./providers/square";
import { stripe } from "./providers/stripe";
import { teller } from "./providers/teller";
import { twilio } from "./providers/twilio";
import { zoom } from "./providers/zoom";
import { observe, type ObservedCall } from "./state";
import type { Account, SimProvider, SimRequest } from "./types";
import { dispatch, type SimEnv } from "./webhooks";

const PROVIDERS: Record<string, SimProvider> = { stripe, twilio, ips, brevo, sendgrid, quickbooks, mailchimp, zoom, docusign };
Object.assign(PROVIDERS, { square, paystack, teller, aims, parkeon, gtcs, duncan });

async function serve(provider: SimProvider, req: Request, url: URL, path: string, env: SimEnv, ctx: ExecutionContext): Promise<Response> {
  const { text, fields } = await readBody(req);
  const r: SimRequest = { req, url, method: req.method, path, text, fields, events: [] };
  const base = {
    provider: provider.name, method: req.method, path, query: url.search,
    idempotencyKey: keyOf(provider, r),
  };
  const done = (response: Response, account: string | null, outcome: ObservedCall["outcome"]) => {
    observe({ ...base, account, status: response.status, outcome });
    return response;
  };

  // An outage answers before anything else: the request never reaches the provider's logic.
  const fault = await injectFault(provider);
  if (fault) return done(fault, null, "fault");
  if (provider.oauth?.handles(path)) return done(await provider.oauth.handle(r), null, "handled");
  let account: Account | null = null;
  if (!provider.isPublic?.(r)) {
    // OAuth providers expire their issued tokens instead (control.ts), so a refreshed token works.
    if (!provider.oauth && tokensExpired(provider.name)) return done(provider.error(401, "The credential has expired or was revoked", "expired"), null, "unauthorized");
    const auth = provider.authenticate(r);
    if (auth instanceof Response) return done(auth, null, "unauthorized");
    account = auth;
  }
  if (!account) return done(await provider.handle(r, null), null, "handled");
  const { response, outcome } = await runOnce(provider, account, r, () => provider.handle(r, account));
  // Only a write that ran raises events (a replay ran nothing); they are sent after the answer.
  if (r.events.length && response.ok) ctx.waitUntil(dispatch(provider, account, r.events, base.idempotencyKey, env).done);
  return done(response, account.id, outcome);
}

export default {
  async fetch(req: Request, env: SimEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(req.url);
    if (url.pathname === "/_control" || url.pathname.startsWith("/_control/")) return control(req, url, PROVIDERS, env, ctx);
    const [, name = "", ...rest] = url.pathname.split("/");
    const provider = Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name] : undefined;
    if (!provider) return json({ error: `no simulated provider "${name}"`, providers: Object.keys(PROVIDERS) }, 404);
    return serve(provider, req, url, `/${rest.join("/")}`, env, ctx);
  },
} satisfies ExportedHandler<SimEnv>;
