// The one ledger and the payment routing (docs/payments.md): GET/PUT /v1/payments/routing, payments
// pulled from Stripe and Teller recorded through the webhook's path (split by the routing unless the
// provider reports a fee, settled into the tenant's batch) and stored once however often the pull runs,
// and GET /v1/payments (filters, cursor) and /v1/payments/{id}.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ROLE_SCOPES } from "../../../../src/auth/principal";
import { settlementOf } from "../../../../src/domain/money";
import { addKey, call, expectProblem, json, uniq } from "../../fixtures";
import { connectTo, creds, settled, sim, startSync, stripeIntent, syncTenant } from "../../sync/fixtures";
import { paystackCharge, squarePayment, tellerPayment, vendorCreds } from "../../vendors/sync-vendors";

const ROUTING = {
  revenueAccount: "4100-PARKING-REVENUE",
  feeAccount: "5200-PROCESSING-FEES",
  feeMode: "percent",
  feeBasisPoints: 500,
  feeFixedMinor: 0,
  settlementAccount: "STAMFORD-OPERATING-001",
  cutoff: "18:00",
};

/** A tenant of the test's own with a finance admin key (payments:read/write) and a viewer key. */
async function financeTenant(prefix: string) {
  const t = await syncTenant(prefix);
  const admin = `cg_test_${t.id}_finance`;
  const viewer = `cg_test_${t.id}_viewer`;
  await addKey(env, admin, t.id, ["payments:read", "payments:write", "integrations:read", "integrations:write"]);
  await addKey(env, viewer, t.id, [...ROLE_SCOPES.viewer]);
  return { ...t, admin, viewer };
}

const ledgerRows = (tenantId: string) =>
  env.DB.prepare("SELECT * FROM payments WHERE tenant_id = ? ORDER BY id")
    .bind(tenantId)
    .all<Record<string, unknown>>()
    .then((r) => r.results);

async function pull(key: string, provider: string) {
  const job = await settled(key, provider, (await startSync(key, provider, { entity: "payments", direction: "pull" })).id);
  expect(job.status).toBe("succeeded");
  return job;
}

describe("GET/PUT /v1/payments/routing", () => {
  it("the demo tenant routes the Stamford way; a viewer reads it", async () => {
    const viewer = `cg_test_demo_viewer_${uniq(6)}`;
    await addKey(env, viewer, "demo", [...ROLE_SCOPES.viewer]);
    const res = await call("/v1/payments/routing", { key: viewer });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ ...ROUTING, timezone: "America/New_York" });
  });

  it("a tenant admin sets it (audited); a tenant that never set one has no fee of its own", async () => {
    const t = await financeTenant("prt");
    expect(await json(await call("/v1/payments/routing", { key: t.viewer }))).toMatchObject({
      feeBasisPoints: 0,
      cutoff: "18:00",
    });
    const body = { ...ROUTING, feeMode: "fixed", feeBasisPoints: 0, feeFixedMinor: 35, cutoff: "17:30" };
    const res = await call("/v1/payments/routing", { key: t.admin, method: "PUT", body });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ ...body, timezone: "America/New_York" });
    expect(await json(await call("/v1/payments/routing", { key: t.viewer }))).toEqual({ ...body, timezone: "America/New_York" });
    let audit: { action: string; actor: string } | null = null;
    for (let i = 0; i < 40 && !audit; i++) {
      audit = await env.DB.prepare(
        "SELECT action, actor FROM audit_log WHERE tenant_id = ? AND action = 'payments.routing.update'",
      )
        .bind(t.id)
        .first();
      if (!audit) await new Promise((r) => setTimeout(r, 25));
    }
    expect(audit).toEqual({ action: "payments.routing.update", actor: `key:key_${t.admin}` });
  });

  it("refuses bad routing with 422 and each field named, and stores nothing", async () => {
    const t = await financeTenant("prv");
    for (const [bad, field] of [
      [{ ...ROUTING, cutoff: "24:30" }, "cutoff"],
      [{ ...ROUTING, feeBasisPoints: 10_001 }, "feeBasisPoints"],
      [{ ...ROUTING, feeMode: "tiered" }, "feeMode"],
      [{ ...ROUTING, feeFixedMinor: -1 }, "feeFixedMinor"],
      [{ ...ROUTING, revenueAccount: "" }, "revenueAccount"],
    ] as const) {
      const p = await expectProblem(await call("/v1/payments/routing", { key: t.admin, method: "PUT", body: bad }), 422);
      expect(p.errors?.map((e) => e.path)).toContain(field);
    }
    const row = await env.DB.prepare("SELECT * FROM payment_routing WHERE tenant_id = ?").bind(t.id).first();
    expect(row).toBeNull();
  });

  it("no key 401; a viewer cannot write (403); an officer cannot read (403)", async () => {
    const t = await financeTenant("prs");
    await expectProblem(await call("/v1/payments/routing", { key: null }), 401);
    await expectProblem(await call("/v1/payments/routing", { key: t.viewer, method: "PUT", body: ROUTING }), 403);
    const officer = `cg_test_${t.id}_officer`;
    await addKey(env, officer, t.id, [...ROLE_SCOPES.officer]);
    await expectProblem(await call("/v1/payments/routing", { key: officer }), 403);
    expect(await env.DB.prepare("SELECT * FROM payment_routing WHERE tenant_id = ?").bind(t.id).first()).toBeNull();
  });
});

