// Every vendor that sends webhooks, end to end through the worker: connected for the demo tenant through
// the API, then a realistic signed delivery is acknowledged once, a redelivery is a duplicate, a forgery
// is refused, and the queue consumer stores the event under the vendor's id and applies its effect:
// payments and refunds reach D1 and the parking session, an IPS permit.expired revokes the permit, a
// Parkeon meter.status is kept as the meter's state.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  APP,
  OFFICER,
  PLATFORM_ADMIN,
  call,
  createZone,
  expectProblem,
  flatZone,
  issuePermit,
  json,
  newPlate,
  openSession,
  seedIntegrationKeys,
  uniq,
} from "../fixtures";
import { settlementOf } from "../../../src/domain/money";
import { VENDORS } from "../../../src/vendors";
import * as d from "../webhooks/deliveries";
import { citation } from "./sync-vendors";

type Ack = { received: true; id: string; duplicate: boolean };
type EventRow = {
  id: string;
  tenant_id: string;
  provider: string;
  external_id: string;
  type: string;
  status: string;
  headers: string;
  url: string;
  effect: string | null;
  last_error: string | null;
};
type PaymentRow = {
  id: string;
  session_id: string | null;
  amount_cents: number;
  fee_cents: number;
  net_cents: number;
  refunded_cents: number;
  currency: string;
  status: string;
  revenue_account: string | null;
  fee_account: string | null;
};

const FORM = "application/x-www-form-urlencoded";
const urlOf = (provider: string, tenant = "demo") => `${d.ORIGIN}/v1/webhooks/${tenant}/${provider}`;

function post(
  provider: string,
  body: string,
  headers: Record<string, string>,
  o: { tenant?: string; query?: string; contentType?: string; path?: string } = {},
) {
  const path = o.path ?? `/v1/webhooks/${o.tenant ?? "demo"}/${provider}${o.query ?? ""}`;
  return call(path, { key: null, body, headers: { "content-type": o.contentType ?? "application/json", ...headers } });
}

