// The simulated Square, Paystack, Teller, AIMS, Parkeon, GTCS and Duncan themselves: each vendor's auth
// and error shape, and the rules the connectors' tests lean on (Square's body key, the GTCS summary
// check, Parkeon's validation). Also: `npm start`'s demo credentials are ones the simulator accepts.
// Every test uses credentials of its own (its own simulated account), so none resets the simulator.
import { describe, expect, it } from "vitest";
import { DEMO_PROVIDER_CREDENTIALS } from "../../../src/dev/demo-connections";
import { call, json, uniq } from "../fixtures";
import { connectTo, sim, simEffects, syncTenant } from "../sync/fixtures";
import { paystackCharge, squarePayment, tellerPayment, vendorCreds, type Vendor } from "../vendors/sync-vendors";

const jsonHeaders = (auth: string, extra: Record<string, string> = {}) => ({
  authorization: auth,
  "content-type": "application/json",
  ...extra,
});

describe("simulated Square", () => {
  it("answers Square's error shape, insists on Square-Version, and takes the idempotency key from the body", async () => {
    const { accessToken } = vendorCreds.square();
    const auth = `Bearer ${accessToken}`;
    expect(
      (await sim("/square/v2/locations", { headers: { authorization: "Bearer nope", "square-version": "2025-01-23" } })).body,
    ).toEqual({
      errors: [{ category: "AUTHENTICATION_ERROR", code: "UNAUTHORIZED", detail: "This request could not be authorized." }],
    });
    expect((await sim("/square/v2/locations", { headers: { authorization: auth } })).status).toBe(400);
    const payment = await squarePayment(accessToken, 1000);
    const refund = (key: string, amount: number) =>
      sim("/square/v2/refunds", {
        headers: jsonHeaders(auth, { "square-version": "2025-01-23" }),
        body: { idempotency_key: key, payment_id: payment, amount_money: { amount, currency: "USD" } },
      });
    const [k1, k2] = [`sq-${uniq(10)}`, `sq-${uniq(10)}`];
    const a = await refund(k1, 400);
    expect(a.body.refund).toMatchObject({
      status: "PENDING",
      amount_money: { amount: 400, currency: "USD" },
      payment_id: payment,
    });
    expect((await refund(k1, 400)).body).toEqual(a.body);
    expect((await refund(k1, 500)).body.errors[0].code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await refund(k2, 700)).body.errors[0]).toMatchObject({ code: "REFUND_AMOUNT_INVALID", field: "amount_money.amount" });
    expect((await simEffects("square")).filter((e) => e.idempotencyKey === k1 || e.idempotencyKey === k2)).toEqual([
      expect.objectContaining({ idempotencyKey: k1, objectId: a.body.refund.id, replays: 1 }),
    ]);
  });
});

describe("simulated Paystack", () => {
  it("wraps every answer in {status, message, data}, and two identical refunds are two refunds, as at Paystack", async () => {
    const { secretKey } = vendorCreds.paystack();
    expect((await sim("/paystack/balance", { headers: { authorization: "Bearer sk_test_short" } })).body).toEqual({
      status: false,
      message: "Invalid key",
    });
    const reference = await paystackCharge(secretKey, 10_000);
    const refund = () =>
      sim("/paystack/refund", { headers: jsonHeaders(`Bearer ${secretKey}`), body: { transaction: reference, amount: 3000 } });
    expect((await refund()).body).toMatchObject({
      status: true,
      message: "Refund has been queued for processing",
      data: { amount: 3000, status: "pending" },
    });
    await refund();
    const list = await sim(`/paystack/refund?transaction=${reference}`, { headers: { authorization: `Bearer ${secretKey}` } });
    expect(list.body).toMatchObject({ status: true, data: [{ amount: 3000 }, { amount: 3000 }], meta: { total: 2, page: 1 } });
    expect(
      (
        await sim("/paystack/refund", {
          headers: jsonHeaders(`Bearer ${secretKey}`),
          body: { transaction: reference, amount: 5000 },
        })
      ).body,
    ).toEqual({ status: false, message: "Refund amount cannot be greater than the amount left on the transaction" });
  });
});

