// A driver pays a session through the city's connected provider: POST /v1/sessions/{id}/payments creates
// the payment at the simulated Stripe or Paystack through the connector, a retry with the same
// Idempotency-Key answers the first result and creates nothing more (the simulator counts), the
// provider's webhook or seed 003's verify pays the session exactly once, and bad input, faults and other
// tenants change nothing.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  OTHER_TENANT_ADMIN,
  addKey,
  call,
  createZone,
  expectProblem,
  flatZone,
  json,
  newPlate,
  openSession,
  uniq,
} from "../../fixtures";
import { connectTo, creds, setFaults, clearFaults, sim, simCalls, simEffects, syncTenant } from "../../sync/fixtures";
import * as d from "../../webhooks/deliveries";
import { sha256Hex } from "../../../../src/lib/crypto";
import { providerKeyOf } from "../../../../src/domain/session-payment";
import seedInitRequest from "../../../fixtures/payments/paystack-initialize-request.json";
import seedInitResponse from "../../../fixtures/payments/paystack-initialize-response.json";
import seedVerifyResponse from "../../../fixtures/payments/paystack-verify-response.json";
import seedChargeSuccess from "../../../fixtures/payments/paystack-charge-success.json";

type Payment = {
  id: string | null;
  sessionId: string;
  status: string;
  provider: string | null;
  amountMinor: number;
  amount: string;
  currency: string;
  reference: string | null;
  client: Record<string, string> | null;
};
type Session = { id: string; amountCents: number; paidCents: number };

const paystackKey = () => `sk_test_${uniq(24)}`;

/** A tenant of the test's own with one zone (2.40 an hour) and the given providers connected. */
async function city(prefix: string, connect: Record<string, Record<string, string>>, settings: Record<string, unknown> = {}) {
  const t = await syncTenant(prefix);
  const zone = await createZone(flatZone(), t.key);
  for (const [provider, c] of Object.entries(connect)) await connectTo(t.key, provider, c, settings);
  return { ...t, zone: zone.code };
}

const session = (c: { key: string; zone: string }, minutes = 60) =>
  openSession({ plate: newPlate(), zone: c.zone, minutes }, c.key);

const pay = (key: string | null, id: string, body: Record<string, unknown> = {}, idem: string | null = uniq(12)) =>
  call(`/v1/sessions/${id}/payments`, { key, body, headers: idem === null ? {} : { "idempotency-key": idem } });

const view = async (key: string, id: string) => json<Session>(await call(`/v1/sessions/${id}`, { key }));

const initiations = (tenant: string) =>
  env.DB.prepare("SELECT * FROM payment_initiations WHERE tenant_id = ?")
    .bind(tenant)
    .all<{ id: string; status: string; provider_reference: string | null; client_ciphertext: string | null }>()
    .then((r) => r.results);
const paymentRows = (tenant: string, reference: string) =>
  env.DB.prepare("SELECT * FROM payments WHERE tenant_id = ? AND provider_transaction_id = ?")
    .bind(tenant, reference)
    .all<{ amount_cents: number; status: string; source: string; session_id: string }>()
    .then((r) => r.results);
