// POST /api/teller/payments and /api/teller/refunds: the Stamford guide's Teller bodies (test/fixtures/
// stamford-guide/teller-*.json, copied from the guide) accepted verbatim and answered in its shape,
// carried out through the tenant's Teller connection against the simulator: idempotent on paymentId
// (one payment at Teller), the fee the caller names or else the routing's, refunds that never exceed
// what is left and whose fee shares add up to the payment's fee.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import paymentRequest from "../../../fixtures/stamford-guide/teller-payment-request.json";
import paymentResponse from "../../../fixtures/stamford-guide/teller-payment-response.json";
import refundRequest from "../../../fixtures/stamford-guide/teller-refund-request.json";
import { ROLE_SCOPES } from "../../../../src/auth/principal";
import { type PaymentRouting, settlementOf } from "../../../../src/domain/money";
import { putPaymentRouting } from "../../../../src/storage/payment-routing";
import { db } from "../../../../src/storage/db";
import { addKey, call, expectProblem, json } from "../../fixtures";
import { clearFaults, connectTo, setFaults, simEffects, syncTenant } from "../../sync/fixtures";
import { vendorCreds } from "../../vendors/sync-vendors";

const STAMFORD: PaymentRouting = {
  revenueAccount: "4100-PARKING-REVENUE",
  feeAccount: "5200-PROCESSING-FEES",
  feeMode: "percent",
  feeBasisPoints: 500,
  feeFixedMinor: 0,
  settlementAccount: "STAMFORD-OPERATING-001",
  cutoff: "18:00",
};

/** A city with Teller connected, the Stamford routing, and its own system's key (payments:write). */
async function city(prefix: string, routing = STAMFORD) {
  const t = await syncTenant(prefix);
  const c = vendorCreds.teller();
  await connectTo(t.key, "teller", c);
  await putPaymentRouting(db(env.DB), t.id, routing, Date.now());
  const system = `cg_test_${t.id}_city_system`;
  await addKey(env, system, t.id, ["payments:write", "payments:read"]);
  return { ...t, system, apiKey: c.apiKey };
}

const pay = (key: string | null, body: unknown) => call("/api/teller/payments", { key, body });
const refund = (key: string | null, body: unknown, headers: Record<string, string> = {}) =>
  call("/api/teller/refunds", { key, body, headers });

/** The structure of a JSON value: objects as their sorted keys, recursively. */
function structure(value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, structure((value as Record<string, unknown>)[k])]),
    );
  return typeof value;
}

const ledger = (tenantId: string) =>
  env.DB.prepare("SELECT * FROM payments WHERE tenant_id = ? AND provider = 'teller'")
    .bind(tenantId)
    .all<Record<string, any>>()
    .then((r) => r.results);
const refundRows = (tenantId: string) =>
  env.DB.prepare("SELECT * FROM payment_refunds WHERE tenant_id = ? ORDER BY created_at")
    .bind(tenantId)
    .all<Record<string, any>>()
    .then((r) => r.results);

describe("POST /api/teller/payments", () => {
  it("answers the guide's payment body in the guide's shape, records it split and settled, and a retry gets the first answer", async () => {
    const t = await city("tpa");
    const res = await pay(t.system, paymentRequest);
    expect(res.status).toBe(201);
    const answer = await json<typeof paymentResponse>(res);
    expect(structure(answer)).toEqual(structure(paymentResponse));
    const settlement = settlementOf(Date.parse(answer.timestamp), "18:00", "America/New_York");
    expect(answer).toMatchObject({
      paymentId: "park_payment_123",
      status: "COMPLETED",
      amount: 475,
      netAmount: 450,
      processingFee: 25, // the body's applicationFee
      accounting: { revenueAccount: "4100-PARKING-REVENUE", feeAccount: "5200-PROCESSING-FEES", batchId: settlement.batchId },
      reconciliation: { settlementDate: settlement.settlementDate },
    });
    expect(answer.tellerTransactionId).toMatch(/^teller_txn_/);
    expect(answer.confirmation.receiptUrl).toBe("https://receipts.teller.io/park_payment_123");

    const rows = await ledger(t.id);
    expect(rows).toEqual([
      expect.objectContaining({
        provider_transaction_id: answer.tellerTransactionId,
        source: "initiated",
        status: "succeeded",
        amount_cents: 475,
        fee_cents: 25,
        net_cents: 450,
        zone: "A1",
        method: "card",
        settlement_date: settlement.settlementDate,
        settlement_batch: settlement.batchId,
      }),
    ]);

    // The same request again: the first answer, one payment at Teller, one ledger row.
    const again = await pay(t.system, paymentRequest);
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(answer);
    const effects = (await simEffects("teller")).filter((e) => e.objectId === answer.tellerTransactionId);
    expect(effects).toHaveLength(1);
    expect(effects[0]!.replays).toBe(1);
    expect(await ledger(t.id)).toHaveLength(1);
  });

  it("takes the routing's fee when the body names none (5 % of 475 is 24), and a fixed one too", async () => {
    const t = await city("tpf");
    const { applicationFee: _none, ...body } = paymentRequest;
    const answer = await json(await pay(t.system, { ...body, paymentId: "park_payment_nofee" }));
    expect(answer).toMatchObject({ amount: 475, processingFee: 24, netAmount: 451 });
    const fixed = await city("tpx", { ...STAMFORD, feeMode: "fixed", feeFixedMinor: 35 });
    expect(await json(await pay(fixed.system, { ...body, paymentId: "park_payment_fixed" }))).toMatchObject({
      processingFee: 35,
      netAmount: 440,
    });
  });

  it("refuses bad bodies with 422 and a reused paymentId for another amount with 409, and writes nothing", async () => {
    const t = await city("tpe");
    for (const [bad, field] of [
      [{ ...paymentRequest, amount: 0 }, "amount"],
      [{ ...paymentRequest, amount: 4.75 }, "amount"],
      [{ ...paymentRequest, currency: "XYZ" }, "currency"],
      [{ ...paymentRequest, applicationFee: { amount: 500 } }, "applicationFee.amount"],
      [{ ...paymentRequest, paymentMethod: { type: "CREDIT_CARD" } }, "paymentMethod.token"],
    ] as const) {
      const p = await expectProblem(await pay(t.system, bad), 422);
      expect(p.errors?.map((e) => e.path)).toContain(field);
    }
    expect(await ledger(t.id)).toEqual([]);
    expect((await pay(t.system, paymentRequest)).status).toBe(201);
    await expectProblem(await pay(t.system, { ...paymentRequest, amount: 900 }), 409);
    expect(await ledger(t.id)).toHaveLength(1);
  });

  it("an outage at Teller is a 503 with Retry-After and nothing recorded; the retry after it pays once", async () => {
    const t = await city("tpo");
    await setFaults("teller", { failNext: 1, status: 503 });
    try {
      const res = await pay(t.system, paymentRequest);
      await expectProblem(res, 503);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await ledger(t.id)).toEqual([]);
    } finally {
      await clearFaults("teller");
    }
    expect((await pay(t.system, paymentRequest)).status).toBe(201);
    expect(await ledger(t.id)).toHaveLength(1);
  });

  it("no key 401; a key without payments:write 403; a city without Teller connected 409", async () => {
    const t = await city("tps");
    await expectProblem(await pay(null, paymentRequest), 401);
    const viewer = `cg_test_${t.id}_viewer`;
    await addKey(env, viewer, t.id, [...ROLE_SCOPES.viewer]);
    await expectProblem(await pay(viewer, paymentRequest), 403);
    const other = `cg_test_other_city_system`;
    await addKey(env, other, "other", ["payments:write"]);
    await expectProblem(await pay(other, paymentRequest), 409);
    expect(await ledger(t.id)).toEqual([]);
  });
});