async function accepted(res: Response, duplicate = false): Promise<Ack> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${text}`);
  const ack = JSON.parse(text) as Ack;
  expect(ack).toMatchObject({ received: true, duplicate });
  expect(ack.id).toMatch(/^whe_[A-Za-z0-9]{20}$/);
  return ack;
}

/** The stored event once the queue consumer has finished with it (processed or unhandled). */
async function settled(id: string, timeoutMs = 20_000): Promise<EventRow> {
  const deadline = Date.now() + timeoutMs;
  let row: EventRow | null = null;
  while (Date.now() < deadline) {
    row = await env.DB.prepare("SELECT * FROM webhook_events WHERE id = ?").bind(id).first<EventRow>();
    if (row && (row.status === "processed" || row.status === "unhandled")) return row;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`event ${id} not settled in ${timeoutMs} ms: ${JSON.stringify(row)}`);
}

const paymentsOf = (provider: string, txn: string) =>
  env.DB.prepare("SELECT * FROM payments WHERE tenant_id = 'demo' AND provider = ? AND provider_transaction_id = ?")
    .bind(provider, txn)
    .all<PaymentRow>()
    .then((r) => r.results);

/** Runs `fn` with the worker's expected "signature rejected" warnings kept out of the test output. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  try {
    return await fn();
  } finally {
    warn.mockRestore();
  }
}

async function connect(provider: string, credentials: Record<string, string>, tenantKey = PLATFORM_ADMIN) {
  const res = await call("/v1/integrations/connections", { key: tenantKey, body: { provider, credentials } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`connect ${provider}: ${res.status} ${await res.text()}`);
}

// ---- One realistic, unhandled-by-design delivery per vendor ----

interface Case {
  provider: string;
  credentials: Record<string, string>;
  secret: string;
  sign: d.Signer;
  body: () => string;
  type: string;
  externalId: (body: string) => string | Promise<string>;
  contentType?: string;
  /** Mailchimp's secret rides in the URL. */
  query?: (secret: string) => string;
  /** Vendors that sign no body are forged with a wrong secret instead of a changed body. */
  forgeBySecret?: boolean;
}

const S = (name: string) => `${name}_${uniq(24)}`;
const stripeSecret = `whsec_${uniq(32)}`;
const sendgrid = await d.sendGridKeys();
const iso = () => new Date().toISOString();

const CASES: Case[] = [
  {
    provider: "stripe",
    secret: stripeSecret,
    sign: d.signStripe,
    type: "customer.created",
    credentials: { secretKey: S("sk_test"), webhookSecret: stripeSecret, previousWebhookSecret: `whsec_${uniq(32)}` },
    body: () => d.stripeEvent("customer.created", { id: `cus_${uniq(14)}`, object: "customer", email: "driver@example.com" }),
    externalId: (b) => JSON.parse(b).id,
  },
  {
    provider: "square",
    secret: "sq-signature-key-test",
    sign: d.signSquare,
    type: "order.updated",
    credentials: { accessToken: S("EAAA"), signatureKey: "sq-signature-key-test" },
    body: () => d.squareEvent("order.updated", "order_updated", { id: uniq(24), order_id: uniq(24), state: "OPEN", version: 2 }),
    externalId: (b) => JSON.parse(b).event_id,
  },
  {
    provider: "paystack",
    secret: "sk_test_paystack_curbgate",
    sign: d.signPaystack,
    type: "transfer.success",
    credentials: { secretKey: "sk_test_paystack_curbgate" },
    body: () =>
      d.paystackEvent("transfer.success", {
        id: Number(`7${Date.now() % 1e9}`),
        reference: `TRF_${uniq(12)}`,
        amount: 50000,
        currency: "NGN",
        status: "success",
      }),
    externalId: (b) => `transfer.success:${JSON.parse(b).data.id}`,
  },
  {
    provider: "teller",
    secret: "teller_wh_secret_test",
    sign: d.signParkingVendor("Teller"),
    type: "settlement.completed",
    credentials: { apiKey: S("teller_sk"), webhookSecret: "teller_wh_secret_test" },
    body: () =>
      d.vendorEvent("settlement.completed", {
        batchId: `BATCH-${uniq(6)}`,
        settlementDate: "2024-01-02",
        merchantReference: "STAMFORD-PARK-001",
      }),
    externalId: (b) => JSON.parse(b).id,
  },
  {
    provider: "ips",
    secret: "ips_webhook_test_secret",
    sign: d.signParkingVendor("IPS"),
    // Not among the guide's events, so stored unhandled (violations and shifts have effects: ips-enforcement.test.ts).
    type: "device.status",
    credentials: {
      apiKey: S("ips"),
      secretKey: S("ips_secret"),
      webhookSecret: "ips_webhook_test_secret",
      previousWebhookSecret: "ips_webhook_old_secret",
    },
    body: () => d.vendorEvent("device.status", { deviceId: "handheld_456", batteryLevel: 72, reportedAt: iso() }),
    externalId: (b) => JSON.parse(b).id,
  },
  {
    provider: "parkeon",
    secret: "parkeon_webhook_test_secret",
    sign: d.signParkingVendor("Parkeon"),
    // meter.status has an effect (below); a meter confirming a configuration it downloaded does not.
    type: "meter.config_applied",
    credentials: { apiKey: S("parkeon"), webhookSecret: "parkeon_webhook_test_secret" },
    body: () => d.vendorEvent("meter.config_applied", { meterId: "METER-A1-001", configVersion: 3, appliedAt: iso() }),
    externalId: (b) => JSON.parse(b).id,
  },
  {
    provider: "quickbooks",
    secret: "qbo-verifier-token-test",
    sign: d.signQuickBooks,
    type: "Invoice.Create",
    credentials: { clientId: "ABqbo", clientSecret: S("qbo"), verifierToken: "qbo-verifier-token-test" },
    body: () =>
      JSON.stringify({
        eventNotifications: [
          {
            realmId: "9341455000000",
            dataChangeEvent: { entities: [{ name: "Invoice", id: uniq(4), operation: "Create", lastUpdated: iso() }] },
          },
        ],
      }),
    externalId: (b) => d.sha256Hex(b),
  },
  {
    provider: "mailchimp",
    secret: "mc-url-secret-test",
    sign: d.unsigned,
    type: "subscribe",
    contentType: FORM,
    forgeBySecret: true,
    credentials: { apiKey: `${S("mc")}-us21`, webhookSecret: "mc-url-secret-test" },
    query: (secret) => `?secret=${encodeURIComponent(secret)}`,
    body: () =>
      new URLSearchParams({
        type: "subscribe",
        fired_at: "2024-01-01 12:00:00",
        "data[id]": uniq(10).toLowerCase(),
        "data[list_id]": "a6b5da1054",
        "data[email]": `driver.${uniq(6).toLowerCase()}@example.com`,
        "data[email_type]": "html",
        "data[merges][EMAIL]": "driver@example.com",
      }).toString(),
    externalId: (b) => d.sha256Hex(b),
  },
  {
    provider: "twilio",
    secret: "twilio-auth-token-test",
    sign: d.signTwilio,
    type: "message.delivered",
    contentType: FORM,
    credentials: { accountSid: `AC${uniq(32).toLowerCase()}`, authToken: "twilio-auth-token-test" },
    body: () =>
      new URLSearchParams({
        MessageSid: `SM${uniq(32).toLowerCase()}`,
        SmsSid: `SM${uniq(32).toLowerCase()}`,
        AccountSid: `AC${uniq(32).toLowerCase()}`,
        MessageStatus: "delivered",
        SmsStatus: "delivered",
        From: "+12035550100",
        To: "+12035550199",
        ApiVersion: "2010-04-01",
      }).toString(),
    externalId: (b) => `${new URLSearchParams(b).get("MessageSid")}:delivered`,
  },
  {
    provider: "brevo",
    secret: "brevo-webhook-token-test",
    sign: d.bearer,
    type: "delivered",
    forgeBySecret: true,
    credentials: { apiKey: S("xkeysib"), webhookToken: "brevo-webhook-token-test" },
    body: () =>
      JSON.stringify({
        event: "delivered",
        email: "driver@example.com",
        id: 1234,
        date: "2024-01-01 13:00:00",
        ts: d.nowSeconds(),
        "message-id": `<${uniq(12)}@smtp-relay.mailin.fr>`,
        ts_event: d.nowSeconds(),
        subject: "Your parking session ends in 10 minutes",
        tag: "reminder",
        sending_ip: "185.41.28.109",
        ts_epoch: Date.now(),
      }),
    externalId: (b) => d.sha256Hex(b),
  },
  {
    provider: "sendgrid",
    secret: "",
    sign: sendgrid.sign,
    type: "delivered",
    credentials: { apiKey: S("SG"), webhookVerificationKey: sendgrid.publicKey },
    body: () =>
      JSON.stringify([
        {
          email: "driver@example.com",
          timestamp: d.nowSeconds(),
          "smtp-id": `<${uniq(10)}@ismtpd-555>`,
          event: "delivered",
          category: "reminder",
          sg_event_id: uniq(22),
          sg_message_id: `${uniq(16)}.filter0001`,
          response: "250 OK",
        },
      ]),
    externalId: (b) => JSON.parse(b)[0].sg_event_id,
  },
  {
    provider: "docusign",
    secret: "docusign-connect-hmac-test",
    sign: d.signDocuSign,
    type: "envelope-completed",
    credentials: {
      integrationKey: "ik",
      userId: "uid",
      accountId: "aid",
      privateKey: S("rsa"),
      hmacKey: "docusign-connect-hmac-test",
    },
    body: () =>
      JSON.stringify({
        event: "envelope-completed",
        apiVersion: "v2.1",
        uri: `/restapi/v2.1/accounts/aid/envelopes/${uniq(8)}`,
        retryCount: 0,
        configurationId: 10501,
        generatedDateTime: iso(),
        data: { accountId: "aid", userId: "uid", envelopeId: crypto.randomUUID() },
      }),
    externalId: (b) => {
      const m = JSON.parse(b);
      return `${m.data.envelopeId}:envelope-completed:${m.generatedDateTime}`;
    },
  },
  {
    provider: "zoom",
    secret: "zoom-secret-token-test",
    sign: d.signZoom,
    type: "meeting.started",
    credentials: { accountId: "acc", clientId: "cid", clientSecret: S("zoom"), webhookSecretToken: "zoom-secret-token-test" },
    body: () =>
      JSON.stringify({
        event: "meeting.started",
        event_ts: Date.now(),
        payload: {
          account_id: "acc",
          object: {
            id: uniq(8),
            uuid: uniq(22),
            host_id: uniq(10),
            topic: "Parking board hearing",
            type: 2,
            start_time: iso(),
            timezone: "America/New_York",
            duration: 60,
          },
        },
      }),
    externalId: (b) => d.sha256Hex(b),
  },
];

beforeAll(async () => {
  await seedIntegrationKeys(env);
  for (const c of CASES) await connect(c.provider, c.credentials);
});

describe("POST /v1/webhooks/{tenant}/{provider}: every vendor", () => {
  for (const c of CASES) {
    it(`${c.provider}: a signed ${c.type} is acknowledged once, a forgery refused, and it is stored unhandled`, async () => {
      const body = c.body();
      const url = urlOf(c.provider) + (c.query?.(c.secret) ?? "");
      const headers = await c.sign(c.secret, body, url);
      const send = (b: string, h: Record<string, string>, secret = c.secret) =>
        post(c.provider, b, h, { query: c.query?.(secret), contentType: c.contentType });

      const first = await accepted(await send(body, headers));
      const again = await accepted(await send(body, headers), true);
      expect(again.id).toBe(first.id);

      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      try {
        const forged = c.forgeBySecret
          ? await send(body, await c.sign("not-the-secret", body, url), "not-the-secret")
          : await send(c.contentType === FORM ? `${body}&Injected=1` : `${body} `, headers);
        expect((await expectProblem(forged, 401)).detail).toMatch(/^Signature check failed: /);
        // The refusal is logged with its reason, never with the secret.
        const logged = warn.mock.calls.map((args) => args.join(" ")).join("\n");
        expect(logged).toContain(`"provider":"${c.provider}"`);
        expect(logged).toMatch(/"reason":"(signature|secret|credentials) mismatch"/);
        if (c.secret) expect(logged).not.toContain(c.secret);
      } finally {
        warn.mockRestore();
      }

      const row = await settled(first.id);
      expect(row).toMatchObject({
        tenant_id: "demo",
        provider: c.provider,
        type: c.type,
        status: "unhandled",
        external_id: await c.externalId(body),
      });
      // What operators see never holds the credential: signatures and tokens are masked.
      for (const [name, value] of Object.entries(headers))
        if (/signature|authorization/i.test(name)) expect(row.headers).not.toContain(value);
      if (c.query) expect(row.url).not.toContain(c.secret);
    });
  }

  it("accepts a delivery signed with the previous secret during a rotation, and refuses one signed with neither", async () => {
    const body = d.vendorEvent("enforcement.start_shift", { officerId: "officer_123", deviceId: "handheld_456", zones: ["A1"] });
    await accepted(await post("ips", body, await d.signParkingVendor("IPS")("ips_webhook_old_secret", body, urlOf("ips"))));
    const stale = d.vendorEvent("enforcement.end_shift", { officerId: "officer_123" });
    await quietly(async () =>
      expectProblem(
        await post("ips", stale, await d.signParkingVendor("IPS")("ips_webhook_retired_secret", stale, urlOf("ips"))),
        401,
      ),
    );
  });

  it("serves the default tenant at /api/webhooks/{provider}", async () => {
    const body = d.vendorEvent("citation.paid", { citationNumber: `CIT-${uniq(6)}`, amount: 2500 });
    const ack = await accepted(
      await post("ips", body, await d.signParkingVendor("IPS")("ips_webhook_test_secret", body, ""), {
        path: "/api/webhooks/ips",
      }),
    );
    // An unknown citation number is processed with a note, never retried (ips-enforcement.test.ts pays a real one).
    expect(await settled(ack.id)).toMatchObject({ tenant_id: "demo", type: "citation.paid", status: "processed" });
  });

  it("refuses unknown providers, providers that send no webhooks, and tenants without a connection (404)", async () => {
    const body = d.stripeEvent("customer.created", { id: "cus_x" });
    const headers = await d.signStripe(stripeSecret, body, "");
    await expectProblem(await post("nosuchvendor", body, headers), 404);
    await expectProblem(await post("aims", body, headers), 404);
    await expectProblem(await post("stripe", body, headers, { tenant: "other" }), 404);
    await expectProblem(await post("stripe", body, headers, { tenant: "no-such-city" }), 404);
  });

  it("refuses a body over 1 MiB (413) and a signed body that is not the vendor's delivery (400)", async () => {
    const huge = JSON.stringify({ id: "evt_big", type: "x", data: { object: { pad: "x".repeat(1024 * 1024) } } });
    await expectProblem(await post("stripe", huge, await d.signStripe(stripeSecret, huge, "")), 413);
    const notAnEvent = JSON.stringify({ object: "list", data: [] });
    await expectProblem(await post("stripe", notAnEvent, await d.signStripe(stripeSecret, notAnEvent, "")), 400);
  });

  it("every provider that sends webhooks reads only its own deliveries (null for anything else); aims, gtcs and duncan send none", async () => {
    const withWebhooks = Object.values(VENDORS)
      .filter((p) => p.webhook)
      .map((p) => p.id)
      .sort();
    expect(withWebhooks).toEqual(CASES.map((c) => c.provider).sort());
    expect(
      Object.keys(VENDORS)
        .filter((id) => !withWebhooks.includes(id))
        .sort(),
    ).toEqual(["aims", "duncan", "gtcs"]);
    const junk = [
      "not json",
      "",
      "{}",
      "[]",
      "null",
      JSON.stringify({ id: 1, type: "x" }),
      JSON.stringify([{ id: 1 }]),
      "type=&x=1",
      "a=b",
    ];
    for (const p of Object.values(VENDORS)) {
      for (const body of junk)
        for (const contentType of ["application/json", FORM]) {
          const parsed = await p.webhook?.parse(
            new TextEncoder().encode(body),
            new Headers({ "content-type": contentType }),
            urlOf(p.id),
          );
          if (parsed) throw new Error(`${p.id} read ${JSON.stringify(body)} (${contentType}) as ${JSON.stringify(parsed)}`);
        }
    }
  });

  it("zoom: answers endpoint.url_validation with the HMAC of its plainToken, and stores nothing", async () => {
    const plainToken = uniq(22);
    const body = JSON.stringify({ event: "endpoint.url_validation", event_ts: Date.now(), payload: { plainToken } });
    const res = await post("zoom", body, await d.signZoom("zoom-secret-token-test", body, ""));
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      plainToken,
      encryptedToken: d.hex(await d.hmac("SHA-256", "zoom-secret-token-test", plainToken)),
    });
    await quietly(async () => expectProblem(await post("zoom", body, await d.signZoom("wrong-token", body, "")), 401));
  });
});

// ---- Effects ----

describe("effects of payment, refund, permit and meter events", () => {
  let zone: string;
  beforeAll(async () => {
    zone = (await createZone(flatZone({ name: "Test Webhook Street" }))).code;
  });

  type SessionView = { paidCents: number; endTime: string };
  const sessionView = async (id: string) => json<SessionView>(await call(`/v1/sessions/${id}`, { key: APP }));
  const newSession = () => openSession({ plate: newPlate(), zone, minutes: 30 });
  const minutesBetween = (a: SessionView, b: SessionView) => (Date.parse(b.endTime) - Date.parse(a.endTime)) / 60_000;

  /** Delivers a signed event and waits for the consumer; returns the stored row. */
  async function deliver(provider: string, body: string, sign: d.Signer, secret: string): Promise<EventRow> {
    const ack = await accepted(await post(provider, body, await sign(secret, body, urlOf(provider))));
    return settled(ack.id);
  }
  const stripeDelivery = (type: string, object: Record<string, unknown>) =>
    deliver("stripe", d.stripeEvent(type, object), d.signStripe, stripeSecret);

  it("stripe payment_intent.succeeded records one payment, pays the session and extends it, once", async () => {
    const s = await newSession();
    const before = await sessionView(s.id);
    const pi = `pi_${uniq(24)}`;
    const intent = d.paymentIntent({ id: pi, amount: 1000, fee: 30, metadata: { session_id: s.id, extend_minutes: "15" } });
    const body = d.stripeEvent("payment_intent.succeeded", intent);
    const ack = await accepted(await post("stripe", body, await d.signStripe(stripeSecret, body, "")));
    await accepted(await post("stripe", body, await d.signStripe(stripeSecret, body, "")), true);
    const row = await settled(ack.id);
    expect(row.status).toBe("processed");

    const rows = await paymentsOf("stripe", pi);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      session_id: s.id,
      amount_cents: 1000,
      fee_cents: 30,
      net_cents: 970,
      currency: "USD",
      status: "succeeded",
    });
    const after = await sessionView(s.id);
    expect(after.paidCents).toBe(before.paidCents + 1000);
    expect(minutesBetween(before, after)).toBe(15);

    // The same fact under another event id (a resend) pays and extends nothing more.
    expect((await stripeDelivery("payment_intent.succeeded", intent)).status).toBe("processed");
    expect(await paymentsOf("stripe", pi)).toHaveLength(1);
    expect(await sessionView(s.id)).toMatchObject({ paidCents: after.paidCents, endTime: after.endTime });

    // A failure of an earlier attempt on the same intent, arriving late, does not undo the success.
    await stripeDelivery("payment_intent.payment_failed", { ...intent, status: "requires_payment_method", amount_received: 0 });
    expect((await paymentsOf("stripe", pi))[0]).toMatchObject({ status: "succeeded", amount_cents: 1000 });
  });

  it("stripe charge.refunded counts each listed refund once, and a running amount_refunded without a list never double counts", async () => {
    const listed = `pi_${uniq(24)}`;
    await stripeDelivery("payment_intent.succeeded", d.paymentIntent({ id: listed, amount: 1000 }));
    const charge = (pi: string, amountRefunded: number, refunds?: { id: string; amount: number }[]) => ({
      id: `ch_${pi.slice(3)}`,
      object: "charge",
      amount: 1000,
      amount_refunded: amountRefunded,
      payment_intent: pi,
      refunded: amountRefunded === 1000,
      ...(refunds
        ? { refunds: { object: "list", data: refunds.map((r) => ({ ...r, object: "refund", status: "succeeded" })) } }
        : {}),
    });
    const re1 = { id: `re_${uniq(24)}`, amount: 250 };
    await stripeDelivery("charge.refunded", charge(listed, 250, [re1]));
    expect((await paymentsOf("stripe", listed))[0]).toMatchObject({ refunded_cents: 250, status: "partially_refunded" });
    await stripeDelivery("charge.refunded", charge(listed, 1000, [re1, { id: `re_${uniq(24)}`, amount: 750 }]));
    expect((await paymentsOf("stripe", listed))[0]).toMatchObject({ refunded_cents: 1000, status: "refunded" });

    const unlisted = `pi_${uniq(24)}`;
    await stripeDelivery("payment_intent.succeeded", d.paymentIntent({ id: unlisted, amount: 1000 }));
    await stripeDelivery("charge.refunded", charge(unlisted, 300));
    await stripeDelivery("charge.refunded", charge(unlisted, 500));
    expect((await paymentsOf("stripe", unlisted))[0]).toMatchObject({ refunded_cents: 500, status: "partially_refunded" });
  });

  it("square payment events follow the payment to COMPLETED (fee from processing_fee) and confirm the session in reference_id; refunds count when COMPLETED", async () => {
    const s = await newSession();
    const before = await sessionView(s.id);
    const id = uniq(29);
    const payment = (status: string, fee?: number) => ({
      id,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
      amount_money: { amount: 500, currency: "USD" },
      total_money: { amount: 500, currency: "USD" },
      status,
      source_type: "CARD",
      location_id: "L88917AVBK2S5",
      order_id: uniq(29),
      reference_id: s.id,
      ...(fee === undefined
        ? {}
        : {
            processing_fee: [
              { effective_at: new Date().toISOString(), type: "INITIAL", amount_money: { amount: fee, currency: "USD" } },
            ],
          }),
    });
    const square = (type: string, kind: string, object: Record<string, unknown>) =>
      deliver("square", d.squareEvent(type, kind, object), d.signSquare, "sq-signature-key-test");

    await square("payment.created", "payment", payment("APPROVED"));
    expect((await paymentsOf("square", id))[0]).toMatchObject({ status: "pending", amount_cents: 500 });
    expect((await sessionView(s.id)).paidCents).toBe(before.paidCents);

    await square("payment.updated", "payment", payment("COMPLETED", 45));
    expect(await paymentsOf("square", id)).toEqual([
      expect.objectContaining({ status: "succeeded", amount_cents: 500, fee_cents: 45, net_cents: 455, session_id: s.id }),
    ]);
    expect((await sessionView(s.id)).paidCents).toBe(before.paidCents + 500);

    const refund = (status: string) => ({
      id: `${id}_${uniq(8)}`,
      status,
      amount_money: { amount: 200, currency: "USD" },
      payment_id: id,
      location_id: "L88917AVBK2S5",
      reason: "Ended early",
    });
    const pending = refund("PENDING");
    expect(JSON.parse((await square("refund.created", "refund", pending)).effect!)).toMatchObject({ refundStatus: "PENDING" });
    expect((await paymentsOf("square", id))[0]!.refunded_cents).toBe(0);
    await square("refund.updated", "refund", { ...pending, status: "COMPLETED" });
    expect((await paymentsOf("square", id))[0]).toMatchObject({ refunded_cents: 200, status: "partially_refunded" });
  });

  it("paystack charge.success (keyed by reference) pays and extends the session in metadata; refund.processed refunds it", async () => {
    const s = await newSession();
    const before = await sessionView(s.id);
    const reference = `T${uniq(15)}`;
    await deliver(
      "paystack",
      d.paystackEvent("charge.success", {
        id: Number(`4${Date.now() % 1e9}`),
        domain: "test",
        status: "success",
        reference,
        amount: 500,
        currency: "USD",
        gateway_response: "Successful",
        paid_at: new Date().toISOString(),
        channel: "card",
        fees: 20,
        metadata: { session_id: s.id, extend_minutes: 15 },
        customer: { id: 239551424, email: "driver@example.com", customer_code: "CUS_edn4wbf00pc" },
        authorization: { authorization_code: "AUTH_7k5skwmhxu", last4: "4081" },
      }),
      d.signPaystack,
      "sk_test_paystack_curbgate",
    );
    expect(await paymentsOf("paystack", reference)).toEqual([
      expect.objectContaining({ amount_cents: 500, fee_cents: 20, net_cents: 480, status: "succeeded", session_id: s.id }),
    ]);
    const after = await sessionView(s.id);
    expect(after.paidCents).toBe(before.paidCents + 500);
    expect(minutesBetween(before, after)).toBe(15);

    await deliver(
      "paystack",
      d.paystackEvent("refund.processed", {
        status: "processed",
        transaction_reference: reference,
        refund_reference: String(Date.now()),
        amount: "500",
        currency: "USD",
        processor: "mpgs_zen",
        integration: 412829,
        domain: "test",
      }),
      d.signPaystack,
      "sk_test_paystack_curbgate",
    );
    expect((await paymentsOf("paystack", reference))[0]).toMatchObject({ refunded_cents: 500, status: "refunded" });
  });

  it("teller payment.completed (the Stamford guide's shape) records fee, net and accounting accounts and pays the session; refund.completed refunds", async () => {
    const s = await newSession();
    const before = await sessionView(s.id);
    const txn = `teller_txn_${uniq(8)}`;
    const teller = (type: string, data: Record<string, unknown>) =>
      deliver("teller", d.vendorEvent(type, data), d.signParkingVendor("Teller"), "teller_wh_secret_test");
    await teller("payment.completed", {
      paymentId: `park_payment_${uniq(6)}`,
      tellerTransactionId: txn,
      status: "COMPLETED",
      amount: 475,
      netAmount: 450,
      processingFee: 25,
      timestamp: new Date().toISOString(),
      confirmation: { number: "PARK-2024-000123", receiptUrl: "https://receipts.teller.io/park_payment_123" },
      accounting: { revenueAccount: "4100-PARKING-REVENUE", feeAccount: "5200-PROCESSING-FEES", batchId: "BATCH-2024-001-001" },
      reconciliation: { settlementDate: "2024-01-02", merchantReference: "STAMFORD-PARK-001" },
      metadata: { sessionId: s.id, zoneNumber: zone, licensePlate: s.plate, municipality: "stamford", department: "parking" },
    });
    expect(await paymentsOf("teller", txn)).toEqual([
      expect.objectContaining({
        amount_cents: 475,
        fee_cents: 25,
        net_cents: 450,
        currency: "USD",
        status: "succeeded",
        session_id: s.id,
        revenue_account: "4100-PARKING-REVENUE",
        fee_account: "5200-PROCESSING-FEES",
      }),
    ]);
    expect((await sessionView(s.id)).paidCents).toBe(before.paidCents + 475);

    await teller("refund.completed", {
      refundId: `refund_${uniq(6)}`,
      originalPaymentId: "park_payment_123",
      tellerTransactionId: txn,
      refundAmount: 238,
      reason: "EARLY_SESSION_END",
    });
    expect((await paymentsOf("teller", txn))[0]).toMatchObject({ refunded_cents: 238, status: "partially_refunded" });
  });

  it("the demo tenant's routing (5 %, 18:00 New York) splits a Stripe and a Teller payment that report no fee, settles them, and refund fee shares add up", async () => {
    const refundFees = (paymentId: string) =>
      env.DB.prepare("SELECT amount_cents, fee_cents FROM payment_refunds WHERE payment_id = ? ORDER BY created_at, amount_cents")
        .bind(paymentId)
        .all<{ amount_cents: number; fee_cents: number }>()
        .then((r) => r.results);
    const pi = `pi_${uniq(24)}`;
    await stripeDelivery("payment_intent.succeeded", d.paymentIntent({ id: pi, amount: 475 })); // application_fee_amount null
    const [stripeRow] = (await paymentsOf("stripe", pi)) as (PaymentRow & {
      paid_at: number;
      settlement_date: string;
      settlement_batch: string;
    })[];
    const settlement = settlementOf(stripeRow!.paid_at, "18:00", "America/New_York");
    expect(stripeRow).toMatchObject({
      amount_cents: 475,
      fee_cents: 24, // 5 % of 475 = 23.75, half up
      net_cents: 451,
      revenue_account: "4100-PARKING-REVENUE",
      fee_account: "5200-PROCESSING-FEES",
      settlement_date: settlement.settlementDate,
      settlement_batch: settlement.batchId,
    });

    const txn = `teller_txn_${uniq(8)}`;
    const teller = (type: string, data: Record<string, unknown>) =>
      deliver("teller", d.vendorEvent(type, data), d.signParkingVendor("Teller"), "teller_wh_secret_test");
    await teller("payment.completed", { tellerTransactionId: txn, status: "COMPLETED", amount: 1000 }); // no fee, no accounts
    const [tellerRow] = await paymentsOf("teller", txn);
    expect(tellerRow).toMatchObject({ fee_cents: 50, net_cents: 950, fee_account: "5200-PROCESSING-FEES" });

    // Three partial refunds of the Teller payment: 333 → 17 (16.65), 333 → 17, the rest (334) takes the 16 left.
    for (const amount of [333, 333, 334])
      await teller("refund.completed", { refundId: `refund_${uniq(6)}`, tellerTransactionId: txn, refundAmount: amount });
    const shares = await refundFees(tellerRow!.id);
    expect(shares).toEqual([
      { amount_cents: 333, fee_cents: 17 },
      { amount_cents: 333, fee_cents: 17 },
      { amount_cents: 334, fee_cents: 16 },
    ]);
    expect(shares.reduce((sum, r) => sum + r.fee_cents, 0)).toBe(tellerRow!.fee_cents);
  });

  it("a payment that names a citation (Stripe metadata.citation_number, Teller metadata.citationNumber) pays it once; a second payment is a duplicate", async () => {
    const c = await citation("demo", { fineCents: 2500 });
    const pi = `pi_${uniq(24)}`;
    const paid = await stripeDelivery(
      "payment_intent.succeeded",
      d.paymentIntent({ id: pi, amount: 2500, metadata: { citation_number: c.number } }),
    );
    expect(JSON.parse(paid.effect!)).toMatchObject({ citation: { citation: c.id, status: "paid" } });
    const steps = () =>
      env.DB.prepare("SELECT action, actor, reason FROM citation_transitions WHERE citation_id = ?").bind(c.id).all();
    expect((await steps()).results).toEqual([{ action: "pay", actor: "vendor:stripe", reason: `${pi} (2500 cents reported)` }]);
    expect(await paymentsOf("stripe", pi)).toEqual([expect.objectContaining({ amount_cents: 2500, session_id: null })]);

    const txn = `teller_txn_${uniq(8)}`;
    const again = await deliver(
      "teller",
      d.vendorEvent("payment.completed", {
        tellerTransactionId: txn,
        status: "COMPLETED",
        amount: 2500,
        netAmount: 2450,
        processingFee: 50,
        metadata: { citationNumber: c.number },
      }),
      d.signParkingVendor("Teller"),
      "teller_wh_secret_test",
    );
    expect(JSON.parse(again.effect!)).toMatchObject({ citation: { citation: c.id, status: "paid", duplicate: true } });
    expect((await steps()).results).toHaveLength(1);
    // The money is still recorded: the city refunds or reconciles the second payment.
    expect(await paymentsOf("teller", txn)).toHaveLength(1);
  });

  it("a payment naming another tenant's citation or no known citation pays nothing", async () => {
    const theirs = await citation("other", {});
    const pi = `pi_${uniq(24)}`;
    const r = await stripeDelivery(
      "payment_intent.succeeded",
      d.paymentIntent({ id: pi, amount: 2500, metadata: { citation_number: theirs.number } }),
    );
    expect(JSON.parse(r.effect!)).toMatchObject({ citation: { citation: null, note: "no such citation" } });
    const row = await env.DB.prepare("SELECT status FROM citations WHERE id = ?").bind(theirs.id).first<{ status: string }>();
    expect(row?.status).toBe("issued");
  });

  it("ips permit.expired revokes the permit, and the very next plate check no longer counts it", async () => {
    const plate = newPlate();
    const permit = await issuePermit({ plate, zones: [zone] });
    const verdict = async () =>
      (await json<{ status: string }>(await call("/v1/verify", { key: OFFICER, body: { plate, zone } }))).status;
    expect(await verdict()).toBe("PERMITTED");

    const row = await deliver(
      "ips",
      d.vendorEvent("permit.expired", {
        permitNumber: permit.number,
        licensePlate: plate,
        state: "CT",
        expiredAt: new Date().toISOString(),
      }),
      d.signParkingVendor("IPS"),
      "ips_webhook_test_secret",
    );
    expect(row.status).toBe("processed");
    expect(JSON.parse(row.effect!)).toMatchObject({ permit: permit.id, number: permit.number, status: "revoked" });
    expect(await verdict()).not.toBe("PERMITTED");
    expect(await env.DB.prepare("SELECT status FROM permits WHERE id = ?").bind(permit.id).first()).toEqual({
      status: "revoked",
    });
  });

  it("parkeon meter.status keeps the meter's state as POST /api/parkeon/meter-status does; an unknown meter is noted", async () => {
    const meterId = `METER-W-${uniq(6)}`;
    expect((await call("/v1/meters", { key: PLATFORM_ADMIN, body: { id: meterId, zone } })).status).toBe(201);
    const status = (id: string) => ({
      meterId: id,
      zoneNumber: zone,
      status: { operational: false, spaceOccupied: true, timeRemaining: 600 },
      diagnostics: { batteryLevel: 50 },
    });
    const parkeon = (data: Record<string, unknown>) =>
      deliver("parkeon", d.vendorEvent("meter.status", data), d.signParkingVendor("Parkeon"), "parkeon_webhook_test_secret");

    const row = await parkeon(status(meterId));
    expect(row.status).toBe("processed");
    expect(JSON.parse(row.effect!)).toEqual({ meter: meterId, zone, alerts: ["fault"], raised: ["fault"], stale: false });
    const meter = await json<{ status: Record<string, unknown>; alerts: string[] }>(
      await call(`/v1/meters/${meterId}`, { key: OFFICER }),
    );
    expect(meter.status).toMatchObject({ operational: false, spaceOccupied: true, timeRemaining: 600, batteryPercent: 50 });
    expect(meter.alerts).toEqual(["fault"]);

    const unknown = await parkeon(status(`METER-W-${uniq(6)}`));
    expect(unknown.status).toBe("processed");
    expect(JSON.parse(unknown.effect!).note).toMatch(/is not registered/);
  });
});
