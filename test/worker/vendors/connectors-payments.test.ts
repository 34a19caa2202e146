// Square, Paystack and Teller against the provider simulator, through the real route, queue consumer,
// gate and call log: payments pulled page by page, refunds pushed once per job, and the `payments`
// capability the domain refunds through, called twice for one job as a retry after a lost answer
// would. Then what each vendor's refusals, throttling and outages do to a job (sync-vendors.ts).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { requestRefund } from "../../../src/sync/requests";
import { CONNECTORS } from "../../../src/vendors";
import { connectTo, jobFor, lastSeq, settled, sim, simCalls, simEffects, startSync, syncTenant } from "../sync/fixtures";
import {
  callRows,
  connectionTestAndSecrets,
  contextFor,
  keyedOnce,
  recordedPayment,
  paystackCharge,
  paystackRefunds,
  refusalTests,
  squarePayment,
  tellerPayment,
  vendorCreds,
  type Vendor,
} from "./sync-vendors";

/** The connector's refund capability, called the way the sync consumer calls a job's step, for job `jobId`. */
async function refundVia(
  tenantId: string,
  provider: Vendor,
  jobId: string,
  req: { transactionId: string; amountCents?: number; reason?: string },
) {
  const { connector, ctx } = await contextFor(tenantId, provider, jobId);
  return connector.payments!.refund(ctx, req);
}

describe("Square payments", () => {
  it("pulls every payment oldest first through Square's cursor, with the fees Square took", async () => {
    const t = await syncTenant("sqp");
    const c = vendorCreds.square();
    await connectTo(t.key, "square", c);
    const amounts = [500, 650, 700, 1200, 999];
    for (const a of amounts) await squarePayment(c.accessToken, a);
    const before = await lastSeq();
    const job = await settled(
      t.key,
      "square",
      (await startSync(t.key, "square", { entity: "payments", direction: "pull", params: { pageSize: 2 } })).id,
    );
    const fees = amounts.reduce((sum, a) => sum + Math.round(a * 0.026) + 10, 0);
    expect(job).toMatchObject({
      status: "succeeded",
      result: {
        records: 5,
        detail: { pages: 3, completed: 5, receivedCents: { USD: 4049 }, feeCents: { USD: fees }, complete: true },
      },
    });
    const pages = await simCalls("square", before);
    expect(pages.map((p) => [p.path, p.query.includes("cursor="), p.query.includes("sort_order=ASC")])).toEqual([
      ["/v2/payments", false, true],
      ["/v2/payments", true, true],
      ["/v2/payments", true, true],
    ]);
    const later = await settled(
      t.key,
      "square",
      (
        await startSync(t.key, "square", {
          entity: "payments",
          direction: "pull",
          since: new Date(Date.now() + 3_600_000).toISOString(),
        })
      ).id,
    );
    expect(later.result).toEqual({
      records: 0,
      detail: { pages: 1, completed: 0, receivedCents: {}, feeCents: {}, complete: true },
    });
  });

  it("refunds with the job's key in the body; Square applies it once and the call log names it", async () => {
    const t = await syncTenant("sqr");
    const c = vendorCreds.square();
    await connectTo(t.key, "square", c);
    const payment = await squarePayment(c.accessToken, 1000);
    const job = await settled(
      t.key,
      "square",
      (
        await startSync(t.key, "square", {
          entity: "payments",
          direction: "push",
          params: { transactionId: payment, amount: 300, reason: "Session ended early" },
        })
      ).id,
    );
    expect(job).toMatchObject({
      status: "succeeded",
      attempts: 1,
      result: { records: 1, detail: { status: "pending", amountCents: 300 } },
    });
    const effects = (await simEffects("square")).filter((e) => e.idempotencyKey === `${job.id}:refund`);
    expect(effects).toEqual([expect.objectContaining({ path: "/v2/refunds", objectId: job.result.detail.refundId, replays: 0 })]);
    expect((await callRows(t.id)).results).toEqual([
      { method: "GET", path: `/v2/payments/${payment}`, status: 200, idempotency_key: null },
      { method: "POST", path: "/v2/refunds", status: 200, idempotency_key: `${job.id}:refund` },
    ]);
    const held = await sim(`/square/v2/payments/${payment}`, {
      headers: { authorization: `Bearer ${c.accessToken}`, "square-version": "2025-01-23" },
    });
    expect(held.body.payment.refunded_money).toEqual({ amount: 300, currency: "USD" });
  });

  it("a job with a malformed payment id fails at once without calling Square", async () => {
    const t = await syncTenant("sqb");
    await connectTo(t.key, "square", vendorCreds.square());
    const job = await settled(
      t.key,
      "square",
      (await startSync(t.key, "square", { entity: "payments", direction: "push", params: { transactionId: "../v2/locations" } }))
        .id,
    );
    expect(job).toMatchObject({ status: "failed", attempts: 1, lastError: "invalid params: transactionId is not valid" });
    expect((await callRows(t.id)).results).toEqual([]);
  });
});