const creations = async (provider: string, path: string) => (await simEffects(provider)).filter((e) => e.path === path);

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Delivers a signed Paystack charge.success (seed 003's payload plus what Paystack also sends) and waits for its effect. */
async function paystackWebhook(tenant: string, secretKey: string, data: Record<string, unknown>) {
  const body = JSON.stringify({ ...seedChargeSuccess, data: { ...seedChargeSuccess.data, ...data } });
  const res = await call(`/v1/webhooks/${tenant}/paystack`, {
    key: null,
    body,
    headers: await d.signPaystack(secretKey, body, ""),
  });
  expect(res.status).toBe(200);
  const ack = await json<{ id: string }>(res);
  return until("charge.success processed", () =>
    env.DB.prepare("SELECT status, effect FROM webhook_events WHERE id = ? AND status = 'processed'")
      .bind(ack.id)
      .first<{ status: string; effect: string }>(),
  );
}

const verify = (key: string, reference: string) => call("/v1/payments/verify", { key, body: { reference } });
const settleAtCheckout = (reference: string, outcome = "success") =>
  sim(`/_control/payments/paystack/${reference}`, { method: "POST", body: { outcome } });

beforeAll(async () => {
  await clearFaults("stripe");
  await clearFaults("paystack");
});

describe("POST /v1/sessions/{id}/payments with Stripe", () => {
  it("creates a PaymentIntent for what the session owes, answers its client_secret, and the webhook pays the session", async () => {
    const c = creds.stripe();
    const t = await city("pst", { stripe: c });
    const s = await session(t);
    expect(s.amountCents).toBe(240);
    const res = await pay(t.key, s.id);
    expect(res.status).toBe(201);
    const p = await json<Payment>(res);
    expect(p).toMatchObject({
      sessionId: s.id,
      status: "pending",
      provider: "stripe",
      amountMinor: 240,
      amount: "2.40",
      currency: "USD",
    });
    expect(p.id).toMatch(/^pin_/);
    expect(p.reference).toMatch(/^pi_/);
    expect(p.client).toEqual({
      payment_intent: p.reference,
      client_secret: expect.stringMatching(new RegExp(`^${p.reference}_secret_`)),
    });

    // At Stripe: the amount, the currency and the metadata the webhook reads back.
    const intent = await sim<Record<string, any>>(`/stripe/v1/payment_intents/${p.reference}`, {
      headers: { authorization: `Bearer ${c.secretKey}` },
    });
    expect(intent.body).toMatchObject({
      amount: 240,
      currency: "usd",
      metadata: { session_id: s.id, tenant_id: t.id, curbgate_initiation: p.id },
    });
    // The client secret is sealed in D1, never stored as written.
    const [row] = await initiations(t.id);
    expect(row!.status).toBe("pending");
    expect(JSON.stringify(row)).not.toContain(p.client!.client_secret);

    // The driver confirms at Stripe; the simulated Stripe sends payment_intent.succeeded to Curbgate.
    await sim("/_control/webhooks/stripe", {
      method: "PUT",
      body: {
        account: c.secretKey,
        url: `http://curbgate.local/v1/webhooks/${t.id}/stripe`,
        secret: c.webhookSecret,
        events: ["payment_intent.succeeded"],
      },
    });
    const confirmed = await sim(`/stripe/v1/payment_intents/${p.reference}/confirm`, {
      method: "POST",
      body: "payment_method=pm_card_visa",
      headers: { authorization: `Bearer ${c.secretKey}`, "content-type": "application/x-www-form-urlencoded" },
    });
    expect(confirmed.status).toBe(200);
    const paid = await until("session paid by the webhook", async () => {
      const v = await view(t.key, s.id);
      return v.paidCents > 0 && v;
    });
    expect(paid.paidCents).toBe(240);
    expect(await paymentRows(t.id, p.reference!)).toEqual([
      expect.objectContaining({ amount_cents: 240, status: "succeeded", session_id: s.id }),
    ]);
    // Verify reads the intent back from Stripe and finds it paid; the session is not paid twice.
    const v = await json<any>(await verify(t.key, p.reference!));
    expect(v.data).toMatchObject({
      status: "succeeded",
      paid: true,
      amountMinor: 240,
      amount: 2.4,
      currency: "USD",
      provider: "stripe",
    });
    expect((await view(t.key, s.id)).paidCents).toBe(240);
    expect(await paymentRows(t.id, p.reference!)).toHaveLength(1);

    // Now the session is paid: another payment of it is refused, and nothing is written.
    const again = await expectProblem(await pay(t.key, s.id), 409);
    expect(again.detail).toMatch(/already paid/);
    expect(await initiations(t.id)).toHaveLength(1);
  });

  it("a retry with the same Idempotency-Key answers the first result and creates exactly one PaymentIntent", async () => {
    const t = await city("pst", { stripe: creds.stripe() });
    const s = await session(t);
    const before = (await creations("stripe", "/v1/payment_intents")).length;
    const key = uniq(16);
    const first = await pay(t.key, s.id, {}, key);
    expect(first.status).toBe(201);
    const a = await json<Payment>(first);
    const replays = [];
    for (let i = 0; i < 3; i++) replays.push(await pay(t.key, s.id, {}, key));
    for (const r of replays) {
      expect(r.status).toBe(200);
      expect(r.headers.get("idempotent-replayed")).toBe("true");
      expect(await json<Payment>(r)).toEqual(a);
    }
    const made = (await creations("stripe", "/v1/payment_intents")).slice(before);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      objectId: a.reference,
      replays: 0,
      idempotencyKey: expect.stringMatching(/^cg-[0-9a-f]{40}$/),
    });
    // The provider was reached once for the creation: the retries were answered from D1.
    const posts = (await simCalls("stripe")).filter((x) => x.method === "POST" && x.idempotencyKey === made[0]!.idempotencyKey);
    expect(posts).toHaveLength(1);
    expect(await initiations(t.id)).toHaveLength(1);

    // The same key with another request is refused.
    const other = await expectProblem(await pay(t.key, s.id, { currency: "EUR" }, key), 422);
    expect(other.errors).toEqual([expect.objectContaining({ location: "header", path: "Idempotency-Key" })]);
  });

  it("concurrent requests with one Idempotency-Key create one PaymentIntent", async () => {
    const t = await city("pst", { stripe: creds.stripe() });
    const s = await session(t);
    const before = (await creations("stripe", "/v1/payment_intents")).length;
    const key = uniq(16);
    const answers = await Promise.all(Array.from({ length: 6 }, () => pay(t.key, s.id, {}, key)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    // The others replay the first answer, or are told the first is still in progress.
    expect(statuses.every((x) => x === 201 || x === 200 || x === 409)).toBe(true);
    for (const r of answers.filter((x) => x.status === 409)) expect(r.headers.get("retry-after")).toBe("2");
    expect((await creations("stripe", "/v1/payment_intents")).length).toBe(before + 1);
    expect(await initiations(t.id)).toHaveLength(1);
  });

  it("a request that died after reaching Stripe is taken over a minute later and gets the same PaymentIntent, not a second one", async () => {
    const c = creds.stripe();
    const t = await city("pst", { stripe: c });
    const s = await session(t);
    const key = uniq(16);
    const scoped = `key:key_${t.key}:${key}`; // the route scopes the key to the credential (actorOf)
    const providerKey = await providerKeyOf(t.id, s.id, scoped);
    // The dead request's claim, as it left it: "creating", two minutes old.
    const id = `pin_${uniq(20)}`;
    const old = Date.now() - 120_000;
    await env.DB.prepare(
      "INSERT INTO payment_initiations (id, tenant_id, provider, session_id, amount_minor, currency, idempotency_key, fingerprint, provider_key, status, created_at, updated_at) VALUES (?, ?, 'stripe', ?, 240, 'USD', ?, ?, ?, 'creating', ?, ?)",
    )
      .bind(id, t.id, s.id, scoped, await sha256Hex(JSON.stringify({ route: "session.pay", id: s.id })), providerKey, old, old)
      .run();
    // …and what it had sent Stripe before it died (the connector's body, byte for byte).
    const form = new URLSearchParams({
      amount: "240",
      currency: "usd",
      "automatic_payment_methods[enabled]": "true",
      "metadata[session_id]": s.id,
      "metadata[tenant_id]": t.id,
      "metadata[curbgate_initiation]": id,
    });
    const reached = await sim<{ id: string }>("/stripe/v1/payment_intents", {
      method: "POST",
      body: form.toString(),
      headers: {
        authorization: `Bearer ${c.secretKey}`,
        "content-type": "application/x-www-form-urlencoded",
        "idempotency-key": providerKey,
      },
    });
    expect(reached.status).toBe(200);

    const res = await pay(t.key, s.id, {}, key);
    expect(res.status).toBe(201);
    const p = await json<Payment>(res);
    expect(p).toMatchObject({ id, reference: reached.body.id });
    const made = (await simEffects("stripe")).filter((e) => e.idempotencyKey === providerKey);
    expect(made).toEqual([expect.objectContaining({ objectId: reached.body.id, replays: 1 })]);
    expect(await initiations(t.id)).toEqual([expect.objectContaining({ id, status: "pending" })]);
  });

  it("a provider fault answers 503 problem+json and leaves nothing behind; the retry then creates one payment", async () => {
    const t = await city("pst", { stripe: creds.stripe() });
    const s = await session(t);
    const before = (await creations("stripe", "/v1/payment_intents")).length;
    await setFaults("stripe", { status: 503, failNext: 1 });
    const key = uniq(16);
    try {
      const p = await expectProblem(await pay(t.key, s.id, {}, key), 503);
      expect(p.detail).toMatch(/stripe is unavailable \(unavailable\); no payment was started/);
    } finally {
      await clearFaults("stripe");
    }
    expect(await initiations(t.id)).toEqual([]);
    expect((await env.DB.prepare("SELECT id FROM payments WHERE tenant_id = ?").bind(t.id).all()).results).toEqual([]);
    expect((await creations("stripe", "/v1/payment_intents")).length).toBe(before);
    expect((await view(t.key, s.id)).paidCents).toBe(0);

    const retried = await pay(t.key, s.id, {}, key);
    expect(retried.status).toBe(201);
    expect((await creations("stripe", "/v1/payment_intents")).length).toBe(before + 1);
    expect(await initiations(t.id)).toEqual([expect.objectContaining({ status: "pending" })]);
  });

  it("an outage with Retry-After: the answer carries it, and the tenant's gate holds the next try without reaching Stripe", async () => {
    const t = await city("pst", { stripe: creds.stripe() });
    const s = await session(t);
    await setFaults("stripe", { status: 503, retryAfterSeconds: 7 });
    try {
      const res = await pay(t.key, s.id);
      await expectProblem(res, 503);
      expect(res.headers.get("retry-after")).toBe("7");
      const seen = (await simCalls("stripe")).length;
      const held = await pay(t.key, s.id);
      await expectProblem(held, 503);
      expect(Number(held.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await simCalls("stripe")).length).toBe(seen);
    } finally {
      await clearFaults("stripe");
    }
    expect(await initiations(t.id)).toEqual([]);
  });

  it("a free session answers without calling any provider", async () => {
    const t = await syncTenant("pst");
    const zone = await createZone(
      flatZone({
        rateSlots: [
          { days: ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"], start: "00:00", end: "24:00", rateCentsPerHour: 0 },
        ],
      }),
      t.key,
    );
    // No provider connected at all: a free session never needs one.
    const s = await openSession({ plate: newPlate(), zone: zone.code, minutes: 30 }, t.key);
    expect(s.amountCents).toBe(0);
    const calls = (await simCalls("stripe")).length + (await simCalls("paystack")).length;
    const res = await pay(t.key, s.id);
    expect(res.status).toBe(200);
    expect(await json<Payment>(res)).toMatchObject({
      id: null,
      status: "free",
      provider: null,
      amountMinor: 0,
      client: null,
      reference: null,
    });
    expect((await simCalls("stripe")).length + (await simCalls("paystack")).length).toBe(calls);
    expect(await initiations(t.id)).toEqual([]);
  });
});

describe("POST /v1/sessions/{id}/payments with Paystack, and seed 003's verify", () => {
  it("initializes a transaction (authorization_url, access_code, reference); verify after checkout pays the session once, and the webhook after it changes nothing", async () => {
    const secretKey = paystackKey();
    const t = await city("pps", { paystack: { secretKey } }, { currency: "NGN" });
    const s = await session(t);
    const res = await pay(t.key, s.id, { email: "driver@example.com", callbackUrl: "https://app.example.com/done" });
    expect(res.status).toBe(201);
    const p = await json<Payment>(res);
    expect(p).toMatchObject({ provider: "paystack", amountMinor: 240, amount: "2.40", currency: "NGN", status: "pending" });
    expect(p.client).toEqual({
      authorization_url: expect.stringContaining(`/paystack/checkout/${p.client!.access_code}`),
      access_code: expect.any(String),
      reference: p.reference,
    });
    expect(p.reference).toMatch(/^cg-[0-9a-f]{40}$/);
    const atPaystack = await sim<any>(`/paystack/transaction/verify/${p.reference}`, {
      headers: { authorization: `Bearer ${secretKey}` },
    });
    expect(atPaystack.body.data).toMatchObject({
      amount: 240,
      currency: "NGN",
      status: "abandoned",
      metadata: { session_id: s.id, tenant_id: t.id },
    });

    // Before the driver pays: verify says so and records nothing.
    const early = await json<any>(await verify(t.key, p.reference!));
    expect(early.data).toMatchObject({ status: "abandoned", paid: false, session: null });
    expect(await paymentRows(t.id, p.reference!)).toEqual([]);

    expect((await settleAtCheckout(p.reference!)).status).toBe(200);
    const res2 = await verify(t.key, p.reference!);
    expect(res2.status).toBe(200);
    const v = await json<any>(res2);
    // Seed 003's verify shape: the same keys, status true, "Verification successful"; amount in major units.
    expect(Object.keys(v)).toEqual(Object.keys(seedVerifyResponse));
    expect(v).toMatchObject({ status: true, message: seedVerifyResponse.message });
    expect(Object.keys(v.data)).toEqual(expect.arrayContaining(["status", "amount", "reference", "customer"]));
    expect(v.data).toMatchObject({
      status: "success",
      paid: true,
      amount: 2.4,
      amountMinor: 240,
      currency: "NGN",
      reference: p.reference,
      sessionId: s.id,
      channel: "card",
    });
    expect(v.data.customer).toEqual({ email: "driver@example.com" });
    expect((await view(t.key, s.id)).paidCents).toBe(240);
    expect(await paymentRows(t.id, p.reference!)).toEqual([
      expect.objectContaining({ amount_cents: 240, status: "succeeded", source: "initiated" }),
    ]);

    // Verify again, then Paystack's own charge.success: still one payment, the session paid once.
    expect((await verify(t.key, p.reference!)).status).toBe(200);
    await paystackWebhook(t.id, secretKey, {
      reference: p.reference,
      amount: 240,
      currency: "NGN",
      metadata: { session_id: s.id },
    });
    expect((await view(t.key, s.id)).paidCents).toBe(240);
    expect(await paymentRows(t.id, p.reference!)).toHaveLength(1);
    expect((await initiations(t.id))[0]!.status).toBe("paid");
  });

  it("the webhook first, then verify: the session is paid once", async () => {
    const secretKey = paystackKey();
    const t = await city("pps", { paystack: { secretKey } }, { currency: "NGN" });
    const s = await session(t);
    const p = await json<Payment>(await pay(t.key, s.id, { email: "driver@example.com" }));
    // The driver opens authorization_url (the simulator's checkout page, no credential) and pays there.
    const page = new URL(p.client!.authorization_url!).pathname;
    const shown = await sim<string>(page);
    expect(shown.status).toBe(200);
    expect(shown.body).toContain("Pay NGN 2.40");
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect((await sim(page, { method: "POST", body: "outcome=success", headers: form })).status).toBe(200);
    expect((await sim(page, { method: "POST", body: "outcome=success", headers: form })).status).toBe(400); // paid already
    await paystackWebhook(t.id, secretKey, {
      reference: p.reference,
      amount: 240,
      currency: "NGN",
      metadata: { session_id: s.id },
    });
    expect((await view(t.key, s.id)).paidCents).toBe(240);
    const v = await json<any>(await verify(t.key, p.reference!));
    expect(v.data).toMatchObject({ status: "success", paid: true });
    expect((await view(t.key, s.id)).paidCents).toBe(240);
    expect(await paymentRows(t.id, p.reference!)).toHaveLength(1);
  });

  it("Paystack needs the driver's email: 422 naming it, nothing written, nothing sent", async () => {
    const t = await city("pps", { paystack: { secretKey: paystackKey() } });
    const s = await session(t);
    const before = (await creations("paystack", "/transaction/initialize")).length;
    const p = await expectProblem(await pay(t.key, s.id), 422);
    expect(p.errors).toEqual([expect.objectContaining({ path: "email" })]);
    expect(await initiations(t.id)).toEqual([]);
    expect((await creations("paystack", "/transaction/initialize")).length).toBe(before);
  });
});

describe("seed 003's POST /v1/payments/initialize", () => {
  it("answers the seed's shape, converts the amount by the currency's exponent, and replays by Idempotency-Key", async () => {
    const secretKey = paystackKey();
    const t = await city("pin", { paystack: { secretKey } }, { currency: "NGN" });
    const s = await session(t);
    const body = {
      ...seedInitRequest,
      reference: `TKT-${Date.now()}-${uniq(8)}`,
      metadata: { ...seedInitRequest.metadata, sessionId: s.id },
    };
    const before = (await creations("paystack", "/transaction/initialize")).length;
    const res = await call("/v1/payments/initialize", { key: t.key, body, headers: { "idempotency-key": "seed-003" } });
    expect(res.status).toBe(200);
    const r = await json<any>(res);
    expect(Object.keys(r)).toEqual(Object.keys(seedInitResponse));
    expect(Object.keys(r.data)).toEqual(Object.keys(seedInitResponse.data));
    expect(r).toMatchObject({ status: true, message: seedInitResponse.message, data: { reference: body.reference } });
    const atPaystack = await sim<any>(`/paystack/transaction/verify/${body.reference}`, {
      headers: { authorization: `Bearer ${secretKey}` },
    });
    expect(atPaystack.body.data).toMatchObject({ amount: 240, currency: "NGN" }); // 2.40 NGN is 240 kobo

    const again = await call("/v1/payments/initialize", { key: t.key, body, headers: { "idempotency-key": "seed-003" } });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(again)).toEqual(r);
    expect((await creations("paystack", "/transaction/initialize")).length).toBe(before + 1);

    // Without the header the reference is the key: the same reference again replays, for another session it is refused.
    const s2 = await session(t);
    const byRef = { ...body, reference: `TKT-${Date.now()}-${uniq(8)}`, metadata: { sessionId: s2.id } };
    const once = await json(await call("/v1/payments/initialize", { key: t.key, body: byRef }));
    expect(await json(await call("/v1/payments/initialize", { key: t.key, body: byRef }))).toEqual(once);
    const s3 = await session(t);
    const reused = await expectProblem(
      await call("/v1/payments/initialize", { key: t.key, body: { ...byRef, metadata: { sessionId: s3.id } } }),
      422,
    );
    expect(reused.errors).toEqual([expect.objectContaining({ location: "body", path: "reference" })]);
    expect((await creations("paystack", "/transaction/initialize")).length).toBe(before + 2);
  });

  it("refuses an unknown currency, an amount of zero or less, more decimals than the currency has, or another amount than owed: 422 naming the field, nothing written", async () => {
    const t = await city("pin", { paystack: { secretKey: paystackKey() } });
    const s = await session(t);
    const before = (await creations("paystack", "/transaction/initialize")).length;
    const base = { email: "driver@example.com", metadata: { sessionId: s.id } };
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: 2.4, currency: "XYZ" }, "currency"],
      [{ amount: 0 }, "amount"],
      [{ amount: -2.4 }, "amount"],
      [{ amount: "2.4", currency: "JPY" }, "amount"], // yen have no minor unit: 240 JPY is owed, "2.4" cannot be yen
      [{ amount: "2.405", currency: "USD" }, "amount"],
      [{ amount: 3 }, "amount"],
    ];
    for (const [extra, field] of cases) {
      const p = await expectProblem(await call("/v1/payments/initialize", { key: t.key, body: { ...base, ...extra } }), 422);
      expect(p.errors?.map((e) => e.path)).toEqual([field]);
    }
    // The same session in yen: 240 minor units are 240 JPY, converted with no decimals, and reach Paystack,
    // which does not take yen: its refusal is a 422 too.
    const yen = await expectProblem(
      await call("/v1/payments/initialize", { key: t.key, body: { ...base, amount: 240, currency: "JPY" } }),
      422,
    );
    expect(yen.detail).toMatch(/paystack refused the payment: Currency not supported/);
    expect(await initiations(t.id)).toEqual([]);
    expect((await creations("paystack", "/transaction/initialize")).length).toBe(before);
  });
});

