// The simulator sends webhooks back: a payment or a refund made at the simulated Stripe (a refund through
// a real sync job) reaches Curbgate's webhook route through the CURBGATE binding, signed as Stripe signs,
// and is accepted, processed once and applied; refusals are retried with backoff and every attempt is
// recorded; a resend is a duplicate; endpoints belong to one account and never show their secret.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN, OFFICER, PLATFORM_ADMIN, call, issuePermit, json, newPlate, seedIntegrationKeys } from "../fixtures";
import { connectTo, creds, settled, sim, startSync, stripeIntent, syncTenant } from "../sync/fixtures";

type Attempt = { at: number; status: number | null; response?: string; error?: string };
type Delivery = {
  id: string;
  provider: string;
  account: string;
  eventId: string;
  type: string;
  status: string;
  attempts: Attempt[];
  resendOf: string | null;
  body: string;
  url: string;
};
type EventRow = { id: string; external_id: string; type: string; status: string; effect: string | null };
type PaymentRow = { amount_cents: number; refunded_cents: number; status: string };

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const hookUrl = (tenant: string, provider = "stripe") => `http://curbgate.local/v1/webhooks/${tenant}/${provider}`;

const register = (provider: string, body: Record<string, unknown>) =>
  sim(`/_control/webhooks/${provider}`, { method: "PUT", body });
const deliveries = async (q: string) => (await sim<{ data: Delivery[] }>(`/_control/deliveries?${q}`)).body.data;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** The delivery of `type` to `url` once it is no longer pending. */
const finished = (url: string, type: string) =>
  until(`${type} delivery to ${url}`, async () =>
    (await deliveries(`type=${type}`)).find((d) => d.url === url && d.status !== "pending"),
  );
const eventsOf = (tenant: string, externalId: string) =>
  env.DB.prepare("SELECT * FROM webhook_events WHERE tenant_id = ? AND provider = 'stripe' AND external_id = ?")
    .bind(tenant, externalId)
    .all<EventRow>()
    .then((r) => r.results);
const processed = (tenant: string, externalId: string) =>
  until(`event ${externalId} processed`, async () => (await eventsOf(tenant, externalId)).find((e) => e.status === "processed"));
const payment = (tenant: string, txn: string) =>
  env.DB.prepare("SELECT * FROM payments WHERE tenant_id = ? AND provider = 'stripe' AND provider_transaction_id = ?")
    .bind(tenant, txn)
    .first<PaymentRow>();

beforeAll(() => seedIntegrationKeys(env));