describe("one ledger from pulls", () => {
  it("a Stripe pull records each succeeded intent split by the routing and settled; run twice it changes nothing", async () => {
    const t = await financeTenant("pls");
    await call("/v1/payments/routing", { key: t.admin, method: "PUT", body: ROUTING });
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    const paid = [
      await stripeIntent(c.secretKey, 475),
      await stripeIntent(c.secretKey, 1000),
      await stripeIntent(c.secretKey, 333),
    ];
    await stripeIntent(c.secretKey, 900, false); // not paid: not money, not in the ledger

    await pull(t.key, "stripe");
    const first = await ledgerRows(t.id);
    expect(first).toHaveLength(3);
    const byTxn = new Map(first.map((r) => [r.provider_transaction_id, r]));
    // 5 % half up: 475 → 24 (23.75), 1000 → 50, 333 → 17 (16.65).
    for (const [txn, gross, fee] of [
      [paid[0], 475, 24],
      [paid[1], 1000, 50],
      [paid[2], 333, 17],
    ] as const) {
      const row = byTxn.get(txn)!;
      expect(row).toMatchObject({
        provider: "stripe",
        source: "pull",
        status: "succeeded",
        amount_cents: gross,
        fee_cents: fee,
        net_cents: gross - fee,
        revenue_account: "4100-PARKING-REVENUE",
        fee_account: "5200-PROCESSING-FEES",
      });
      const s = settlementOf(row.paid_at as number, "18:00", "America/New_York");
      expect(row).toMatchObject({ settlement_date: s.settlementDate, settlement_batch: s.batchId });
    }

    // The routing changes, then the pull runs again: every row stays exactly as it was, updated_at included.
    await call("/v1/payments/routing", { key: t.admin, method: "PUT", body: { ...ROUTING, feeBasisPoints: 900 } });
    await pull(t.key, "stripe");
    expect(await ledgerRows(t.id)).toEqual(first);
  });

  it("a Teller pull keeps Teller's fee and accounts; a second pull and a refund seen by the pull are stored once", async () => {
    const t = await financeTenant("plt");
    await call("/v1/payments/routing", {
      key: t.admin,
      method: "PUT",
      body: { ...ROUTING, revenueAccount: "R-CITY", feeAccount: "F-CITY" },
    });
    const c = vendorCreds.teller();
    await connectTo(t.key, "teller", c);
    const withFee = await tellerPayment(c.apiKey, 475, 25);
    const simFee = await tellerPayment(c.apiKey, 1000); // Teller's own 5 %
    // A refund made at Teller directly (no webhook): the pull sees it as the payment's refundedAmount.
    const refunded = await sim("/teller/api/teller/refunds", {
      method: "POST",
      headers: { authorization: `Bearer ${c.apiKey}`, "content-type": "application/json" },
      body: { originalPaymentId: withFee, refundAmount: 238, reason: "EARLY_SESSION_END" },
    });
    expect(refunded.status).toBe(201);
    await pull(t.key, "teller");
    const once = await ledgerRows(t.id);
    await pull(t.key, "teller");
    const rows = await ledgerRows(t.id);
    expect(rows).toEqual(once);
    expect(rows).toHaveLength(2);
    const row = (txn: string) => rows.find((r) => r.provider_transaction_id === txn)!;
    expect(row(withFee)).toMatchObject({
      amount_cents: 475,
      fee_cents: 25,
      net_cents: 450,
      revenue_account: "4100-PARKING-REVENUE",
      refunded_cents: 238,
      status: "partially_refunded",
    });
    expect(row(simFee)).toMatchObject({
      amount_cents: 1000,
      fee_cents: 50,
      net_cents: 950,
      fee_account: "5200-PROCESSING-FEES",
      refunded_cents: 0,
    });
    // One refund row (the running total), carrying 238 × 25 / 475 = 12.53 → 13 of the fee.
    const refunds = await env.DB.prepare("SELECT amount_cents, fee_cents FROM payment_refunds WHERE tenant_id = ?")
      .bind(t.id)
      .all();
    expect(refunds.results).toEqual([{ amount_cents: 238, fee_cents: 13 }]);
  });
});

