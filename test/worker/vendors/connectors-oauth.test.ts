// The OAuth connectors (QuickBooks, Mailchimp, Zoom, DocuSign) against the simulator, through the real
// sync route, queue consumer, gate, token renewal and call log: each one's happy path, then what the
// provider's refusals do to a job: a revoked authorisation fails it at once, 429 delays it by exactly
// its Retry-After, a 5xx storm is retried until every write is applied once. No token leaks.
import { env } from "cloudflare:workers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Bindings } from "../../../src/env";
import { subscriberHash } from "../../../src/vendors/mailchimp/connector";
import { call, expectNoSecret, json } from "../fixtures";
import { authorisedConnection, docusignConnection } from "../routes/integrations/oauth-fixtures";
import {
  clearFaults,
  consume,
  drain,
  jobFor,
  jobRow,
  lastSeq,
  message,
  resetSimulator,
  setFaults,
  settled,
  sim,
  simCalls,
  simEffects,
  startSync,
  syncTenant,
} from "../sync/fixtures";

const fast: Bindings = { ...env, SYNC_RETRY_BASE_SECONDS: "1", SYNC_MAX_ATTEMPTS: "40" };
const run = async (key: string, provider: string, body: Record<string, unknown>) =>
  settled(key, provider, (await startSync(key, provider, body)).id);
const PDF = btoa("%PDF-1.4 parking permit appeal");
const OAUTH = ["quickbooks", "mailchimp", "zoom", "docusign"] as const;
const PULL: Record<string, Record<string, unknown>> = {
  quickbooks: { entity: "customers", direction: "pull" },
  mailchimp: { entity: "contacts", direction: "pull", params: { listId: "a6b5da1054" } },
  zoom: { entity: "meetings", direction: "pull" },
  docusign: { entity: "envelopes", direction: "pull" },
};
type Tenant = Awaited<ReturnType<typeof syncTenant>>;

/** Per provider: how to connect, one write whose side effect the simulator records, and how to revoke it. */
const WRITES: Record<
  (typeof OAUTH)[number],
  {
    connect(t: Tenant): Promise<{ id: string }>;
    write(t: Tenant): Promise<{ entity: string; params: Record<string, unknown> }>;
    path: RegExp;
    revoke(c: any): Promise<unknown>;
  }
> = {
  quickbooks: {
    connect: (t) => authorisedConnection(t, "quickbooks"),
    write: async () => ({
      entity: "customers",
      params: { displayName: `Garage ${crypto.randomUUID()}`, email: "garage@example.com" },
    }),
    path: /\/customer$/,
    revoke: () => sim("/_control/oauth/quickbooks/revoke", { method: "POST" }),
  },
  mailchimp: {
    connect: (t) => authorisedConnection(t, "mailchimp"),
    write: async () => ({
      entity: "contacts",
      params: { listId: "a6b5da1054", contacts: [{ email: `Driver.${crypto.randomUUID()}@Example.com`, firstName: "Ada" }] },
    }),
    path: /\/members\/[0-9a-f]{32}$/,
    revoke: () => sim("/_control/oauth/mailchimp/revoke", { method: "POST" }),
  },
  zoom: {
    connect: (t) => authorisedConnection(t, "zoom"),
    write: async () => ({
      entity: "meetings",
      params: {
        topic: "Permit appeal hearing",
        startTime: "2026-12-01T15:00:00Z",
        durationMinutes: 30,
        timezone: "America/New_York",
      },
    }),
    path: /\/meetings$/,
    revoke: () => sim("/_control/oauth/zoom/revoke", { method: "POST" }),
  },
  docusign: {
    connect: (t) => docusignConnection(t),
    write: async () => ({
      entity: "envelopes",
      params: {
        emailSubject: "Residential permit agreement",
        documentBase64: PDF,
        documentName: "permit.pdf",
        signers: [{ email: "resident@example.com", name: "Ada Resident" }],
      },
    }),
    path: /\/envelopes$/,
    // DocuSign has no refresh token to revoke: the admin withdraws consent (the registered key goes).
    revoke: (c) =>
      sim("/_control/oauth/docusign/clients", { method: "POST", body: { clientId: c.creds.integrationKey, publicKey: "" } }),
  },
};

