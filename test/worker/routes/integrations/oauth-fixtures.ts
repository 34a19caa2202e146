// Helpers for the OAuth tests: app credentials per vendor, connections pointed at the simulator's API
// and OAuth server, and the browser's round trip (start -> simulator authorize -> callback).
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../../src";
import { connectionFor } from "../../../../src/vault/connections";
import { call, json, uniq } from "../../fixtures";
import { SIM, connectTo, sim } from "../../sync/fixtures";

export const appCreds = {
  quickbooks: () => ({
    clientId: `ABqbo${uniq(16)}`,
    clientSecret: `qbo_secret_${uniq(24)}`,
    verifierToken: `qbo_vt_${uniq(16)}`,
  }),
  mailchimp: () => ({ clientId: `${uniq(12)}`, clientSecret: `mc_secret_${uniq(28)}`, webhookSecret: `mc_wh_${uniq(16)}` }),
  zoom: () => ({
    accountId: `acc_${uniq(8)}`,
    clientId: `zm${uniq(16)}`,
    clientSecret: `zm_secret_${uniq(24)}`,
    webhookSecretToken: `zm_wh_${uniq(16)}`,
  }),
};
export type BrowserProvider = keyof typeof appCreds;

export const oauthSettings = (provider: string, extra: Record<string, unknown> = {}) => ({
  oauthBaseUrl: `${SIM}/${provider}`,
  ...extra,
});

export type Authorization = { authorizeUrl: string; state: string; expiresAt: string };

export async function startAuthorization(key: string, provider: string): Promise<Authorization> {
  const res = await call(`/v1/integrations/oauth/${provider}/start`, { key, method: "POST" });
  if (res.status !== 200) throw new Error(`start ${provider}: ${res.status} ${await res.text()}`);
  return json<Authorization>(res);
}

/** What the browser does at the vendor: the simulator's authorize endpoint answers with a redirect to our callback. */
export async function approveAt(authorizeUrl: string): Promise<URL> {
  const res = await env.SIMULATOR!.fetch(new Request(authorizeUrl, { redirect: "manual" }));
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`authorize: ${res.status} ${await res.text()}`);
  return new URL(location);
}

/**
 * The browser arriving back at Curbgate (no credential unless one is given); worker.fetch directly, so a redirect is seen, not
 * followed.
 */
export async function callback(url: URL, opts: { accept?: string; key?: string } = {}) {
  const headers: Record<string, string> = opts.accept ? { accept: opts.accept } : {};
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://curbgate.test${url.pathname}${url.search}`, { headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A connection that has been through the whole flow; returns its id and the credentials now in the vault. */
export async function authorisedConnection(
  tenant: { id: string; key: string },
  provider: BrowserProvider,
  settings: Record<string, unknown> = {},
) {
  const creds = appCreds[provider]();
  const conn = await connectTo(tenant.key, provider, creds, oauthSettings(provider, settings));
  const back = await approveAt((await startAuthorization(tenant.key, provider)).authorizeUrl);
  const res = await callback(back, { accept: "application/json" });
  if (res.status !== 200) throw new Error(`callback ${provider}: ${res.status} ${await res.text()}`);
  return { id: conn.id, creds, vault: async () => (await connectionFor(env, tenant.id, provider))!.credentials };
}

export const oauthStatus = async (provider: string) =>
  (
    await sim<{
      counts: { authorization_code: number; refresh_token: number; jwt_bearer: number; refused: number };
      liveAccessTokens: number;
      refreshTokens: number;
    }>(`/_control/oauth/${provider}`)
  ).body;
export const setOAuth = (provider: string, knobs: Record<string, unknown>) =>
  sim(`/_control/oauth/${provider}`, { method: "PUT", body: knobs });

/** worker.fetch directly (no loopback), for many concurrent requests. */
export async function direct(path: string, key: string, method = "POST") {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://curbgate.test${path}`, { method, headers: { authorization: `Bearer ${key}` } }),
    env,
    ctx,
  );
  const body = await res.json();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: body as any };
}

/** An RSA key pair for DocuSign's JWT grant: the private key as PKCS#8 PEM for the vault, the public one for the simulator. */
export async function rsaKeyPair() {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const pem = (label: string, der: ArrayBuffer) =>
    `-----BEGIN ${label}-----\n${btoa(String.fromCharCode(...new Uint8Array(der)))
      .match(/.{1,64}/g)!
      .join("\n")}\n-----END ${label}-----\n`;
  return {
    privateKey: pem("PRIVATE KEY", (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer),
    publicKey: pem("PUBLIC KEY", (await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer),
  };
}

export async function docusignConnection(tenant: { id: string; key: string }, opts: { register?: boolean } = {}) {
  const keys = await rsaKeyPair();
  const creds = {
    integrationKey: crypto.randomUUID(),
    userId: crypto.randomUUID(),
    accountId: crypto.randomUUID(),
    privateKey: keys.privateKey,
    hmacKey: `ds_hmac_${uniq(20)}`,
  };
  if (opts.register !== false)
    await sim("/_control/oauth/docusign/clients", {
      method: "POST",
      body: { clientId: creds.integrationKey, publicKey: keys.publicKey },
    });
  const conn = await connectTo(tenant.key, "docusign", creds, oauthSettings("docusign"));
  return { id: conn.id, creds, keys };
}