describe("simulated Teller", () => {
  it("answers the Stamford guide's payment shape and refuses a refund beyond what is left", async () => {
    const { apiKey } = vendorCreds.teller();
    const txn = await tellerPayment(apiKey, 475, 25);
    const held = await sim(`/teller/api/teller/payments/${txn}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(held.body).toMatchObject({
      status: "COMPLETED",
      amount: 475,
      netAmount: 450,
      processingFee: 25,
      accounting: { revenueAccount: "4100-PARKING-REVENUE", feeAccount: "5200-PROCESSING-FEES" },
    });
    const refund = await sim("/teller/api/teller/refunds", {
      headers: jsonHeaders(`Bearer ${apiKey}`),
      body: { originalPaymentId: held.body.paymentId, refundAmount: 500, reason: "EARLY_SESSION_END" },
    });
    expect(refund).toMatchObject({ status: 400, body: { error: { code: "REFUND_EXCEEDS_PAYMENT" } } });
    expect(
      (await sim("/teller/api/teller/account", { headers: { authorization: "Bearer teller_pk_test_public" } })).body.error.code,
    ).toBe("UNAUTHORIZED");
  });
});

describe("simulated AIMS", () => {
  it("issues client-credentials tokens per RFC 6749 and takes citations only with one", async () => {
    const { clientId, clientSecret } = vendorCreds.aims();
    const token = (user: string, password: string, grant = "client_credentials") =>
      sim("/aims/v1/oauth/token", {
        method: "POST",
        body: `grant_type=${grant}`,
        headers: { authorization: `Basic ${btoa(`${user}:${password}`)}`, "content-type": "application/x-www-form-urlencoded" },
      });
    expect((await token(clientId, "wrong")).body).toEqual({
      error: "invalid_client",
      error_description: "Client authentication failed",
    });
    expect((await token(clientId, clientSecret, "password")).body.error).toBe("unsupported_grant_type");
    const ok = await token(clientId, clientSecret);
    expect(ok.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const noToken = await sim("/aims/v1/account", { headers: { authorization: "Bearer aims_at_forged" } });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    const bad = await sim("/aims/v1/citations", {
      headers: jsonHeaders(`Bearer ${ok.body.access_token}`),
      body: { citationNumber: "x", violation: { fineAmount: 25.005 } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      "citationNumber",
      "licensePlate",
      "state",
      "violation.code",
      "violation.fineAmount",
      "timestamp",
      "location.zoneNumber",
    ]);
  });
});

describe("simulated Parkeon and GTCS", () => {
  it("Parkeon refuses a configuration the meters could not run, field by field", async () => {
    const { apiKey } = vendorCreds.parkeon();
    const auth = `Bearer ${apiKey}`;
    const meters = await sim("/parkeon/v2/meters?zoneNumber=A1", { headers: { authorization: auth } });
    expect(meters.body).toMatchObject({
      total: 3,
      data: [{ meterId: "METER-A1-001", configVersion: 0 }, { meterId: "METER-A1-002" }, { meterId: "METER-A1-003" }],
    });
    const bad = await sim("/parkeon/v2/meter-config/METER-A1-001", {
      method: "PUT",
      headers: jsonHeaders(auth),
      body: {
        rates: [{ timeSlot: "8:00-18:00", rate: 2.001, maxDuration: 0, gracePeriod: 5, days: ["MONDAY"] }],
        enforcement: { enabled: true, alertThreshold: 300 },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual([
      "rates[0].timeSlot",
      "rates[0].rate",
      "rates[0].maxDuration",
      "rates[0].days",
      "enforcement.violationCode",
    ]);
    expect(
      (await sim("/parkeon/v2/meter-config/METER-ZZ-001", { method: "PUT", headers: jsonHeaders(auth), body: {} })).body.error
        .code,
    ).toBe("METER_NOT_FOUND");
  });

  it("GTCS refuses a report whose summary does not add up to the cent", async () => {
    const { apiKey } = vendorCreds.gtcs();
    const report = (summary: Record<string, number>) => ({
      reportPeriod: { from: "2024-01-01T05:00:00.000Z", to: "2024-01-02T04:59:59.999Z" },
      transactions: [
        {
          transactionId: "txn_1",
          timestamp: "2024-01-01T15:00:00.000Z",
          amount: 4.75,
          type: "PARKING_PAYMENT",
          zone: "A1",
          paymentMethod: "CREDIT_CARD",
          accountingCode: "4100-PARKING-REVENUE",
        },
        {
          transactionId: "txn_2",
          timestamp: "2024-01-01T16:00:00.000Z",
          amount: -1.1,
          type: "REFUND",
          zone: "A1",
          paymentMethod: "CREDIT_CARD",
          accountingCode: "4100-PARKING-REVENUE",
        },
      ],
      summary,
    });
    const post = (body: unknown) => sim("/gtcs/api/gtcs/reconciliation", { headers: jsonHeaders(`Bearer ${apiKey}`), body });
    const wrong = await post(report({ totalRevenue: 4.75, totalTransactions: 2, processingFees: 0.25, netRevenue: 4.5 }));
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.details).toEqual([
      { field: "summary.totalRevenue", message: "is 4.75, the transactions add up to 3.65" },
    ]);
    const right = await post(report({ totalRevenue: 3.65, totalTransactions: 2, processingFees: 0.25, netRevenue: 3.4 }));
    expect(right).toMatchObject({ status: 201, body: { status: "ACCEPTED", transactions: 2, version: 1 } });
  });
});

describe("npm start's demo credentials", () => {
  it("are each accepted by the simulator: every demo connection's test call passes", async () => {
    const t = await syncTenant("dmo");
    for (const provider of ["square", "paystack", "teller", "aims", "parkeon", "gtcs", "duncan"] satisfies Vendor[]) {
      const conn = await connectTo(t.key, provider, DEMO_PROVIDER_CREDENTIALS[provider]!);
      const res = await json(await call(`/v1/integrations/connections/${conn.id}/test`, { key: t.key, method: "POST" }));
      expect(res, provider).toMatchObject({ provider, ok: true, error: null });
    }
  });
});
