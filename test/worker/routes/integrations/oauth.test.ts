// OAuth 2 connections end to end against the simulator's OAuth servers: start -> authorize -> callback,
// the state's single use, expiry and binding, PKCE, scopes and tenants on every route, and token
// renewal: one renewal for 50 concurrent callers, refresh tokens kept or rotated as the vendor does,
// and a refused renewal that marks the connection for reconnecting. No token is ever shown or logged.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { refresherFor } from "../../../../src/sync/oauth/refresh";
import { forgetConnection } from "../../../../src/vault/connections";
import {
  INTEGRATIONS_READER,
  OTHER_INTEGRATIONS_ADMIN,
  call,
  expectNoSecret,
  expectProblem,
  json,
  logsDuring,
  seedIntegrationKeys,
} from "../../fixtures";
import {
  approveAt,
  appCreds,
  authorisedConnection,
  callback,
  direct,
  docusignConnection,
  oauthSettings,
  oauthStatus,
  setOAuth,
  startAuthorization,
} from "./oauth-fixtures";
import {
  clearFaults,
  connectTo,
  creds,
  resetSimulator,
  setFaults,
  settled,
  sim,
  simCalls,
  startSync,
  syncTenant,
} from "../../sync/fixtures";

const rawRow = (id: string) =>
  env.DB.prepare("SELECT * FROM integration_connections WHERE id = ?").bind(id).first<Record<string, unknown>>();
const listed = async (key: string) =>
  (
    await json<{ data: { id: string; provider: string; status: string; credentials: Record<string, string> }[] }>(
      await call("/v1/integrations/connections", { key }),
    )
  ).data;
const tokenCalls = async (provider: string, path: string) => (await simCalls(provider)).filter((c) => c.path === path);

/** Everything Curbgate wrote or answered about a tenant's connection, as text. */
async function everythingStored(tenantId: string) {
  const rows = await Promise.all(
    ["integration_connections", "integration_calls", "audit_log", "oauth_states", "sync_jobs"].map((t) =>
      env.DB.prepare(`SELECT * FROM ${t} WHERE tenant_id = ?`).bind(tenantId).all(),
    ),
  );
  return JSON.stringify(rows.map((r) => r.results));
}

beforeAll(async () => {
  await seedIntegrationKeys(env);
  await resetSimulator();
});
afterEach(async () => {
  await Promise.all(
    ["zoom", "quickbooks", "mailchimp"].map((p) =>
      setOAuth(p, {
        accessTokenTtlSeconds: p === "mailchimp" ? null : 3600,
        refresh: p === "zoom" ? "rotate" : p === "quickbooks" ? "reuse" : "omit",
        autoApprove: true,
      }),
    ),
  );
  await Promise.all(["zoom", "quickbooks", "mailchimp", "docusign"].map(clearFaults));
});