describe("POST /api/teller/refunds", () => {
  it("refunds the guide's body, never more than is left, and the fee shares add up to the payment's fee", async () => {
    const t = await city("tra");
    const paid = await json<{ tellerTransactionId: string }>(await pay(t.system, paymentRequest));
    const res = await refund(t.system, refundRequest);
    expect(res.status).toBe(201);
    const first = await json<Record<string, any>>(res);
    // 238 of 475 carries 238 × 25 / 475 = 12.53 → 13 of the fee.
    expect(first).toMatchObject({
      originalPaymentId: "park_payment_123",
      tellerTransactionId: paid.tellerTransactionId,
      status: "COMPLETED",
      refundAmount: 238,
      processingFeeRefunded: 13,
      netRefund: 225,
      remainingAmount: 237,
      reason: "EARLY_SESSION_END",
      accounting: { revenueAccount: "4100-PARKING-REVENUE", feeAccount: "5200-PROCESSING-FEES" },
    });

    // The same request again (a retry): the same refund, nothing more refunded.
    const again = await json<Record<string, any>>(await refund(t.system, refundRequest));
    expect(again.refundId).toBe(first.refundId);
    expect(await refundRows(t.id)).toHaveLength(1);

    // More than is left: 409, nothing at Teller, nothing in the ledger.
    const refundsAtTeller = () => simEffects("teller").then((e) => e.filter((x) => x.path === "/api/teller/refunds").length);
    const before = await refundsAtTeller();
    await expectProblem(await refund(t.system, { ...refundRequest, refundAmount: 300 }), 409);
    expect(await refundsAtTeller()).toBe(before);
    expect(await refundRows(t.id)).toHaveLength(1);

    // The rest takes the rest of the fee: 13 + 12 = 25.
    const rest = await json<Record<string, any>>(await refund(t.system, { ...refundRequest, refundAmount: 237 }));
    expect(rest).toMatchObject({ processingFeeRefunded: 12, netRefund: 225, remainingAmount: 0 });
    const rows = await refundRows(t.id);
    expect(rows.map((r) => r.fee_cents).reduce((a, b) => a + b, 0)).toBe(25);
    expect((await ledger(t.id))[0]).toMatchObject({ refunded_cents: 475, status: "refunded" });
    const detail = await json<{ refunds: { fee: number; amount: number }[] }>(
      await call(`/v1/payments/${(await ledger(t.id))[0]!.id}`, { key: t.system }),
    );
    expect(detail.refunds.map((r) => [r.amount, r.fee])).toEqual([
      [238, 13],
      [237, 12],
    ]);
  });

  it("an Idempotency-Key reused for another refund is 422; bad bodies 422; an unknown or another city's payment 404", async () => {
    const t = await city("tre");
    await pay(t.system, paymentRequest);
    expect((await refund(t.system, { ...refundRequest, refundAmount: 100 }, { "idempotency-key": "k-1" })).status).toBe(201);
    await expectProblem(await refund(t.system, { ...refundRequest, refundAmount: 101 }, { "idempotency-key": "k-1" }), 422);
    for (const bad of [{ ...refundRequest, refundAmount: 0 }, { ...refundRequest, refundAmount: "238" }, { refundAmount: 238 }])
      await expectProblem(await refund(t.system, bad), 422);
    await expectProblem(await refund(t.system, { ...refundRequest, originalPaymentId: "park_payment_none" }), 404);
    const elsewhere = await city("trx");
    await expectProblem(await refund(elsewhere.system, refundRequest), 404);
    expect(await refundRows(t.id)).toHaveLength(1);
    expect(await refundRows(elsewhere.id)).toEqual([]);
    await expectProblem(await refund(null, refundRequest), 401);
  });
});