beforeAll(async () => {
  await resetSimulator();
});
beforeEach(async () => {
  await Promise.all(OAUTH.map(clearFaults));
});

describe("happy paths through the sync queue", () => {
  it("QuickBooks: a customer, an invoice for it (dollars on the wire, cents here), then both pulled; writes carry requestid", async () => {
    const t = await syncTenant("qb");
    await authorisedConnection(t, "quickbooks");
    const customer = await run(t.key, "quickbooks", {
      entity: "customers",
      direction: "push",
      params: { displayName: "Harbor Point Garage", email: "ops@harbor.example" },
    });
    expect(customer).toMatchObject({ status: "succeeded", result: { records: 1, detail: { customerId: "1" } } });
    const invoice = await run(t.key, "quickbooks", {
      entity: "invoices",
      direction: "push",
      params: {
        customerId: "1",
        dueDate: "2026-12-31",
        lines: [{ amountCents: 125_050, description: "Monthly permits, November" }, { amountCents: 2_599 }],
      },
    });
    expect(invoice).toMatchObject({
      status: "succeeded",
      result: { records: 1, detail: { totalCents: 127_649, docNumber: "1001" } },
    });
    const writes = (await simCalls("quickbooks")).filter((c) => c.method === "POST" && c.path.endsWith("/invoice"));
    expect(writes.at(-1)!).toMatchObject({ idempotencyKey: `${invoice.id}:invoice`, status: 200 });
    expect(writes.at(-1)!.query).toContain("requestid=");
    expect(await run(t.key, "quickbooks", { entity: "invoices", direction: "pull" })).toMatchObject({
      status: "succeeded",
      result: { records: 1, detail: { balanceCents: 127_649, pages: 1 } },
    });
    expect(
      (
        await run(t.key, "quickbooks", {
          entity: "customers",
          direction: "pull",
          since: new Date(Date.now() - 60_000).toISOString(),
        })
      ).result.records,
    ).toBe(1);
    const bad = await run(t.key, "quickbooks", {
      entity: "invoices",
      direction: "push",
      params: { customerId: "999", lines: [{ amountCents: 100 }] },
    });
    expect(bad).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("answered 400") });
  });

  it("Mailchimp: contacts upserted by subscriber hash (a second push updates, never duplicates), then pulled", async () => {
    const t = await syncTenant("mc");
    await authorisedConnection(t, "mailchimp");
    const contacts = [
      { email: "Ada@Example.com", firstName: "Ada" },
      { email: "grace@example.com", lastName: "Hopper", status: "pending" },
    ];
    expect(
      await run(t.key, "mailchimp", { entity: "contacts", direction: "push", params: { listId: "a6b5da1054", contacts } }),
    ).toMatchObject({
      status: "succeeded",
      result: { records: 2, detail: { statuses: { subscribed: 1, pending: 1 } } },
    });
    await run(t.key, "mailchimp", { entity: "contacts", direction: "push", params: { listId: "a6b5da1054", contacts } });
    const puts = (await simCalls("mailchimp")).filter((c) => c.method === "PUT");
    expect(puts.map((c) => c.path)).toContain(`/3.0/lists/a6b5da1054/members/${await subscriberHash("ada@example.com")}`);
    expect(
      await run(t.key, "mailchimp", { entity: "contacts", direction: "pull", params: { listId: "a6b5da1054" } }),
    ).toMatchObject({ result: { records: 2, detail: { total: 2 } } });
    // Every call went to the data centre's API with the OAuth token; the API-key form needs no OAuth at all.
    const keyed = await syncTenant("mk");
    const apiKey = `${"0123456789abcdef".repeat(2)}-us21`;
    await call("/v1/integrations/connections", {
      key: keyed.key,
      body: {
        provider: "mailchimp",
        credentials: { apiKey, webhookSecret: "mc_wh_secret_value" },
        settings: { baseUrl: "http://simulator.curbgate.local/mailchimp" },
      },
    });
    expect(
      await run(keyed.key, "mailchimp", {
        entity: "contacts",
        direction: "push",
        params: { listId: "b1", contacts: [{ email: "x@example.com" }] },
      }),
    ).toMatchObject({ status: "succeeded" });
  });

  it("Zoom: a meeting scheduled, then listed", async () => {
    const t = await syncTenant("zm");
    await authorisedConnection(t, "zoom");
    const push = await run(t.key, "zoom", {
      entity: "meetings",
      direction: "push",
      params: { topic: "Parking board", startTime: "2026-12-02T14:00:00Z", durationMinutes: 45 },
    });
    expect(push).toMatchObject({
      status: "succeeded",
      result: {
        records: 1,
        detail: {
          meetingId: expect.any(Number),
          joinUrl: expect.stringContaining("zoom.us/j/"),
          startTime: "2026-12-02T14:00:00Z",
        },
      },
    });
    expect(await run(t.key, "zoom", { entity: "meetings", direction: "pull" })).toMatchObject({
      status: "succeeded",
      result: { records: 1, detail: { pages: 1, complete: true } },
    });
    const bad = await run(t.key, "zoom", {
      entity: "meetings",
      direction: "push",
      params: { topic: "x", startTime: "tomorrow" },
    });
    expect(bad).toMatchObject({ status: "failed", lastError: "invalid params: startTime is not valid" });
  });

  it("DocuSign: the JWT grant on first use, an envelope sent, its status read", async () => {
    const t = await syncTenant("ds");
    const ds = await docusignConnection(t);
    const sent = await run(t.key, "docusign", {
      entity: "envelopes",
      direction: "push",
      params: (await WRITES.docusign.write(t)).params,
    });
    expect(sent).toMatchObject({ status: "succeeded", result: { records: 1, detail: { status: "sent" } } });
    const envelopeId = sent.result.detail.envelopeId;
    expect(await run(t.key, "docusign", { entity: "envelopes", direction: "pull", params: { envelopeId } })).toMatchObject({
      result: { records: 1, detail: { statuses: { sent: 1 } } },
    });
    expect(await run(t.key, "docusign", { entity: "envelopes", direction: "pull" })).toMatchObject({ result: { records: 1 } });
    const grants = (await simCalls("docusign")).filter((c) => c.path === "/oauth/token" && c.status === 200);
    expect(grants.length).toBe(1); // one token for all three jobs
    const paths = (
      await env.DB.prepare("SELECT path FROM integration_calls WHERE tenant_id = ?").bind(t.id).all<{ path: string }>()
    ).results.map((r) => r.path);
    expect(paths).toContain(`/restapi/v2.1/accounts/${ds.creds.accountId}/envelopes`);
  });
});