describe("one ledger from Square and Paystack pulls", () => {
  it("records each with the fee the provider took, by the provider's id, once however often the pull runs", async () => {
    const t = await financeTenant("plq");
    await call("/v1/payments/routing", { key: t.admin, method: "PUT", body: ROUTING });
    const square = vendorCreds.square();
    await connectTo(t.key, "square", square);
    const sq = await squarePayment(square.accessToken, 1250);
    const paystack = vendorCreds.paystack();
    await connectTo(t.key, "paystack", paystack);
    const reference = await paystackCharge(paystack.secretKey, 500_000);
    for (const provider of ["square", "paystack", "square", "paystack"]) await pull(t.key, provider);
    const rows = await ledgerRows(t.id);
    expect(rows).toHaveLength(2);
    const sqRow = rows.find((r) => r.provider === "square")!;
    const psRow = rows.find((r) => r.provider === "paystack")!;
    expect(sqRow).toMatchObject({ provider_transaction_id: sq, source: "pull", status: "succeeded", amount_cents: 1250 });
    expect(psRow).toMatchObject({ provider_transaction_id: reference, source: "pull", currency: "NGN", amount_cents: 500_000 });
    // Both report the fee they took (the simulated Square 2.6 % + 10, Paystack 1.5 % + 100), so the routing's 5 % is not applied.
    expect(sqRow).toMatchObject({ fee_cents: 43, net_cents: 1207 });
    expect(psRow).toMatchObject({ fee_cents: 7600, net_cents: 492_400 });
    for (const r of [sqRow, psRow]) expect(r.settlement_batch).toMatch(/^BATCH-\d{4}-\d{3}-001$/);
  });
});

describe("GET /v1/payments and /v1/payments/{id}", () => {
  it("filters, pages by cursor, shows one payment with its refunds; another tenant's id is 404; scopes hold", async () => {
    const t = await financeTenant("plr");
    await call("/v1/payments/routing", { key: t.admin, method: "PUT", body: ROUTING });
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    for (const amount of [100, 200, 300, 400, 500]) await stripeIntent(c.secretKey, amount);
    await pull(t.key, "stripe");

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `?limit=2&provider=stripe&source=pull${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await json<{ data: { id: string; paidAt: string }[]; nextCursor: string | null }>(
        await call(`/v1/payments${q}`, { key: t.viewer }),
      );
      seen.push(...page.data.map((p) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);

    const all = await json<{ data: { id: string; gross: number; settlementDate: string }[] }>(
      await call("/v1/payments?limit=200", { key: t.viewer }),
    );
    expect(all.data.map((p) => p.gross).sort((a, b) => a - b)).toEqual([100, 200, 300, 400, 500]);
    const day = all.data[0]!.settlementDate;
    expect(
      (await json<{ data: unknown[] }>(await call(`/v1/payments?settlementDate=${day}`, { key: t.viewer }))).data.length,
    ).toBe(all.data.filter((p) => p.settlementDate === day).length);
    expect((await json<{ data: unknown[] }>(await call("/v1/payments?source=webhook", { key: t.viewer }))).data).toEqual([]);
    expect((await json<{ data: unknown[] }>(await call("/v1/payments?to=2000-01-01T00:00:00Z", { key: t.viewer }))).data).toEqual(
      [],
    );

    const one = all.data.find((p) => p.gross === 300)!;
    const detail = await json(await call(`/v1/payments/${one.id}`, { key: t.viewer }));
    expect(detail).toMatchObject({ id: one.id, gross: 300, fee: 15, net: 285, provider: "stripe", source: "pull", refunds: [] });

    await expectProblem(await call("/v1/payments?status=lost", { key: t.viewer }), 422);
    await expectProblem(await call("/v1/payments?cursor=nope", { key: t.viewer }), 422);
    await expectProblem(await call("/v1/payments", { key: null }), 401);
    const officer = `cg_test_${t.id}_officer`;
    await addKey(env, officer, t.id, [...ROLE_SCOPES.officer]);
    await expectProblem(await call(`/v1/payments/${one.id}`, { key: officer }), 403);
    const other = `cg_test_other_finance_${uniq(6)}`;
    await addKey(env, other, "other", ["payments:read"]);
    await expectProblem(await call(`/v1/payments/${one.id}`, { key: other }), 404);
    expect(
      (await json<{ data: { id: string }[] }>(await call("/v1/payments?limit=200", { key: other }))).data.map((p) => p.id),
    ).not.toContain(one.id);
  });
});