describe("security", () => {
  let t: Awaited<ReturnType<typeof city>>;
  let s: { id: string };
  beforeAll(async () => {
    t = await city("psec", { stripe: creds.stripe() });
    s = await session(t);
    await addKey(env, `cg_test_${t.id}_reader`, t.id, ["sessions:read"]);
  });

  it("no key: 401; a key without sessions:write: 403; nothing written", async () => {
    await expectProblem(await pay(null, s.id), 401);
    await expectProblem(await pay(`cg_test_${t.id}_reader`, s.id), 403);
    await expectProblem(await call("/v1/payments/verify", { key: null, body: { reference: "x" } }), 401);
    await expectProblem(await call("/v1/payments/verify", { key: `cg_test_${t.id}_reader`, body: { reference: "x" } }), 403);
    await expectProblem(await call("/v1/payments/initialize", { key: `cg_test_${t.id}_reader`, body: seedInitRequest }), 403);
    expect(await initiations(t.id)).toEqual([]);
  });

  it("another tenant's session and another tenant's reference are 404", async () => {
    const p = await json<Payment>(await pay(t.key, s.id));
    await expectProblem(await pay(OTHER_TENANT_ADMIN, s.id), 404);
    await expectProblem(await verify(OTHER_TENANT_ADMIN, p.reference!), 404);
    const other = { ...seedInitRequest, metadata: { sessionId: s.id } };
    await expectProblem(await call("/v1/payments/initialize", { key: OTHER_TENANT_ADMIN, body: other }), 404);
    expect(await initiations("other")).toEqual([]);
  });

  it("the Idempotency-Key header is required; an unknown provider or one not connected is refused", async () => {
    const missing = await expectProblem(await pay(t.key, s.id, {}, null), 422);
    expect(missing.errors?.[0]).toMatchObject({ location: "header" });
    const unknown = await expectProblem(await pay(t.key, s.id, { provider: "twilio" }), 422);
    expect(unknown.errors?.[0]).toMatchObject({ path: "provider" });
    const absent = await expectProblem(await pay(t.key, s.id, { provider: "paystack", email: "d@example.com" }), 409);
    expect(absent.detail).toMatch(/paystack is not connected/);
  });
});