describe.each(OAUTH)("%s: when the provider says no", (provider) => {
  const w = WRITES[provider];

  it("a revoked authorisation fails the job at once as an auth error and asks for a reconnect", async () => {
    const t = await syncTenant(`a${provider.slice(0, 2)}`);
    const conn = await w.connect(t);
    await w.revoke(conn);
    const { entity, params } = await w.write(t);
    const job = await jobFor(t.id, provider, entity, "push", params);
    const { acked, retried } = await consume([{ body: message(t.id, provider, job.id), attempts: 1 }]);
    expect([acked, retried]).toEqual([[0], []]);
    expect(await jobRow(t.id, job.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: expect.stringMatching(/needs reconnecting/),
    });
    const listed = await json(await call("/v1/integrations/connections", { key: t.key }));
    expect(listed.data[0]).toMatchObject({ provider, status: "needs_reconnect" });
  });

  it("429 with Retry-After delays the job by exactly that long; then the write is applied once", async () => {
    const t = await syncTenant(`b${provider.slice(0, 2)}`);
    await w.connect(t);
    const { entity, params } = await w.write(t);
    await run(t.key, provider, PULL[provider]!); // a token in hand first, so the fault meets the write
    await setFaults(provider, { failNext: 1, status: 429, retryAfterSeconds: 7 });
    const job = await jobFor(t.id, provider, entity, "push", params);
    const body = message(t.id, provider, job.id);
    expect((await consume([{ body, attempts: 1 }])).retried).toEqual([{ index: 0, delaySeconds: 7 }]);
    expect(await jobRow(t.id, job.id)).toMatchObject({ status: "queued", lastError: expect.stringContaining("answered 429") });
    expect((await call(`/v1/monitoring/circuit-breakers/${provider}/reset`, { key: t.key, method: "POST" })).status).toBe(200);
    const before = await lastSeq();
    expect((await consume([{ body, attempts: 2 }])).acked).toEqual([0]);
    expect(await jobRow(t.id, job.id)).toMatchObject({ status: "succeeded" });
    expect((await simCalls(provider, before)).filter((c) => w.path.test(c.path) && c.status < 300).length).toBe(1);
  });

  it("a 5xx storm: every job completes, each write applied once, retries backing off", async () => {
    const t = await syncTenant(`c${provider.slice(0, 2)}`);
    await w.connect(t);
    await run(t.key, provider, PULL[provider]!); // a token in hand first, so the storm meets the writes
    const jobs = [];
    for (let i = 0; i < 5; i++) {
      const { entity, params } = await w.write(t);
      jobs.push(await jobFor(t.id, provider, entity, "push", params));
    }
    const before = await lastSeq();
    await setFaults(provider, { failNext: 4, status: 503 });
    const delays = await drain(
      jobs.map((j) => message(t.id, provider, j.id)),
      { consumerEnv: fast, realTime: true, maxRounds: 50 },
    );
    await clearFaults(provider);
    const calls = (await simCalls(provider, before)).filter((c) => w.path.test(c.path));
    expect(calls.filter((c) => c.status === 503).length).toBe(4);
    expect(calls.filter((c) => c.status < 300).length).toBe(jobs.length);
    expect(delays.length).toBe(4);
    for (const j of jobs) expect((await jobRow(t.id, j.id))?.status).toBe("succeeded");
    if (provider === "quickbooks")
      for (const j of jobs)
        expect((await simEffects("quickbooks")).filter((e) => e.idempotencyKey === `${j.id}:customer`).length).toBe(1);
  });
});