describe("the simulated Stripe sends webhooks to Curbgate", () => {
  it("a refund made by a sync job comes back as charge.refunded, accepted, processed once, and the payment is refunded", async () => {
    const t = await syncTenant("swh");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    const url = hookUrl(t.id);
    expect(
      (
        await register("stripe", {
          account: c.secretKey,
          url,
          secret: c.webhookSecret,
          events: ["payment_intent.succeeded", "charge.refunded"],
          retryBaseMs: 200,
        })
      ).status,
    ).toBe(200);

    const pi = await stripeIntent(c.secretKey, 1500);
    const paid = await finished(url, "payment_intent.succeeded");
    expect(paid).toMatchObject({ status: "delivered", attempts: [{ status: 200 }] });
    await processed(t.id, paid.eventId);
    expect(await payment(t.id, pi)).toMatchObject({ amount_cents: 1500, refunded_cents: 0, status: "succeeded" });

    // Two partial refunds through real sync jobs: Stripe's running total (amount_refunded) is 500, then 1500.
    for (const amount of [500, 1000]) {
      const job = await startSync(t.key, "stripe", {
        entity: "payments",
        direction: "push",
        params: { paymentIntent: pi, amount },
      });
      expect((await settled(t.key, "stripe", job.id)).status).toBe("succeeded");
      await until(
        "charge.refunded",
        async () =>
          (await deliveries("type=charge.refunded")).filter((d) => d.url === url && d.status === "delivered").length ===
          (amount === 500 ? 1 : 2),
      );
    }
    const refunds = (await deliveries("type=charge.refunded")).filter((d) => d.url === url);
    for (const d of refunds) {
      expect(d.attempts).toEqual([expect.objectContaining({ status: 200 })]); // the signature checked on the first try
      expect(JSON.parse(d.attempts[0]!.response!)).toMatchObject({ received: true, duplicate: false });
      await processed(t.id, d.eventId);
      expect(await eventsOf(t.id, d.eventId)).toHaveLength(1);
    }
    const bodies = refunds.map((d) => JSON.parse(d.body));
    expect(bodies.map((b) => [b.data.object.amount_refunded, b.data.previous_attributes.amount_refunded])).toEqual([
      [500, 0],
      [1500, 500],
    ]);
    expect(bodies[1]).toMatchObject({
      object: "event",
      type: "charge.refunded",
      livemode: false,
      data: { object: { object: "charge", payment_intent: pi, refunded: true } },
    });
    // The event names the request that caused it, by the idempotency key the connector sent.
    expect(bodies[0].request.idempotency_key).toMatch(/refund/);
    expect(await payment(t.id, pi)).toMatchObject({ refunded_cents: 1500, status: "refunded" });
  });

  it("a delivery Curbgate refuses (tenant not connected yet) is retried and accepted once connected; a resend is a duplicate, processed once", async () => {
    const t = await syncTenant("swr");
    const c = creds.stripe();
    const url = hookUrl(t.id);
    await register("stripe", {
      account: c.secretKey,
      url,
      secret: c.webhookSecret,
      events: ["payment_intent.succeeded"],
      maxAttempts: 6,
      retryBaseMs: 400,
    });
    const pi = await stripeIntent(c.secretKey, 900);
    await until("a refused first attempt", async () =>
      (await deliveries("type=payment_intent.succeeded")).find((d) => d.url === url && d.attempts.length > 0),
    );
    await connectTo(t.key, "stripe", c);

    const d = await finished(url, "payment_intent.succeeded");
    expect(d.status).toBe("delivered");
    expect(d.attempts[0]!.status).toBe(404);
    expect(d.attempts.at(-1)!.status).toBe(200);
    const firstAck = JSON.parse(d.attempts.at(-1)!.response!);
    await processed(t.id, d.eventId);

    const again = await sim<Delivery>(`/_control/deliveries/${d.id}/resend`, { method: "POST" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ resendOf: d.id, eventId: d.eventId, status: "delivered", attempts: [{ status: 200 }] });
    expect(JSON.parse(again.body.attempts[0]!.response!)).toEqual({ received: true, id: firstAck.id, duplicate: true });
    expect(await eventsOf(t.id, d.eventId)).toHaveLength(1);
    expect(await payment(t.id, pi)).toMatchObject({ amount_cents: 900, status: "succeeded" });
    expect((await sim("/_control/deliveries/dlv_nosuchdelivery00/resend", { method: "POST" })).status).toBe(404);
  });

  it("a receiver that refuses is retried with doubling waits and every attempt recorded: a wrong secret (401) and an unreachable URL", async () => {
    const t = await syncTenant("swf");
    const c = creds.stripe();
    await connectTo(t.key, "stripe", c);
    const url = hookUrl(t.id);
    await register("stripe", {
      account: c.secretKey,
      url,
      secret: "whsec_not_the_one_curbgate_has",
      events: ["payment_intent.succeeded"],
      maxAttempts: 3,
      retryBaseMs: 150,
    });
    await stripeIntent(c.secretKey, 700);
    const refused = await finished(url, "payment_intent.succeeded");
    expect(refused.status).toBe("failed");
    expect(refused.attempts.map((a) => a.status)).toEqual([401, 401, 401]);
    const [a, b, d] = refused.attempts.map((x) => x.at);
    expect(b! - a!).toBeGreaterThanOrEqual(150);
    expect(d! - b!).toBeGreaterThanOrEqual(300);
    expect(await eventsOf(t.id, refused.eventId)).toHaveLength(0);

    const c2 = creds.stripe();
    const nowhere = "http://127.0.0.1:9/unreachable"; // nothing listens: connection refused (workerd logs it loudly)
    await register("stripe", {
      account: c2.secretKey,
      url: nowhere,
      secret: c2.webhookSecret,
      events: ["*"],
      maxAttempts: 2,
      retryBaseMs: 50,
    });
    await stripeIntent(c2.secretKey, 700);
    const lost = await finished(nowhere, "payment_intent.succeeded");
    expect(lost.status).toBe("failed");
    expect(lost.attempts).toHaveLength(2);
    expect(lost.attempts.every((x) => x.status === null && !!x.error)).toBe(true);
    // "*" sends every event Stripe raises for a paid intent.
    expect(
      (await deliveries("provider=stripe"))
        .filter((x) => x.url === nowhere)
        .map((x) => x.type)
        .sort(),
    ).toEqual(["charge.succeeded", "payment_intent.succeeded"]);
  });
});

