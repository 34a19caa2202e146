// Credentials and money for the payment and city-vendor connectors' tests (Square, Paystack, Teller, AIMS,
// Parkeon, GTCS, Duncan): fakes in each vendor's format that the simulator accepts, and a paid charge
// made directly at the simulated vendor, as a driver's app would have made it.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { connectorOf } from "../../../src/vendors";
import type { Bindings } from "../../../src/env";
import { connectionFor } from "../../../src/vault/connections";
import { connectorContext } from "../../../src/sync/call";
import { db } from "../../../src/storage/db";
import { citations } from "../../../src/storage/schema";
import { call, expectNoSecret, uniq } from "../fixtures";
import {
  clearFaults,
  connectTo,
  consume,
  drain,
  jobFor,
  jobRow,
  lastSeq,
  message,
  setFaults,
  sim,
  simCalls,
  simEffects,
  syncTenant,
} from "../sync/fixtures";

export const vendorCreds = {
  square: () => ({ accessToken: `EAAAsandbox${uniq(30)}`, signatureKey: `sq-sig-${uniq(16)}` }),
  paystack: () => ({ secretKey: `sk_test_${uniq(40)}` }),
  teller: () => ({ apiKey: `teller_sk_test_${uniq(24)}`, webhookSecret: `teller_wh_${uniq(20)}` }),
  aims: () => ({ clientId: `test_aims_${uniq(8)}`, clientSecret: `aims_secret_${uniq(20)}` }),
  parkeon: () => ({ apiKey: `parkeon_test_${uniq(20)}`, webhookSecret: `parkeon_wh_${uniq(20)}` }),
  gtcs: () => ({ apiKey: `gtcs_test_${uniq(20)}` }),
  duncan: () => ({ apiKey: `duncan_test_${uniq(20)}` }),
};
export type Vendor = keyof typeof vendorCreds;

/** A credential each vendor's simulator refuses with its own 401. */
export const refusedCreds: Record<Vendor, Record<string, string>> = {
  square: { accessToken: "sq0atp-not-a-square-token", signatureKey: "x" },
  paystack: { secretKey: "pk_test_publicKeyIsNotSecret0000000000" },
  teller: { apiKey: "teller_pk_test_publicKey000", webhookSecret: "x" },
  aims: { clientId: "test_aims_client", clientSecret: "short" },
  parkeon: { apiKey: "not-a-parkeon-key", webhookSecret: "x" },
  gtcs: { apiKey: "not-a-gtcs-key" },
  duncan: { apiKey: "not-a-duncan-key" },
};