it("no token, client secret or private key appears in a response, the call log, the job rows or the audit log", async () => {
  const t = await syncTenant("sx");
  const q = await authorisedConnection(t, "quickbooks");
  const z = await authorisedConnection(t, "zoom");
  const d = await docusignConnection(t);
  const texts: string[] = [];
  for (const [provider, id] of [
    ["quickbooks", q.id],
    ["zoom", z.id],
    ["docusign", d.id],
  ] as const) {
    texts.push(await (await call(`/v1/integrations/connections/${id}/test`, { key: t.key, method: "POST" })).text());
    texts.push(await (await call(`/v1/integrations/${provider}/sync/history`, { key: t.key })).text());
  }
  texts.push(await (await call("/v1/integrations/connections", { key: t.key })).text());
  for (const table of ["integration_connections", "integration_calls", "sync_jobs", "audit_log", "oauth_states"])
    texts.push(JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ?`).bind(t.id).all()).results));
  texts.push(JSON.stringify((await sim("/_control/calls?limit=10000")).body));
  const all = texts.join("\n");
  const secrets = [...Object.values(await q.vault()), ...Object.values(await z.vault())].filter((v) =>
    /^(at_|rt_|qbo_secret|zm_secret)/.test(v),
  );
  expect(secrets.length).toBeGreaterThanOrEqual(6);
  for (const s of secrets) expectNoSecret(all, s);
  expectNoSecret(all, d.creds.privateKey.split("\n")[3]!, "private key");
});
