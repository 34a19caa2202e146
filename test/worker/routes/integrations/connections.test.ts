// The integrations hub's first routes: the provider catalogue, connecting a provider (credentials sealed
// by the vault, shown only masked), listing and disconnecting; and connectionFor, the webhook hot path's
// lookup. Nothing crosses tenants, and no secret reaches D1, a response, the audit log or a log line.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Bindings } from "../../../../src/env";
import worker from "../../../../src";
import { VENDORS } from "../../../../src/vendors";
import { connectionFor, forgetConnection } from "../../../../src/vault/connections";
import { statusOf } from "../../../../src/http/errors";
import type { Failure } from "../../../../src/lib/failure";
import {
  DEMO_ADMIN,
  INTEGRATIONS_READER,
  NO_SCOPES,
  OFFICER,
  OTHER_INTEGRATIONS_ADMIN,
  OTHER_TENANT_ADMIN,
  PLATFORM_ADMIN,
  call,
  expectNoSecret,
  expectProblem,
  json,
  logsDuring,
  seedIntegrationKeys,
  signStaffJwt,
  uniq,
} from "../../fixtures";

type Connection = {
  id: string;
  provider: string;
  status: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
  keyVersion: number;
  createdAt: string;
  updatedAt: string;
  replaced?: boolean;
};
type ProviderView = {
  id: string;
  name: string;
  category: string;
  auth: string;
  webhookSetup: string | null;
  webhookUrl: string;
  legacyWebhookUrl: string | null;
  credentialFields: { name: string; label: string; secret: boolean; required: boolean }[];
};

const ADMIN = PLATFORM_ADMIN; // demo tenant, every scope
const providers = (key: string | null = ADMIN) => call("/v1/integrations/providers", { key });
const list = (key: string | null = ADMIN) => call("/v1/integrations/connections", { key });
const connectRaw = (body: unknown, key: string | null = ADMIN) => call("/v1/integrations/connections", { key, body });
const disconnect = (id: string, key: string | null = ADMIN) =>
  call(`/v1/integrations/connections/${id}`, { key, method: "DELETE" });
const listed = async (key: string = ADMIN) => (await json<{ data: Connection[] }>(await list(key))).data;

const stripeCreds = () => ({ secretKey: `sk_live_${uniq(24)}A1b2`, webhookSecret: `whsec_${uniq(32)}` });
const twilioCreds = () => ({ accountSid: `AC${uniq(32).toLowerCase()}`, authToken: uniq(32).toLowerCase() });

async function connected(
  body: { provider: string; credentials: Record<string, string>; settings?: Record<string, unknown> },
  key = ADMIN,
) {
  const res = await connectRaw(body, key);
  if (res.status !== 201 && res.status !== 200) throw new Error(`connect failed: ${res.status} ${await res.text()}`);
  return json<Connection>(res);
}

const rawRow = (id: string) =>
  env.DB.prepare("SELECT * FROM integration_connections WHERE id = ?").bind(id).first<Record<string, unknown>>();