describe("Paystack payments", () => {
  it("pulls every transaction through page and perPage", async () => {
    const t = await syncTenant("psp");
    const c = vendorCreds.paystack();
    await connectTo(t.key, "paystack", c);
    for (const a of [50_000, 75_000, 120_000, 20_000, 33_300]) await paystackCharge(c.secretKey, a);
    const before = await lastSeq();
    const job = await settled(
      t.key,
      "paystack",
      (await startSync(t.key, "paystack", { entity: "payments", direction: "pull", params: { pageSize: 2 } })).id,
    );
    const fees = [50_000, 75_000, 120_000, 20_000, 33_300].reduce(
      (s, a) => s + Math.min(Math.round(a * 0.015) + 100, 200_000),
      0,
    );
    expect(job).toMatchObject({
      status: "succeeded",
      result: {
        records: 5,
        detail: { pages: 3, succeeded: 5, receivedCents: { NGN: 298_300 }, feeCents: { NGN: fees }, complete: true },
      },
    });
    expect((await simCalls("paystack", before)).map((p) => new URLSearchParams(p.query).get("page"))).toEqual(["1", "2", "3"]);
  });

  it("refunds what is left, marked with the job's key, and refunds it once", async () => {
    const t = await syncTenant("psr");
    const c = vendorCreds.paystack();
    await connectTo(t.key, "paystack", c);
    const reference = await paystackCharge(c.secretKey, 100_000);
    await sim("/paystack/refund", {
      headers: { authorization: `Bearer ${c.secretKey}`, "content-type": "application/json" },
      body: { transaction: reference, amount: 40_000 },
    });
    const job = await settled(
      t.key,
      "paystack",
      (
        await startSync(t.key, "paystack", {
          entity: "payments",
          direction: "push",
          params: { transactionId: reference, reason: "Session ended early" },
        })
      ).id,
    );
    expect(job).toMatchObject({
      status: "succeeded",
      result: { records: 1, detail: { status: "pending", amountCents: 60_000 } },
    });
    const refunds = await paystackRefunds(c.secretKey, reference);
    expect(refunds.map((r) => [r.amount, r.merchant_note])).toEqual([
      [40_000, null],
      [60_000, `curbgate:${job.id}:refund`],
    ]);
    expect((await callRows(t.id)).results.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /transaction/verify/${reference}`,
      "GET /refund",
      "POST /refund",
    ]);
  });

  it("a retry after a lost answer finds the refund its first attempt made, and sends nothing", async () => {
    const t = await syncTenant("psl");
    const c = vendorCreds.paystack();
    await connectTo(t.key, "paystack", c);
    const reference = await paystackCharge(c.secretKey, 80_000);
    const job = await jobFor(t.id, "paystack", "payments", "push", { transactionId: reference, amount: 30_000 });
    // The first attempt's refund reached Paystack, but its answer never came back.
    const lost = await sim("/paystack/refund", {
      headers: { authorization: `Bearer ${c.secretKey}`, "content-type": "application/json" },
      body: { transaction: reference, amount: 30_000, merchant_note: `curbgate:${job.id}:refund` },
    });
    const outcome = await refundVia(t.id, "paystack", job.id, { transactionId: reference, amountCents: 30_000 });
    expect(outcome).toEqual({ refundId: String(lost.body.data.id), status: "pending", amountCents: 30_000 });
    expect(await paystackRefunds(c.secretKey, reference)).toHaveLength(1);
    expect((await callRows(t.id)).results.map((r) => r.method)).toEqual(["GET", "GET"]);
  });
});

describe("Teller payments", () => {
  it("pulls payments and splits them between the revenue and the fee account", async () => {
    const t = await syncTenant("tlp");
    const c = vendorCreds.teller();
    await connectTo(t.key, "teller", c);
    await tellerPayment(c.apiKey, 475, 25); // the Stamford guide's example
    await tellerPayment(c.apiKey, 1000); // 5 % routing: 50 to fees
    await tellerPayment(c.apiKey, 300, 15);
    const job = await settled(
      t.key,
      "teller",
      (await startSync(t.key, "teller", { entity: "payments", direction: "pull", params: { pageSize: 2 } })).id,
    );
    expect(job).toMatchObject({
      status: "succeeded",
      result: {
        records: 3,
        detail: {
          pages: 2,
          completed: 3,
          amountCents: 1775,
          netCents: 1685,
          feeCents: 90,
          byAccount: { "4100-PARKING-REVENUE": 1685, "5200-PROCESSING-FEES": 90 },
          complete: true,
        },
      },
    });
  });

  it("refunds what is left when no amount is given, with the job's Idempotency-Key, once", async () => {
    const t = await syncTenant("tlr");
    const c = vendorCreds.teller();
    await connectTo(t.key, "teller", c);
    const txn = await tellerPayment(c.apiKey, 475, 25);
    const job = await settled(
      t.key,
      "teller",
      (
        await startSync(t.key, "teller", {
          entity: "payments",
          direction: "push",
          params: { transactionId: txn, reason: "early session end" },
        })
      ).id,
    );
    expect(job).toMatchObject({ status: "succeeded", result: { records: 1, detail: { status: "succeeded", amountCents: 475 } } });
    await keyedOnce("teller", job.id, 1);
    const held = await sim(`/teller/api/teller/payments/${txn}`, { headers: { authorization: `Bearer ${c.apiKey}` } });
    expect(held.body).toMatchObject({ tellerTransactionId: txn, refundedAmount: 475 });
  });
});

describe("the payments capability", () => {
  const cases = [
    { provider: "square" as const, pay: (c: Record<string, string>) => squarePayment(c.accessToken!, 900) },
    { provider: "paystack" as const, pay: (c: Record<string, string>) => paystackCharge(c.secretKey!, 90_000, "USD") },
    { provider: "teller" as const, pay: (c: Record<string, string>) => tellerPayment(c.apiKey!, 900) },
  ];
  for (const { provider, pay } of cases) {
    it(`${provider}: refunds through the gate and the call log; called again for the same job, refunds nothing more`, async () => {
      const t = await syncTenant(`cap${provider.slice(0, 2)}`);
      const c: Record<string, string> = vendorCreds[provider]();
      await connectTo(t.key, provider, c);
      const transactionId = await pay(c);
      const jobId = `job_${provider}CapabilityTest01`;
      const first = await refundVia(t.id, provider, jobId, {
        transactionId,
        amountCents: provider === "paystack" ? 25_000 : 250,
        reason: "Session ended early",
      });
      expect(first).toEqual({
        refundId: expect.any(String),
        status: expect.any(String),
        amountCents: provider === "paystack" ? 25_000 : 250,
      });
      const again = await refundVia(t.id, provider, jobId, {
        transactionId,
        amountCents: provider === "paystack" ? 25_000 : 250,
        reason: "Session ended early",
      });
      expect(again).toEqual(first);
      if (provider === "paystack") expect(await paystackRefunds(c.secretKey!, transactionId)).toHaveLength(1);
      else {
        const mine = (await simEffects(provider)).filter((e) => e.idempotencyKey === `${jobId}:refund`);
        expect(mine).toEqual([expect.objectContaining({ objectId: first.refundId, replays: 1 })]);
      }
      const logged = (await callRows(t.id)).results;
      expect(logged.every((r) => r.status === 200 || r.status === 201)).toBe(true);
      expect(JSON.stringify(logged)).not.toContain(Object.values(c)[0]);
    });
  }

  it("square: with no amount, a second call for the same job finds its own refund instead of refunding the rest", async () => {
    const t = await syncTenant("capsq");
    const c = vendorCreds.square();
    await connectTo(t.key, "square", c);
    const payment = await squarePayment(c.accessToken, 1000);
    const first = await refundVia(t.id, "square", "job_squareWholeRefund001", { transactionId: payment });
    expect(first.amountCents).toBe(1000);
    expect(await refundVia(t.id, "square", "job_squareWholeRefund001", { transactionId: payment })).toMatchObject({
      refundId: first.refundId,
      amountCents: 1000,
    });
    await keyedOnce("square", "job_squareWholeRefund001", 1);
  });

  it("the domain's requestRefund reaches Teller and Square once each; Teller's settled refund is recorded on the payment at once", async () => {
    const t = await syncTenant("capdom");
    const teller = vendorCreds.teller();
    const square = vendorCreds.square();
    await connectTo(t.key, "teller", teller);
    await connectTo(t.key, "square", square);
    const tellerTxn = await tellerPayment(teller.apiKey, 800);
    const squareTxn = await squarePayment(square.accessToken, 800);
    const tellerPay = await recordedPayment(t.id, {
      provider: "teller",
      transactionId: tellerTxn,
      amountCents: 800,
      feeCents: 40,
      at: Date.now(),
    });
    const squarePay = await recordedPayment(t.id, {
      provider: "square",
      transactionId: squareTxn,
      amountCents: 800,
      feeCents: 31,
      at: Date.now(),
    });
    const viaTeller = await requestRefund(env, CONNECTORS, t.id, {
      paymentId: tellerPay,
      amountCents: 300,
      reason: "Session ended early",
    });
    const viaSquare = await requestRefund(env, CONNECTORS, t.id, {
      paymentId: squarePay,
      amountCents: 300,
      reason: "Session ended early",
    });
    expect((await settled(t.key, "teller", viaTeller.jobId)).result.detail).toMatchObject({
      status: "succeeded",
      amountCents: 300,
      recorded: expect.any(Object),
    });
    expect((await settled(t.key, "square", viaSquare.jobId)).result.detail).toMatchObject({
      status: "pending",
      amountCents: 300,
      recorded: null,
    });
    await keyedOnce("teller", viaTeller.jobId, 1);
    await keyedOnce("square", viaSquare.jobId, 1);
    const rows = await env.DB.prepare("SELECT id, refunded_cents, status FROM payments WHERE tenant_id = ? ORDER BY id")
      .bind(t.id)
      .all();
    expect(rows.results).toEqual(
      expect.arrayContaining([
        { id: tellerPay, refunded_cents: 300, status: "partially_refunded" },
        { id: squarePay, refunded_cents: 0, status: "succeeded" }, // Square's refund.updated webhook settles it
      ]),
    );
  });

  it("refusing a refund larger than what is left fails as a client error, not retried", async () => {
    const t = await syncTenant("capbig");
    const c = vendorCreds.teller();
    await connectTo(t.key, "teller", c);
    const txn = await tellerPayment(c.apiKey, 400);
    await expect(
      refundVia(t.id, "teller", "job_tellerTooMuch0000001", { transactionId: txn, amountCents: 401 }),
    ).rejects.toMatchObject({ kind: "client", status: 400 });
  });
});

connectionTestAndSecrets(
  [
    ["square", { locations: 1, currencies: ["USD"] }],
    ["paystack", { currencies: ["NGN"] }],
    ["teller", { environment: "sandbox" }],
  ],
  async (t) => {
    await settled(t.key, "teller", (await startSync(t.key, "teller", { entity: "payments", direction: "pull" })).id);
  },
);

refusalTests([
  {
    provider: "square",
    entity: "payments",
    direction: "push",
    params: async (_t, c) => ({ transactionId: await squarePayment(c.accessToken!, 900), amount: 100 }),
    appliedOnce: (_c, job) => keyedOnce("square", job.id, 1),
  },
  {
    provider: "paystack",
    entity: "payments",
    direction: "push",
    params: async (_t, c) => ({ transactionId: await paystackCharge(c.secretKey!, 90_000), amount: 10_000 }),
    appliedOnce: async (c, job) => {
      const mine = (await paystackRefunds(c.secretKey!, job.params.transactionId as string)).filter(
        (r) => r.merchant_note === `curbgate:${job.id}:refund`,
      );
      expect(mine).toHaveLength(1);
    },
  },
  {
    provider: "teller",
    entity: "payments",
    direction: "push",
    params: async (_t, c) => ({ transactionId: await tellerPayment(c.apiKey!, 900), amount: 100 }),
    appliedOnce: (_c, job) => keyedOnce("teller", job.id, 1),
  },
]);