async function paid<T>(path: string, headers: Record<string, string>, body: unknown): Promise<T> {
  const res = await sim<T>(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  if (res.status !== 200 && res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A completed Square card payment; returns its id. */
export async function squarePayment(accessToken: string, cents: number): Promise<string> {
  const body = {
    source_id: "cnon:card-nonce-ok",
    idempotency_key: crypto.randomUUID(),
    amount_money: { amount: cents, currency: "USD" },
  };
  return (
    await paid<{ payment: { id: string } }>(
      "/square/v2/payments",
      { authorization: `Bearer ${accessToken}`, "square-version": "2025-01-23" },
      body,
    )
  ).payment.id;
}

/** A successful Paystack charge on a saved card; returns its reference (what Curbgate records payments by). */
export async function paystackCharge(secretKey: string, subunits: number, currency = "NGN"): Promise<string> {
  const body = {
    email: "driver@example.com",
    amount: subunits,
    currency,
    authorization_code: "AUTH_simulator",
    reference: `cg_${uniq(12).toLowerCase()}`,
  };
  return (
    await paid<{ data: { reference: string } }>(
      "/paystack/transaction/charge_authorization",
      { authorization: `Bearer ${secretKey}` },
      body,
    )
  ).data.reference;
}

/** A Teller payment in the Stamford guide's shape (docs/sources.md); returns its tellerTransactionId. */
export async function tellerPayment(apiKey: string, cents: number, feeCents?: number): Promise<string> {
  const body = {
    paymentId: `park_payment_${uniq(10)}`,
    amount: cents,
    currency: "USD",
    paymentMethod: { type: "CREDIT_CARD", token: "teller_pm_token_456" },
    metadata: { zoneNumber: "A1" },
    description: "Parking fee",
    ...(feeCents !== undefined ? { applicationFee: { amount: feeCents, description: "Processing fee" } } : {}),
  };
  return (await paid<{ tellerTransactionId: string }>("/teller/api/teller/payments", { authorization: `Bearer ${apiKey}` }, body))
    .tellerTransactionId;
}

/** The simulated Paystack's refunds of one transaction. */
export async function paystackRefunds(
  secretKey: string,
  reference: string,
): Promise<{ id: number; amount: number; merchant_note: string | null }[]> {
  return (
    await sim(`/paystack/refund?transaction=${encodeURIComponent(reference)}`, {
      headers: { authorization: `Bearer ${secretKey}` },
    })
  ).body.data;
}

/**
 * A citation in the tenant's own records, straight into D1 (issuing has its own tests): what AIMS and
 * Duncan pushes read. Overrides in record terms; `officer: null` or `latitude: null` leave them out.
 */
export async function citation(tenantId: string, overrides: Partial<typeof citations.$inferInsert> = {}) {
  const now = Date.now();
  const row = {
    id: `cit_${uniq(20)}`,
    tenantId,
    number: `CG-${uniq(8)}`,
    source: "native",
    fingerprint: "test",
    status: "issued" as const,
    plate: "XYZ789",
    state: "CT",
    zone: "A1",
    violationCode: "PKG-001",
    description: "Expired Meter",
    fineCents: 2500,
    lateFeeCents: 0,
    officerId: "officer_123",
    officerName: "Officer Smith",
    officerBadge: "PS-456",
    address: "123 Main Street",
    latitude: 41.0534,
    longitude: -73.5387,
    issuedAt: Date.parse("2026-05-01T12:15:00.000Z"),
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await db(env.DB).insert(citations).values(row);
  return { ...row, citationNumber: row.number };
}

/** A payment as a payment webhook records it (and, optionally, a refund of it), straight into D1. */
export async function recordedPayment(
  tenantId: string,
  p: {
    amountCents: number;
    feeCents: number;
    at: number;
    currency?: string;
    refundCents?: number;
    refundAt?: number;
    provider?: string;
    transactionId?: string;
  },
) {
  const id = `pay_${uniq(20)}`;
  const txn = p.transactionId ?? `txn_${uniq(12)}`;
  await env.DB.prepare(
    "INSERT INTO payments (id, tenant_id, provider, provider_transaction_id, session_id, amount_cents, fee_cents, net_cents, refunded_cents, currency, status, revenue_account, fee_account, paid_at, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)",
  )
    .bind(
      id,
      tenantId,
      p.provider ?? "teller",
      txn,
      p.amountCents,
      p.feeCents,
      p.amountCents - p.feeCents,
      p.refundCents ?? 0,
      p.currency ?? "USD",
      p.refundCents ? "partially_refunded" : "succeeded",
      p.at,
      p.at,
      p.at,
    )
    .run();
  if (p.refundCents)
    await env.DB.prepare(
      "INSERT INTO payment_refunds (id, tenant_id, payment_id, amount_cents, created_at) VALUES (?, ?, ?, ?, ?)",
    )
      .bind(`${tenantId}:teller:ref_${uniq(8)}`, tenantId, id, p.refundCents, p.refundAt ?? p.at)
      .run();
  return id;
}

// ---- what every vendor's job must survive ----

export interface VendorCase {
  provider: Vendor;
  entity: string;
  direction: "push" | "pull";
  /** Makes what one job needs (a payment to refund at the vendor, a zone, a day of payments) and returns its params. */
  params(tenant: { id: string; key: string }, creds: Record<string, string>): Promise<Record<string, unknown>>;
  /** The vendor's side effects of `job`: throws unless each was applied exactly once. */
  appliedOnce(creds: Record<string, string>, job: { id: string; params: Record<string, unknown> }): Promise<void>;
}

// Every call goes out (no breaker opens, no rate limit holds a job back), so these tests measure retries alone.
const OPEN_GATE = { breaker: { failureThreshold: 1000, cooldownMs: 1000, rateLimitPerMinute: 100_000 } };

/** Each side effect of the job, keyed `<jobId>:…`, seen once at the simulator, `count` of them. */
export async function keyedOnce(provider: string, jobId: string, count: number) {
  const keys = (await simEffects(provider)).map((e) => e.idempotencyKey).filter((k): k is string => !!k?.startsWith(`${jobId}:`));
  expect(keys.length).toBe(count);
  expect(new Set(keys).size).toBe(count);
}

export function refusalTests(cases: VendorCase[]) {
  const fast: Bindings = { ...env, SYNC_RETRY_BASE_SECONDS: "1", SYNC_MAX_ATTEMPTS: "40" };
  for (const v of cases) {
    describe(`${v.provider}: when the provider says no`, () => {
      it("a refused credential (401) fails the job at once: acked, not retried, one call", async () => {
        const t = await syncTenant(`${v.provider.slice(0, 3)}a`);
        const params = await v.params(t, vendorCreds[v.provider]());
        await connectTo(t.key, v.provider, refusedCreds[v.provider]);
        const job = await jobFor(t.id, v.provider, v.entity, v.direction, params);
        const before = await lastSeq();
        const { acked, retried } = await consume([{ body: message(t.id, v.provider, job.id), attempts: 1 }]);
        expect({ acked, retried }).toEqual({ acked: [0], retried: [] });
        expect(await jobRow(t.id, job.id)).toMatchObject({
          status: "failed",
          attempts: 1,
          lastError: expect.stringMatching(new RegExp(`^${v.provider} answered 401 to `)),
        });
        expect((await simCalls(v.provider, before)).map((c) => [c.status, c.outcome])).toEqual([[401, "unauthorized"]]);
      });

      it("429 with Retry-After delays the job by exactly that long; then it completes once", async () => {
        const t = await syncTenant(`${v.provider.slice(0, 3)}r`);
        const c = vendorCreds[v.provider]();
        await connectTo(t.key, v.provider, c);
        const job = await jobFor(t.id, v.provider, v.entity, v.direction, await v.params(t, c));
        const body = message(t.id, v.provider, job.id);
        await setFaults(v.provider, { failNext: 1, status: 429, retryAfterSeconds: 7 });
        expect((await consume([{ body, attempts: 1 }])).retried).toEqual([{ index: 0, delaySeconds: 7 }]);
        expect(await jobRow(t.id, job.id)).toMatchObject({
          status: "queued",
          lastError: expect.stringContaining(`${v.provider} answered 429 to `),
        });
        // Delivered early, the gate holds it for what is left of the 7 s without calling the vendor.
        const before = await lastSeq();
        expect((await consume([{ body, attempts: 2 }])).retried[0]!.delaySeconds).toBeGreaterThanOrEqual(6);
        expect(await simCalls(v.provider, before)).toEqual([]);
        expect((await call(`/v1/monitoring/circuit-breakers/${v.provider}/reset`, { key: t.key, method: "POST" })).status).toBe(
          200,
        );
        expect((await consume([{ body, attempts: 3 }])).acked).toEqual([0]);
        const done = await jobRow(t.id, job.id);
        expect(done?.status).toBe("succeeded");
        await v.appliedOnce(c, done!);
      });

      it("a 5xx storm: every job completes after retries with backoff, each side effect applied once", async () => {
        const t = await syncTenant(`${v.provider.slice(0, 3)}s`);
        const c = vendorCreds[v.provider]();
        await connectTo(t.key, v.provider, c, OPEN_GATE);
        const jobs = [];
        for (let i = 0; i < 6; i++) jobs.push(await jobFor(t.id, v.provider, v.entity, v.direction, await v.params(t, c)));
        await setFaults(v.provider, { failNext: 2, failRate: 0.4, status: 502 }); // at least two failures, then two in five
        const delays = await drain(
          jobs.map((j) => message(t.id, v.provider, j.id)),
          { consumerEnv: fast, realTime: false },
        );
        await clearFaults(v.provider);
        // Counted in this tenant's own call log: the simulator's faults and observations are shared with
        // test files running at the same time, which may meet some of the injected failures too.
        const failed = (await callRows(t.id)).results.filter((x) => x.status === 502).length;
        expect(failed).toBeGreaterThanOrEqual(1);
        expect(delays.length).toBe(failed); // each failure cost its job one retry
        expect(delays.every((d) => d.delaySeconds >= 1)).toBe(true);
        for (const j of jobs) {
          const row = await jobRow(t.id, j.id);
          expect(row?.status).toBe("succeeded");
          await v.appliedOnce(c, row!);
        }
      });

      it("an outage outlasting the attempts dead-letters the job", async () => {
        const t = await syncTenant(`${v.provider.slice(0, 3)}d`);
        const c = vendorCreds[v.provider]();
        await connectTo(t.key, v.provider, c, OPEN_GATE);
        const job = await jobFor(t.id, v.provider, v.entity, v.direction, await v.params(t, c));
        const before = await lastSeq();
        await setFaults(v.provider, { status: 500 });
        await drain([message(t.id, v.provider, job.id)], { consumerEnv: { ...fast, SYNC_MAX_ATTEMPTS: "3" }, realTime: false });
        await clearFaults(v.provider);
        expect(await jobRow(t.id, job.id)).toMatchObject({
          status: "dead",
          lastError: expect.stringContaining(`${v.provider} answered 500 to `),
        });
        expect((await simCalls(v.provider, before)).map((x) => x.outcome)).toEqual(["fault", "fault", "fault"]);
        const dead = await env.DB.prepare("SELECT attempts FROM dead_letters WHERE tenant_id = ? AND ref_id = ?")
          .bind(t.id, job.id)
          .all<{ attempts: number }>();
        expect(dead.results).toEqual([{ attempts: 3 }]);
      });
    });
  }
}

export const callRows = (tenantId: string) =>
  env.DB.prepare("SELECT method, path, status, idempotency_key FROM integration_calls WHERE tenant_id = ? ORDER BY at, rowid")
    .bind(tenantId)
    .all<{ method: string; path: string; status: number | null; idempotency_key: string | null }>();

/**
 * Connects each vendor with fresh credentials, makes its test call (which must pass with `detail`), runs
 * `exercise`, then looks for every credential in every answer, row and simulator observation.
 */
export function connectionTestAndSecrets(
  vendors: [Vendor, Record<string, unknown>][],
  exercise: (t: { id: string; key: string }) => Promise<void> = async () => {},
) {
  it("each connector's test call proves the credential, and no credential is in any answer or row", async () => {
    const t = await syncTenant("sec");
    const texts: string[] = [];
    const secrets: Record<string, string>[] = [];
    for (const [provider, detail] of vendors) {
      const c = vendorCreds[provider]();
      secrets.push(c);
      const conn = await connectTo(t.key, provider, c);
      const text = await (await call(`/v1/integrations/connections/${conn.id}/test`, { key: t.key, method: "POST" })).text();
      texts.push(text);
      expect(JSON.parse(text)).toMatchObject({ provider, ok: true, detail });
    }
    await exercise(t);
    for (const path of [
      "/v1/monitoring/circuit-breakers",
      "/v1/integrations/connections",
      ...vendors.map(([p]) => `/v1/integrations/${p}/sync/history`),
    ])
      texts.push(await (await call(path, { key: t.key })).text());
    for (const table of ["integration_calls", "sync_jobs", "audit_log", "integration_connections"])
      texts.push(JSON.stringify((await env.DB.prepare(`SELECT * FROM ${table} WHERE tenant_id = ?`).bind(t.id).all()).results));
    texts.push(
      JSON.stringify((await sim("/_control/calls?limit=10000")).body),
      JSON.stringify((await sim("/_control/effects")).body),
    );
    // An OAuth client id is an identifier, not a secret.
    for (const c of secrets)
      for (const [name, value] of Object.entries(c)) if (name !== "clientId") expectNoSecret(texts.join("\n"), value, name);
  });
}

/** The context the sync consumer would give job `jobId` of this tenant's connection to `provider`. */
export async function contextFor(tenantId: string, provider: string, jobId: string) {
  const connector = connectorOf(provider)!;
  const connection = (await connectionFor(env, tenantId, provider))!;
  return {
    connector,
    ctx: connectorContext(
      { env, tenantId, connector, credentials: connection.credentials, settings: connection.settings },
      jobId,
    ),
  };
}