describe("POST /v1/integrations/oauth/{provider}/start -> authorize -> GET …/callback/{provider}", () => {
  it("happy: Zoom with PKCE: the tokens land in the vault, never in D1's plaintext, a response or a log line", async () => {
    const t = await syncTenant("oa");
    const app = appCreds.zoom();
    const conn = await connectTo(t.key, "zoom", app, oauthSettings("zoom"));
    expect((await listed(t.key)).find((c) => c.id === conn.id)?.status).toBe("authorization_required");

    let lines = "";
    let start!: Awaited<ReturnType<typeof startAuthorization>>;
    let res!: Response;
    lines += await logsDuring(async () => {
      start = await startAuthorization(t.key, "zoom");
      const url = new URL(start.authorizeUrl);
      expect(url.origin + url.pathname).toBe("http://simulator.curbgate.local/zoom/oauth/authorize");
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        response_type: "code",
        client_id: app.clientId,
        redirect_uri: "https://curbgate.test/v1/integrations/oauth/callback/zoom",
        scope: "meeting:write meeting:read user:read",
        state: start.state,
        code_challenge_method: "S256",
      });
      expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(start.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
      res = await callback(await approveAt(start.authorizeUrl));
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin/#/integrations?connected=zoom");

    // The state is stored only as its hash, the PKCE verifier only sealed.
    const state = await env.DB.prepare("SELECT * FROM oauth_states WHERE tenant_id = ?")
      .bind(t.id)
      .first<{ state: string; code_verifier: string; used_at: number | null; user_id: string }>();
    expect(state).toMatchObject({ user_id: `key:key_${t.key}` });
    expect(state!.state).not.toBe(start.state);
    expect(state!.code_verifier).toMatch(/^\d+:[A-Za-z0-9+/]+=*$/);
    expect(state!.used_at).not.toBeNull();

    forgetConnection(t.id, "zoom");
    const vault = (await (await import("../../../../src/vault/connections")).connectionFor(env, t.id, "zoom"))!;
    expect(vault.credentials).toMatchObject({
      ...app,
      accessToken: expect.stringMatching(/^at_/),
      refreshToken: expect.stringMatching(/^rt_/),
    });
    expect(Number(vault.credentials.expiresAt) - Date.now()).toBeGreaterThan(3500_000);

    const shown = await call("/v1/integrations/connections", { key: t.key });
    const text = await shown.text();
    const mine = (JSON.parse(text).data as any[]).find((c) => c.id === conn.id);
    expect(mine).toMatchObject({
      status: "connected",
      credentials: { clientId: app.clientId, accessToken: "••••", refreshToken: "••••", expiresAt: expect.any(String) },
    });
    const stored = (await everythingStored(t.id)) + JSON.stringify(await rawRow(conn.id));
    for (const secret of [vault.credentials.accessToken!, vault.credentials.refreshToken!, app.clientSecret, start.state]) {
      expectNoSecret(text, secret, "the connections list");
      expectNoSecret(stored, secret, "D1");
      expectNoSecret(lines, secret, "the logs");
    }
    // The exchange went through the call log, path only.
    const calls = await env.DB.prepare("SELECT path, status, job_id FROM integration_calls WHERE tenant_id = ?").bind(t.id).all();
    expect(calls.results).toEqual([{ path: "/zoom/oauth/token", status: 200, job_id: null }]);
    expect((await json(await call(`/v1/integrations/connections/${conn.id}/test`, { key: t.key, method: "POST" }))).ok).toBe(
      true,
    );
  });

  it("happy: QuickBooks (no PKCE) keeps the realmId of the callback; Mailchimp finds its data centre; JSON when asked", async () => {
    const t = await syncTenant("oq");
    await connectTo(t.key, "quickbooks", appCreds.quickbooks(), oauthSettings("quickbooks"));
    const start = await startAuthorization(t.key, "quickbooks");
    expect(new URL(start.authorizeUrl).searchParams.has("code_challenge")).toBe(false);
    const back = await approveAt(start.authorizeUrl);
    const res = await callback(back, { accept: "application/json" });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ connected: true, provider: "quickbooks", status: "connected" });
    forgetConnection(t.id, "quickbooks");
    const { connectionFor } = await import("../../../../src/vault/connections");
    expect((await connectionFor(env, t.id, "quickbooks"))!.credentials.realmId).toBe(back.searchParams.get("realmId"));

    const mc = await authorisedConnection(t, "mailchimp");
    const vault = await mc.vault();
    expect(vault).toMatchObject({ dc: "us21", accessToken: expect.any(String) });
    expect(vault.refreshToken).toBeUndefined();
    expect(vault.expiresAt).toBeUndefined(); // Mailchimp's tokens do not expire
    expect((await tokenCalls("mailchimp", "/oauth2/metadata")).length).toBeGreaterThan(0);
  });

  it("the simulator checks the PKCE verifier: a wrong or missing one is invalid_grant", async () => {
    const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; // RFC 7636 appendix B
    const code = async () => {
      const loc = await approveAt(
        `${"http://simulator.curbgate.local"}/zoom/oauth/authorize?response_type=code&client_id=pkcetest&redirect_uri=https://x.test/cb&code_challenge=${challenge}&code_challenge_method=S256&state=s`,
      );
      return loc.searchParams.get("code")!;
    };
    const exchange = async (verifier?: string) =>
      sim("/zoom/oauth/token", {
        method: "POST",
        headers: { authorization: `Basic ${btoa("pkcetest:pkce-secret")}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: await code(),
          redirect_uri: "https://x.test/cb",
          ...(verifier ? { code_verifier: verifier } : {}),
        }).toString(),
      });
    expect(await exchange("not-the-verifier")).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await exchange()).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await exchange("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toMatchObject({
      status: 200,
      body: { token_type: "Bearer" },
    });
  });

  it("error: a state works once; unknown, expired, missing and other-provider states are 400 problems", async () => {
    const t = await syncTenant("os");
    await connectTo(t.key, "zoom", appCreds.zoom(), oauthSettings("zoom"));
    const back = await approveAt((await startAuthorization(t.key, "zoom")).authorizeUrl);
    expect((await callback(back)).status).toBe(302);
    expect((await expectProblem(await callback(back), 400)).detail).toMatch(/already been used/);

    const reqs: [string, RegExp][] = [
      [`/v1/integrations/oauth/callback/zoom?code=x&state=${"A".repeat(43)}`, /Unknown OAuth state/],
      ["/v1/integrations/oauth/callback/zoom?code=x", /no state/],
    ];
    for (const [path, detail] of reqs) expect((await expectProblem(await call(path, { key: null }), 400)).detail).toMatch(detail);

    const other = await approveAt((await startAuthorization(t.key, "zoom")).authorizeUrl);
    const wrongProvider = new URL(other);
    wrongProvider.pathname = "/v1/integrations/oauth/callback/quickbooks";
    expect((await expectProblem(await callback(wrongProvider), 400)).detail).toMatch(/another provider/);

    await env.DB.prepare("UPDATE oauth_states SET created_at = created_at - 11 * 60000 WHERE tenant_id = ? AND used_at IS NULL")
      .bind(t.id)
      .run();
    expect((await expectProblem(await callback(other), 400)).detail).toMatch(/expired/);
  });

  it("error: the person declined at the vendor: 400, and the state is spent", async () => {
    const t = await syncTenant("od");
    await connectTo(t.key, "zoom", appCreds.zoom(), oauthSettings("zoom"));
    const start = await startAuthorization(t.key, "zoom");
    const declined = await approveAt(`${start.authorizeUrl}&decision=deny`);
    expect(declined.searchParams.get("error")).toBe("access_denied");
    expect((await expectProblem(await callback(declined), 400)).detail).toMatch(/did not authorise/);
    expect((await expectProblem(await callback(declined), 400)).detail).toMatch(/already been used/);
    expect((await listed(t.key))[0]!.status).toBe("authorization_required");
  });

  it("security: another tenant's (or another credential's) state is refused and not spent; only the state's own tenant is changed", async () => {
    const t = await syncTenant("ox");
    const conn = await connectTo(t.key, "zoom", appCreds.zoom(), oauthSettings("zoom"));
    const back = await approveAt((await startAuthorization(t.key, "zoom")).authorizeUrl);
    expect(
      (await expectProblem(await callback(back, { accept: "application/json", key: OTHER_INTEGRATIONS_ADMIN }), 400)).detail,
    ).toMatch(/not issued to you/);
    const sibling = await syncTenant("oy");
    expect((await callback(back, { accept: "application/json", key: sibling.key })).status).toBe(400);
    expect((await listed(OTHER_INTEGRATIONS_ADMIN)).some((c) => c.id === conn.id)).toBe(false);
    const ok = await callback(back, { accept: "application/json", key: t.key });
    expect(await json(ok)).toMatchObject({ connectionId: conn.id, status: "connected" });
    expect((await listed(OTHER_INTEGRATIONS_ADMIN)).find((c) => c.provider === "zoom")?.status).not.toBe("connected");
  });

  it("security and errors of the start route: credential, scope, provider, connection", async () => {
    const t = await syncTenant("ot");
    expect((await call("/v1/integrations/oauth/zoom/start", { key: null, method: "POST" })).status).toBe(401);
    await expectProblem(await call("/v1/integrations/oauth/zoom/start", { key: INTEGRATIONS_READER, method: "POST" }), 403);
    await expectProblem(await call("/v1/integrations/oauth/nosuch/start", { key: t.key, method: "POST" }), 404);
    await expectProblem(await call("/v1/integrations/oauth/stripe/start", { key: t.key, method: "POST" }), 404);
    expect(
      (await expectProblem(await call("/v1/integrations/oauth/docusign/start", { key: t.key, method: "POST" }), 409)).detail,
    ).toMatch(/JWT bearer grant/);
    expect(
      (await expectProblem(await call("/v1/integrations/oauth/zoom/start", { key: t.key, method: "POST" }), 409)).detail,
    ).toMatch(/Connect zoom first/);
    await connectTo(t.key, "mailchimp", { apiKey: `${"a".repeat(32)}-us21`, webhookSecret: "mc_wh_secret_value" });
    expect(
      (await expectProblem(await call("/v1/integrations/oauth/mailchimp/start", { key: t.key, method: "POST" }), 409)).detail,
    ).toMatch(/no OAuth client/);
    // Another tenant's start uses its own connection only.
    await connectTo(t.key, "quickbooks", appCreds.quickbooks(), oauthSettings("quickbooks"));
    expect(
      (await call("/v1/integrations/oauth/quickbooks/start", { key: OTHER_INTEGRATIONS_ADMIN, method: "POST" })).status,
    ).toBe(409);
  });
});

describe("POST /v1/integrations/connections/{id}/reconnect", () => {
  it("happy: OAuth gives a new authorize URL; API-key and JWT providers are tested again", async () => {
    const t = await syncTenant("or");
    const zoom = await authorisedConnection(t, "zoom");
    const again = await json(await call(`/v1/integrations/connections/${zoom.id}/reconnect`, { key: t.key, method: "POST" }));
    expect(again).toMatchObject({
      connectionId: zoom.id,
      action: "authorize",
      status: "connected",
      test: null,
      authorization: { authorizeUrl: expect.stringContaining("/zoom/oauth/authorize") },
    });
    expect((await callback(await approveAt(again.authorization.authorizeUrl), { accept: "application/json" })).status).toBe(200);

    const stripe = await connectTo(t.key, "stripe", creds.stripe());
    expect(
      await json(await call(`/v1/integrations/connections/${stripe.id}/reconnect`, { key: t.key, method: "POST" })),
    ).toMatchObject({ action: "tested", status: "connected", test: { ok: true } });
    const ds = await docusignConnection(t);
    expect(
      await json(await call(`/v1/integrations/connections/${ds.id}/reconnect`, { key: t.key, method: "POST" })),
    ).toMatchObject({ action: "tested", status: "connected", test: { ok: true, detail: { accountName: expect.any(String) } } });
  });

  it("security: 401 without a credential, 403 without integrations:write, 404 for another tenant's connection", async () => {
    const t = await syncTenant("os2");
    const conn = await connectTo(t.key, "zoom", appCreds.zoom(), oauthSettings("zoom"));
    expect((await call(`/v1/integrations/connections/${conn.id}/reconnect`, { key: null, method: "POST" })).status).toBe(401);
    await expectProblem(
      await call(`/v1/integrations/connections/${conn.id}/reconnect`, { key: INTEGRATIONS_READER, method: "POST" }),
      403,
    );
    await expectProblem(
      await call(`/v1/integrations/connections/${conn.id}/reconnect`, { key: OTHER_INTEGRATIONS_ADMIN, method: "POST" }),
      404,
    );
    await expectProblem(
      await call(`/v1/integrations/connections/con_${"x".repeat(20)}/reconnect`, { key: t.key, method: "POST" }),
      404,
    );
  });
});

describe("token renewal", () => {
  it("50 concurrent calls with an expired token cause exactly one refresh, and all 50 succeed", async () => {
    const t = await syncTenant("rr");
    await setOAuth("zoom", { accessTokenTtlSeconds: 1 });
    const conn = await authorisedConnection(t, "zoom");
    const before = await oauthStatus("zoom");
    await new Promise((r) => setTimeout(r, 1200));
    await setOAuth("zoom", { accessTokenTtlSeconds: 3600 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => direct(`/v1/integrations/connections/${conn.id}/test`, t.key)),
    );
    expect(results.map((r) => r.body.ok)).toEqual(Array(50).fill(true));
    expect((await oauthStatus("zoom")).counts.refresh_token - before.counts.refresh_token).toBe(1);
    expect(await refresherFor(env, t.id, conn.id).stats()).toMatchObject({ refreshes: 1, failures: 0 });
  });

  it("50 concurrent calls whose token the provider calls expired (the expireTokens fault) cause exactly one refresh", async () => {
    const t = await syncTenant("rx");
    const conn = await authorisedConnection(t, "zoom");
    const before = (await oauthStatus("zoom")).counts.refresh_token;
    await setFaults("zoom", { expireTokens: true });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => direct(`/v1/integrations/connections/${conn.id}/test`, t.key)),
    );
    expect(results.filter((r) => r.body.ok).length).toBe(50);
    expect((await oauthStatus("zoom")).counts.refresh_token - before).toBe(1);
    const rejected = (await simCalls("zoom")).filter((c) => c.path === "/v2/users/me" && c.status === 401);
    expect(rejected.length).toBeGreaterThanOrEqual(1);
  });

  it("a provider that omits a new refresh token keeps the old one; a rotating one replaces it", async () => {
    const t = await syncTenant("ro");
    await setOAuth("quickbooks", { accessTokenTtlSeconds: 1, refresh: "omit" });
    const qbo = await authorisedConnection(t, "quickbooks");
    const first = await qbo.vault();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await json(await call(`/v1/integrations/connections/${qbo.id}/test`, { key: t.key, method: "POST" }))).ok).toBe(true);
    forgetConnection(t.id, "quickbooks");
    const second = await qbo.vault();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBe(first.refreshToken);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await json(await call(`/v1/integrations/connections/${qbo.id}/test`, { key: t.key, method: "POST" }))).ok).toBe(true); // the kept one still works

    await setOAuth("zoom", { accessTokenTtlSeconds: 1 });
    const zoom = await authorisedConnection(t, "zoom");
    const z1 = await zoom.vault();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await json(await call(`/v1/integrations/connections/${zoom.id}/test`, { key: t.key, method: "POST" }))).ok).toBe(
      true,
    );
    forgetConnection(t.id, "zoom");
    expect((await zoom.vault()).refreshToken).not.toBe(z1.refreshToken);
  });

  it("invalid_grant marks the connection needs_reconnect: jobs fail as auth errors, sync is refused, reconnect restores it", async () => {
    const t = await syncTenant("ri");
    const conn = await authorisedConnection(t, "zoom");
    await sim("/_control/oauth/zoom/revoke", { method: "POST" });
    const job = await settled(t.key, "zoom", (await startSync(t.key, "zoom", { entity: "meetings", direction: "pull" })).id);
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job.lastError).toMatch(/invalid_grant.*needs reconnecting/);
    expect((await listed(t.key)).find((c) => c.id === conn.id)?.status).toBe("needs_reconnect");
    expect(
      (
        await expectProblem(
          await call("/v1/integrations/zoom/sync", { key: t.key, body: { entity: "meetings", direction: "pull" } }),
          409,
        )
      ).detail,
    ).toMatch(/reconnect/);
    const audit = await env.DB.prepare(
      "SELECT actor, detail FROM audit_log WHERE tenant_id = ? AND action = 'integration.needs_reconnect'",
    )
      .bind(t.id)
      .first<{ actor: string; detail: string }>();
    expect(audit).toMatchObject({ actor: "system:token-refresher" });

    const again = await json(await call(`/v1/integrations/connections/${conn.id}/reconnect`, { key: t.key, method: "POST" }));
    expect((await callback(await approveAt(again.authorization.authorizeUrl), { accept: "application/json" })).status).toBe(200);
    expect((await listed(t.key)).find((c) => c.id === conn.id)?.status).toBe("connected");
    expect(
      (await settled(t.key, "zoom", (await startSync(t.key, "zoom", { entity: "meetings", direction: "pull" })).id)).status,
    ).toBe("succeeded");
  });

  it("connecting again with the same OAuth client keeps the tokens; another client drops them", async () => {
    const t = await syncTenant("rc");
    const conn = await authorisedConnection(t, "zoom");
    const held = await conn.vault();
    await connectTo(t.key, "zoom", { ...conn.creds, webhookSecretToken: "zm_wh_rotated_secret" }, oauthSettings("zoom"));
    forgetConnection(t.id, "zoom");
    expect(await conn.vault()).toMatchObject({ accessToken: held.accessToken, webhookSecretToken: "zm_wh_rotated_secret" });
    await connectTo(t.key, "zoom", appCreds.zoom(), oauthSettings("zoom"));
    forgetConnection(t.id, "zoom");
    expect((await conn.vault()).accessToken).toBeUndefined();
    expect((await listed(t.key))[0]!.status).toBe("authorization_required");
  });

  it("DocuSign's JWT grant: a token on first use, consent missing -> needs_reconnect, reconnect after consent works", async () => {
    const t = await syncTenant("rj");
    const ds = await docusignConnection(t, { register: false });
    const test = await json(await call(`/v1/integrations/connections/${ds.id}/test`, { key: t.key, method: "POST" }));
    expect(test).toMatchObject({ ok: false, error: { kind: "auth", message: expect.stringContaining("consent_required") } });
    expect((await listed(t.key)).find((c) => c.id === ds.id)?.status).toBe("needs_reconnect");
    await sim("/_control/oauth/docusign/clients", {
      method: "POST",
      body: { clientId: ds.creds.integrationKey, publicKey: ds.keys.publicKey },
    });
    const again = await json(await call(`/v1/integrations/connections/${ds.id}/reconnect`, { key: t.key, method: "POST" }));
    expect(again).toMatchObject({ action: "tested", status: "connected", test: { ok: true } });
    expect((await tokenCalls("docusign", "/oauth/token")).some((c) => c.status === 200)).toBe(true);
  });
});