async function auditFor(res: Response) {
  const requestId = res.headers.get("x-request-id")!;
  for (let i = 0; i < 50; i++) {
    const row = await env.DB.prepare("SELECT * FROM audit_log WHERE request_id = ?")
      .bind(requestId)
      .first<{ action: string; tenant_id: string; target: string; detail: string }>();
    if (row) return row;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no audit entry for request ${requestId}`);
}

beforeAll(() => seedIntegrationKeys(env));
// Each test starts from demo without Stripe or Twilio connected, so "new" really is new.
afterEach(async () => {
  await env.DB.prepare("DELETE FROM integration_connections WHERE provider IN ('stripe', 'twilio', 'zoom')").run();
  for (const t of ["demo", "other"]) for (const p of ["stripe", "twilio", "zoom"]) forgetConnection(t, p);
});

describe("GET /v1/integrations/providers", () => {
  it("happy: lists every provider with its credential fields and the webhook URLs of the caller's tenant", async () => {
    const res = await providers();
    expect(res.status).toBe(200);
    const { data } = await json<{ data: ProviderView[] }>(res);
    expect(data.map((p) => p.id)).toEqual(Object.keys(VENDORS).sort());
    const stripe = data.find((p) => p.id === "stripe")!;
    expect(stripe).toMatchObject({
      name: "Stripe",
      category: "payments",
      auth: "api_key",
      webhookUrl: "https://curbgate.test/v1/webhooks/demo/stripe",
      legacyWebhookUrl: "https://curbgate.test/api/webhooks/stripe", // demo is the default tenant
    });
    expect(stripe.webhookSetup).toContain("Stripe Dashboard");
    expect(stripe.credentialFields).toEqual([
      { name: "secretKey", label: expect.any(String), secret: true, required: true },
      { name: "webhookSecret", label: expect.any(String), secret: true, required: true },
      { name: "previousWebhookSecret", label: expect.any(String), secret: true, required: false },
    ]);
    const twilio = data.find((p) => p.id === "twilio")!;
    expect(twilio.credentialFields.find((f) => f.name === "accountSid")).toMatchObject({ secret: false, required: true });
    expect(data.find((p) => p.id === "square")!.auth).toBe("oauth2");
  });

  it("happy: another tenant gets its own URL and no legacy one; a reader may list", async () => {
    const { data } = await json<{ data: ProviderView[] }>(await providers(OTHER_INTEGRATIONS_ADMIN));
    expect(data.find((p) => p.id === "paystack")).toMatchObject({
      webhookUrl: "https://curbgate.test/v1/webhooks/other/paystack",
      legacyWebhookUrl: null,
    });
    expect((await providers(INTEGRATIONS_READER)).status).toBe(200);
  });

  it("security: 401 without a credential, 403 without integrations:read", async () => {
    await expectProblem(await providers(null), 401);
    for (const key of [NO_SCOPES, OFFICER, DEMO_ADMIN])
      expect((await expectProblem(await providers(key), 403)).detail).toContain("integrations:read");
  });
});

describe("POST /v1/integrations/connections", () => {
  it("happy: connects, answers 201 with masked credentials, and stores only ciphertext", async () => {
    const credentials = stripeCreds();
    const res = await connectRaw({ provider: "stripe", credentials, settings: { accountCountry: "US" } });
    expect(res.status).toBe(201);
    const text = await res.text();
    for (const secret of Object.values(credentials)) expectNoSecret(text, secret, "the response");
    const body = JSON.parse(text) as Connection;
    expect(body).toMatchObject({
      provider: "stripe",
      status: "connected",
      replaced: false,
      keyVersion: 1,
      settings: { accountCountry: "US" },
      credentials: { secretKey: "sk_…A1b2", webhookSecret: `…${credentials.webhookSecret.slice(-4)}` },
    });
    expect(body.id).toMatch(/^con_[A-Za-z0-9]{20}$/);
    expect(Date.parse(body.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const row = (await rawRow(body.id))!;
    expect(row).toMatchObject({ tenant_id: "demo", provider: "stripe", key_version: 1 });
    for (const secret of Object.values(credentials)) expectNoSecret(JSON.stringify(row), secret, "the D1 row");
    expect(await connectionFor(env, "demo", "stripe")).toEqual({
      id: body.id,
      provider: "stripe",
      status: "connected",
      credentials,
      settings: { accountCountry: "US" },
    });
  });

  it("happy: connecting again replaces the credentials (200, same id, replaced: true) and the hot path sees them", async () => {
    const first = await connected({ provider: "stripe", credentials: stripeCreds() });
    expect((await connectionFor(env, "demo", "stripe"))!.id).toBe(first.id); // now cached
    const credentials = { ...stripeCreds(), previousWebhookSecret: `whsec_${uniq(32)}` };
    const res = await connectRaw({ provider: "stripe", credentials });
    expect(res.status).toBe(200);
    const second = await json<Connection>(res);
    expect(second).toMatchObject({ id: first.id, replaced: true, settings: {} });
    expect(Object.keys(second.credentials).sort()).toEqual(["previousWebhookSecret", "secretKey", "webhookSecret"]);
    expect((await connectionFor(env, "demo", "stripe"))!.credentials).toEqual(credentials);
    expect((await listed()).filter((c) => c.provider === "stripe")).toHaveLength(1);
  });

  it("happy: non-secret fields are shown as given, secret ones masked", async () => {
    const credentials = { ...twilioCreds(), fromNumber: "+18605551234" };
    const body = await connected({ provider: "twilio", credentials });
    expect(body.credentials).toEqual({
      accountSid: credentials.accountSid,
      authToken: `…${credentials.authToken.slice(-4)}`,
      fromNumber: "+18605551234",
    });
  });

  it("writes an audit entry with field names only, and logs no secret", async () => {
    const credentials = stripeCreds();
    let res!: Response;
    const logs = await logsDuring(async () => {
      res = await connectRaw({ provider: "stripe", credentials });
      await connectionFor(env, "demo", "stripe");
    });
    const entry = await auditFor(res);
    const body = await json<Connection>(res);
    expect(entry).toMatchObject({ action: "integration.connect", tenant_id: "demo", target: body.id });
    expect(JSON.parse(entry.detail)).toEqual({
      provider: "stripe",
      replaced: false,
      fields: ["secretKey", "webhookSecret"],
      keyVersion: 1,
    });
    for (const secret of Object.values(credentials)) {
      expectNoSecret(entry.detail, secret, "the audit log");
      expectNoSecret(logs, secret, "the logs");
    }
  });

  it("error: 422 for an unknown provider, with path provider", async () => {
    for (const provider of ["nope", "__proto__", "constructor", "STRIPE"]) {
      const body = await expectProblem(await connectRaw({ provider, credentials: { apiKey: "x".repeat(20) } }), 422);
      expect(body.errors, provider).toEqual([expect.objectContaining({ location: "body", path: "provider" })]);
    }
  });

  it("error: 422 naming each missing or unknown credential field", async () => {
    const missing = await expectProblem(
      await connectRaw({ provider: "stripe", credentials: { secretKey: stripeCreds().secretKey } }),
      422,
    );
    expect(missing.errors).toEqual([{ location: "body", path: "credentials.webhookSecret", message: "Required by Stripe" }]);
    const both = await expectProblem(
      await connectRaw({
        provider: "stripe",
        credentials: { ...stripeCreds(), webhookSecret: undefined, apiKey: "x".repeat(20) },
      }),
      422,
    );
    expect(both.errors!.map((e) => e.path).sort()).toEqual(["credentials.apiKey", "credentials.webhookSecret"]);
    const none = await expectProblem(await connectRaw({ provider: "twilio", credentials: {} }), 422);
    expect(none.errors!.map((e) => e.path).sort()).toEqual(["credentials.accountSid", "credentials.authToken"]);
    expect(await listed()).not.toContainEqual(expect.objectContaining({ provider: "stripe" }));
  });

  it("error: 422 for values that are not non-empty strings of at most 8 KiB, and for a bad body shape", async () => {
    const creds = stripeCreds();
    const cases: [unknown, string][] = [
      [{ provider: "stripe", credentials: { ...creds, secretKey: 12345 } }, "credentials.secretKey"],
      [{ provider: "stripe", credentials: { ...creds, secretKey: "" } }, "credentials.secretKey"],
      [{ provider: "stripe", credentials: { ...creds, webhookSecret: "é".repeat(4097) } }, "credentials.webhookSecret"], // 8194 bytes
      [{ provider: "stripe", credentials: { ...creds, webhookSecret: { nested: true } } }, "credentials.webhookSecret"],
      [{ provider: "stripe" }, "credentials"],
      [{ provider: "stripe", credentials: "sk_live_x" }, "credentials"],
      [{ credentials: creds }, "provider"],
      [{ provider: "stripe", credentials: creds, settings: [] }, "settings"],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(await connectRaw(body), 422);
      expect(
        problem.errors?.map((e) => e.path),
        JSON.stringify(body).slice(0, 80),
      ).toContain(path);
    }
    expect((await connectRaw({ provider: "stripe", credentials: { ...creds, webhookSecret: "w".repeat(8192) } })).status).toBe(
      201,
    );
  });

  it("error: 503 when the vault is not configured, and nothing is stored", async () => {
    for (const VAULT_MASTER_KEYS of [undefined, "1:bm90IGEga2V5"]) {
      const ctx = createExecutionContext();
      const req = new Request("https://curbgate.test/v1/integrations/connections", {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify({
          provider: "zoom",
          credentials: {
            accountId: "acct",
            clientId: "client",
            clientSecret: "c".repeat(24),
            webhookSecretToken: "t".repeat(24),
          },
        }),
      });
      const res = await worker.fetch(req, { ...env, VAULT_MASTER_KEYS } as Bindings, ctx);
      await waitOnExecutionContext(ctx);
      const body = await expectProblem(res, 503);
      expect(body.detail).toMatch(/^Vault not configured: VAULT_MASTER_KEYS /);
    }
    expect(await listed()).not.toContainEqual(expect.objectContaining({ provider: "zoom" }));
  });

  it("security: 401 without a credential, 403 without integrations:write", async () => {
    const body = { provider: "stripe", credentials: stripeCreds() };
    await expectProblem(await connectRaw(body, null), 401);
    await expectProblem(await connectRaw(body, "cg_live_not_a_real_key"), 401);
    for (const key of [INTEGRATIONS_READER, NO_SCOPES, OFFICER, DEMO_ADMIN, await signStaffJwt(env, { role: "viewer" })])
      expect((await expectProblem(await connectRaw(body, key), 403)).detail).toContain("integrations:write");
    expect(await listed()).not.toContainEqual(expect.objectContaining({ provider: "stripe" }));
  });
});

describe("GET /v1/integrations/connections", () => {
  it("happy: the tenant's connections, masked, with key version and timestamps", async () => {
    const s = stripeCreds();
    const t = twilioCreds();
    const a = await connected({ provider: "stripe", credentials: s });
    const b = await connected({ provider: "twilio", credentials: t });
    const res = await list(INTEGRATIONS_READER);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of [s.secretKey, s.webhookSecret, t.authToken]) expectNoSecret(text, secret, "the listing");
    const data = (JSON.parse(text) as { data: Connection[] }).data;
    const { replaced: _a, ...aListed } = a;
    const { replaced: _b, ...bListed } = b;
    expect(data).toEqual(expect.arrayContaining([aListed, bListed]));
    expect(data.map((c) => c.provider)).toEqual([...data.map((c) => c.provider)].sort());
    for (const c of data) expect(c.keyVersion).toBeGreaterThanOrEqual(1);
  });

  it("a tenant admin's staff token can connect and list", async () => {
    const token = await signStaffJwt(env, { role: "tenant_admin" });
    const c = await connected({ provider: "stripe", credentials: stripeCreds() }, token);
    expect((await listed(token)).map((x) => x.id)).toContain(c.id);
  });

  it("security: 401 without a credential, 403 without integrations:read", async () => {
    await expectProblem(await list(null), 401);
    for (const key of [NO_SCOPES, OFFICER, OTHER_TENANT_ADMIN]) await expectProblem(await list(key), 403);
  });
});

describe("DELETE /v1/integrations/connections/{id}", () => {
  it("happy: removes the row and its ciphertext; the hot path stops seeing it; audited", async () => {
    const c = await connected({ provider: "stripe", credentials: stripeCreds() });
    expect(await connectionFor(env, "demo", "stripe")).not.toBeNull();
    const res = await disconnect(c.id);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(await rawRow(c.id)).toBeNull();
    expect(await listed()).not.toContainEqual(expect.objectContaining({ id: c.id }));
    expect(await connectionFor(env, "demo", "stripe")).toBeNull();
    const entry = await auditFor(res);
    expect(entry).toMatchObject({ action: "integration.disconnect", tenant_id: "demo", target: c.id });
    expect(JSON.parse(entry.detail)).toEqual({ provider: "stripe" });
    // Gone means gone; connecting again creates a new connection.
    await expectProblem(await disconnect(c.id), 404);
    const again = await connectRaw({ provider: "stripe", credentials: stripeCreds() });
    expect(again.status).toBe(201);
    expect((await json<Connection>(again)).id).not.toBe(c.id);
  });

  it("error: 404 for malformed and unknown ids", async () => {
    const malformed = await expectProblem(await disconnect("con_short"), 404);
    expect(malformed.errors?.[0]).toMatchObject({ location: "path", path: "id" });
    expect((await expectProblem(await disconnect(`con_${"x".repeat(20)}`), 404)).detail).toBe("Connection not found");
  });

  it("security: 401 without a credential, 403 without integrations:write", async () => {
    const c = await connected({ provider: "stripe", credentials: stripeCreds() });
    await expectProblem(await disconnect(c.id, null), 401);
    for (const key of [INTEGRATIONS_READER, NO_SCOPES, OFFICER]) await expectProblem(await disconnect(c.id, key), 403);
    expect(await rawRow(c.id)).not.toBeNull();
  });
});

describe("tenant isolation", () => {
  it("another tenant cannot list, read through the hot path, or delete demo's connection", async () => {
    const credentials = stripeCreds();
    const demo = await connected({ provider: "stripe", credentials });
    const seen = await json<{ data: Connection[] }>(await list(OTHER_INTEGRATIONS_ADMIN));
    expect(seen.data.map((c) => c.id)).not.toContain(demo.id);
    expect(JSON.stringify(seen)).not.toContain(credentials.secretKey.slice(-4));
    await expectProblem(await disconnect(demo.id, OTHER_INTEGRATIONS_ADMIN), 404);
    await expectProblem(await disconnect(demo.id, OTHER_TENANT_ADMIN), 403);
    expect(await rawRow(demo.id)).not.toBeNull();
    expect(await connectionFor(env, "other", "stripe")).toBeNull();
    expect((await connectionFor(env, "demo", "stripe"))!.credentials).toEqual(credentials);
  });

  it("each tenant's connection to the same provider is its own", async () => {
    const mine = stripeCreds();
    const theirs = stripeCreds();
    const a = await connected({ provider: "stripe", credentials: mine });
    const b = await connected({ provider: "stripe", credentials: theirs }, OTHER_INTEGRATIONS_ADMIN);
    expect(b.replaced).toBe(false);
    expect(b.id).not.toBe(a.id);
    expect((await connectionFor(env, "demo", "stripe"))!.credentials).toEqual(mine);
    expect((await connectionFor(env, "other", "stripe"))!.credentials).toEqual(theirs);
    expect((await listed(OTHER_INTEGRATIONS_ADMIN)).map((c) => c.id)).toEqual([b.id]);
    expect((await json<Connection>(await connectRaw({ provider: "stripe", credentials: stripeCreds() }))).id).toBe(a.id); // replacing demo's leaves other's alone
    expect((await connectionFor(env, "other", "stripe"))!.credentials).toEqual(theirs);
  });

  it("demo's row copied into the other tenant does not decrypt there", async () => {
    const demo = await connected({ provider: "stripe", credentials: stripeCreds() });
    await connected(
      {
        provider: "zoom",
        credentials: { accountId: "a", clientId: "b", clientSecret: "c".repeat(24), webhookSecretToken: "d".repeat(24) },
      },
      OTHER_INTEGRATIONS_ADMIN,
    ); // gives "other" a data key
    await env.DB.prepare(
      `INSERT INTO integration_connections (id, tenant_id, provider, status, credentials_ciphertext, key_version, masked, settings, updated_at)
       SELECT 'con_' || substr(id, 5, 19) || 'X', 'other', provider, status, credentials_ciphertext, key_version, masked, settings, updated_at FROM integration_connections WHERE id = ?`,
    )
      .bind(demo.id)
      .run();
    const err = await connectionFor(env, "other", "stripe").then(
      () => null,
      (e: unknown) => e as Failure,
    );
    expect(err && statusOf(err)).toBe(503);
    // a failed lookup is not cached: the next delivery tries again
    await env.DB.prepare("DELETE FROM integration_connections WHERE tenant_id = 'other' AND provider = 'stripe'").run();
    expect(await connectionFor(env, "other", "stripe")).toBeNull();
  });
});

describe("connectionFor", () => {
  it("serves from the isolate cache until forgotten (at most 60 s stale)", async () => {
    const c = await connected({ provider: "stripe", credentials: stripeCreds(), settings: { mode: "first" } });
    expect((await connectionFor(env, "demo", "stripe"))!.settings).toEqual({ mode: "first" });
    await env.DB.prepare("UPDATE integration_connections SET settings = ? WHERE id = ?")
      .bind(JSON.stringify({ mode: "second" }), c.id)
      .run();
    expect((await connectionFor(env, "demo", "stripe"))!.settings).toEqual({ mode: "first" });
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    try {
      expect((await connectionFor(env, "demo", "stripe"))!.settings).toEqual({ mode: "second" });
    } finally {
      vi.useRealTimers();
    }
    await env.DB.prepare("UPDATE integration_connections SET settings = ? WHERE id = ?")
      .bind(JSON.stringify({ mode: "third" }), c.id)
      .run();
    forgetConnection("demo", "stripe");
    expect((await connectionFor(env, "demo", "stripe"))!.settings).toEqual({ mode: "third" });
  });

  it("shares one lookup between concurrent callers and returns frozen values", async () => {
    await connected({ provider: "stripe", credentials: stripeCreds() });
    const [a, b] = [connectionFor(env, "demo", "stripe"), connectionFor(env, "demo", "stripe")];
    expect(a).toBe(b);
    const conn = (await a)!;
    expect(Object.isFrozen(conn) && Object.isFrozen(conn.credentials)).toBe(true);
  });
});