describe("webhook endpoints", () => {
  it("Stripe's POST /v1/webhook_endpoints returns a whsec_ secret once; events signed with it are accepted", async () => {
    const t = await syncTenant("swe");
    const key = creds.stripe().secretKey;
    const auth = { ...FORM, authorization: `Bearer ${key}` };
    const form = new URLSearchParams([
      ["url", hookUrl(t.id)],
      ["enabled_events[]", "payment_intent.succeeded"],
      ["enabled_events[]", "charge.refunded"],
    ]);
    const created = await sim("/stripe/v1/webhook_endpoints", { method: "POST", headers: auth, body: form.toString() });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      object: "webhook_endpoint",
      enabled_events: ["payment_intent.succeeded", "charge.refunded"],
      status: "enabled",
      url: hookUrl(t.id),
    });
    expect(created.body.id).toMatch(/^we_/);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    await connectTo(t.key, "stripe", { secretKey: key, webhookSecret: created.body.secret });

    const pi = await stripeIntent(key, 1200);
    const d = await finished(hookUrl(t.id), "payment_intent.succeeded");
    expect(d).toMatchObject({ status: "delivered", attempts: [{ status: 200 }] });
    await processed(t.id, d.eventId);
    expect(await payment(t.id, pi)).toMatchObject({ status: "succeeded" });

    const listed = await sim("/stripe/v1/webhook_endpoints", { headers: auth });
    expect(listed.body.data.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(
      (await sim("/stripe/v1/webhook_endpoints", { method: "POST", headers: auth, body: "url=https://example.test/x" })).body
        .error,
    ).toMatchObject({ code: "parameter_missing", param: "enabled_events" });
    expect(
      (
        await sim("/stripe/v1/webhook_endpoints", {
          method: "POST",
          headers: { ...FORM, authorization: "Bearer pk_test_nope" },
          body: form.toString(),
        })
      ).status,
    ).toBe(401);
    // Another account can neither see nor delete it.
    const other = { ...FORM, authorization: `Bearer ${creds.stripe().secretKey}` };
    expect((await sim("/stripe/v1/webhook_endpoints", { headers: other })).body.data).toEqual([]);
    expect((await sim(`/stripe/v1/webhook_endpoints/${created.body.id}`, { method: "DELETE", headers: other })).status).toBe(404);
    expect((await sim(`/stripe/v1/webhook_endpoints/${created.body.id}`, { method: "DELETE", headers: auth })).body).toEqual({
      id: created.body.id,
      object: "webhook_endpoint",
      deleted: true,
    });
  });

  it("the control registry: one endpoint per account, validated, secret never shown, deleted by account; other accounts' events never reach it", async () => {
    const c = creds.stripe();
    const url = "http://127.0.0.1:9/a";
    const bad = await register("stripe", { account: "pk_test_notasecretkey", url: "ftp://x", events: [] });
    expect(bad.status).toBe(422);
    expect(bad.body.details).toEqual([
      expect.stringContaining("account"),
      expect.stringContaining("url"),
      expect.stringContaining("secret"),
      expect.stringContaining("events"),
    ]);
    expect((await register("twilio", { account: "x", url, secret: "s" })).status).toBe(404);

    await register("stripe", { account: c.secretKey, url: "http://127.0.0.1:9/old", secret: c.webhookSecret });
    const put = await register("stripe", { account: c.secretKey, url, secret: c.webhookSecret, maxAttempts: 1 });
    expect(put.status).toBe(200);
    const mine = (await sim("/_control/webhooks/stripe")).body.data.filter(
      (e: { account: string }) => e.account === put.body.account,
    );
    expect(mine.map((e: { url: string }) => e.url)).toEqual([url]); // replaced, not added
    const shown = JSON.stringify((await sim("/_control/webhooks")).body);
    expect(shown).not.toContain(c.webhookSecret);
    expect(shown).not.toContain(c.secretKey);

    await stripeIntent(creds.stripe().secretKey, 600); // someone else's payment
    expect((await deliveries("provider=stripe")).filter((d) => d.url === url)).toEqual([]);

    const del = await sim("/_control/webhooks/stripe", { method: "DELETE", body: { account: c.secretKey } });
    expect(del.body).toEqual({ provider: "stripe", removed: 1 });
    await stripeIntent(c.secretKey, 600);
    expect((await deliveries("provider=stripe")).filter((d) => d.url === url)).toEqual([]);
  });
});

describe("IPS webhooks", () => {
  it("permit.expired raised at IPS is signed X-IPS-Signature, accepted, and revokes the permit", async () => {
    const ips = creds.ips();
    const res = await call("/v1/integrations/connections", { key: PLATFORM_ADMIN, body: { provider: "ips", credentials: ips } });
    expect([200, 201]).toContain(res.status);
    const url = hookUrl("demo", "ips");
    await register("ips", { account: ips.apiKey, url, secret: ips.webhookSecret, retryBaseMs: 200 });
    const plate = newPlate();
    const permit = await issuePermit({ plate, zones: ["A1"] }, DEMO_ADMIN);
    const verdict = async () =>
      (await json<{ status: string }>(await call("/v1/verify", { key: OFFICER, body: { plate, zone: "A1" } }))).status;
    expect(await verdict()).toBe("PERMITTED");

    const raised = await sim("/_control/events/ips", {
      method: "POST",
      body: { account: ips.apiKey, type: "permit.expired", object: { permitNumber: permit.number, licensePlate: plate } },
    });
    expect(raised.status).toBe(202);
    const d = await finished(url, "permit.expired");
    expect(d).toMatchObject({ status: "delivered", attempts: [{ status: 200 }] });
    expect(JSON.parse(d.body)).toMatchObject({ id: d.eventId, type: "permit.expired", data: { permitNumber: permit.number } });
    await until(
      "the permit revoked",
      async () =>
        (await env.DB.prepare("SELECT status FROM permits WHERE id = ?").bind(permit.id).first<{ status: string }>())?.status ===
        "revoked",
    );
    expect(await verdict()).not.toBe("PERMITTED");
    expect((await sim("/_control/events/ips", { method: "POST", body: { account: ips.apiKey, object: {} } })).status).toBe(422);
  });
});
