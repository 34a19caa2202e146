// Correctly signed vendor deliveries with odd contents, for the webhook half of the fuzz: every vendor
// that sends webhooks, each with its own envelope (the odd value goes where that vendor keeps its event
// id and type, per docs/webhooks.md), signed with test/worker/webhooks/deliveries.ts.
import { uniq } from "../fixtures";
import { send } from "./http";
import * as d from "../webhooks/deliveries";

export const MAX_WEBHOOK_BODY = 1024 * 1024; // docs/webhooks.md: "body over 1 MiB … 413"
const KB = 1024;

export interface Vendor {
  provider: string;
  credentials: Record<string, string>;
  secret: string;
  sign: d.Signer;
  contentType?: string;
  /** Mailchimp's secret rides in the URL. */
  query?: string;
  /** The event type a delivery has when the case does not change it. */
  type: string;
  /** A delivery whose event id and type are `id` and `type` (any JSON value), with `pad` in a data field. */
  delivery(id: unknown, type: unknown, pad: string): string;
}

const FORM = "application/x-www-form-urlencoded";
const now = () => new Date().toISOString();
const form = (fields: Record<string, unknown>) =>
  new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();

export async function webhookVendors(): Promise<Vendor[]> {
  const sendgrid = await d.sendGridKeys();
  const secret = (name: string) => `${name}_fuzz_${uniq(16)}`;
  const vendorHmac = (provider: "ips" | "teller" | "parkeon", label: "IPS" | "Teller" | "Parkeon", type: string): Vendor => {
    const s = secret(provider);
    return {
      provider,
      secret: s,
      sign: d.signParkingVendor(label),
      type,
      credentials: { apiKey: secret("key"), ...(provider === "ips" ? { secretKey: secret("sk") } : {}), webhookSecret: s },
      delivery: (id, t, pad) => JSON.stringify({ id, type: t, timestamp: now(), data: { note: pad } }),
    };
  };
  const stripe = `whsec_${uniq(32)}`;
  const square = secret("square");
  const paystack = secret("paystack");
  const quickbooks = secret("qbo");
  const mailchimp = secret("mc");
  const twilio = secret("twilio");
  const brevo = secret("brevo");
  const docusign = secret("docusign");
  const zoom = secret("zoom");
  return [
    {
      provider: "stripe",
      secret: stripe,
      sign: d.signStripe,
      type: "customer.created",
      credentials: { secretKey: secret("sk_test"), webhookSecret: stripe },
      // Stripe's reader wants "evt_…"; a string id keeps the prefix so the odd part reaches the inbox.
      delivery: (id, type, pad) =>
        d.stripeEvent(
          String(type),
          { id: `cus_${uniq(8)}`, object: "customer", description: pad },
          (typeof id === "string" ? `evt_${id}` : id) as string,
        ),
    },
    {
      provider: "square",
      secret: square,
      sign: d.signSquare,
      type: "order.updated",
      credentials: { accessToken: secret("EAAA"), signatureKey: square },
      delivery: (id, type, pad) =>
        JSON.stringify({
          merchant_id: "ML82H4QPKMGXY",
          type,
          event_id: id,
          created_at: now(),
          data: { type: "order_updated", id: uniq(8), object: { note: pad } },
        }),
    },
    {
      provider: "paystack",
      secret: paystack,
      sign: d.signPaystack,
      type: "transfer.success",
      credentials: { secretKey: paystack },
      delivery: (id, type, pad) =>
        JSON.stringify({ event: type, data: { id, reference: `TRF_${uniq(8)}`, amount: 100, currency: "NGN", reason: pad } }),
    },
    vendorHmac("teller", "Teller", "settlement.completed"),
    vendorHmac("ips", "IPS", "violation.created"),
    vendorHmac("parkeon", "Parkeon", "meter.config_applied"), // meter.status has an effect; the fuzz is about the inbox
    {
      provider: "quickbooks",
      secret: quickbooks,
      sign: d.signQuickBooks,
      type: "qbo.invoice.created.v1",
      credentials: { clientId: "ABqbo", clientSecret: secret("qbo"), verifierToken: quickbooks },
      delivery: (id, type, pad) =>
        JSON.stringify([
          { specversion: "1.0", id, type, source: "intuit.fuzz", time: now(), intuitentityid: "1", data: { memo: pad } },
        ]),
    },
    {
      provider: "mailchimp",
      secret: mailchimp,
      sign: d.unsigned,
      type: "subscribe",
      contentType: FORM,
      query: `?secret=${mailchimp}`,
      credentials: { apiKey: `${secret("mc")}-us21`, webhookSecret: mailchimp },
      delivery: (id, type, pad) =>
        form({
          type,
          fired_at: "2024-01-01 12:00:00",
          "data[id]": id,
          "data[email]": "driver@example.com",
          "data[merges][NOTE]": pad,
        }),
    },
    {
      provider: "twilio",
      secret: twilio,
      sign: d.signTwilio,
      type: "delivered",
      contentType: FORM,
      credentials: { accountSid: `AC${uniq(32).toLowerCase()}`, authToken: twilio },
      delivery: (id, type, pad) =>
        form({ MessageSid: id, MessageStatus: type, AccountSid: "AC0", From: "+12035550100", To: "+12035550199", Body: pad }),
    },
    {
      provider: "brevo",
      secret: brevo,
      sign: d.bearer,
      type: "delivered",
      credentials: { apiKey: secret("xkeysib"), webhookToken: brevo },
      delivery: (id, type, pad) =>
        JSON.stringify({
          event: type,
          id,
          email: "driver@example.com",
          "message-id": id,
          ts_event: d.nowSeconds(),
          subject: pad,
        }),
    },
    {
      provider: "sendgrid",
      secret: "",
      sign: sendgrid.sign,
      type: "delivered",
      credentials: { apiKey: secret("SG"), webhookVerificationKey: sendgrid.publicKey },
      delivery: (id, type, pad) =>
        JSON.stringify([{ email: "driver@example.com", timestamp: d.nowSeconds(), event: type, sg_event_id: id, reason: pad }]),
    },
    {
      provider: "docusign",
      secret: docusign,
      sign: d.signDocuSign,
      type: "envelope-completed",
      credentials: { integrationKey: "ik", userId: "uid", accountId: "aid", privateKey: secret("rsa"), hmacKey: docusign },
      delivery: (id, type, pad) =>
        JSON.stringify({
          event: type,
          apiVersion: "v2.1",
          generatedDateTime: now(),
          data: { accountId: "aid", envelopeId: id, emailSubject: pad },
        }),
    },
    {
      provider: "zoom",
      secret: zoom,
      sign: d.signZoom,
      type: "meeting.started",
      credentials: { accountId: "acc", clientId: "cid", clientSecret: secret("zoom"), webhookSecretToken: zoom },
      // plainToken is what Zoom's URL validation is answered from, so odd ids reach the handshake too.
      delivery: (id, type, pad) =>
        JSON.stringify({ event: type, event_ts: Date.now(), payload: { plainToken: id, object: { id, topic: pad } } }),
    },
  ];
}

export interface OddDelivery {
  label: string;
  body: string;
  /** The one answer this delivery may get, when it is not simply "2xx or 4xx". */
  expect?: number;
  /** Its id or type holds a lone UTF-16 surrogate. */
  loneSurrogate: boolean;
}

const ODD_IDS: readonly [string, unknown][] = [
  ["lone high surrogate", "\ud800"],
  ["lone low surrogate inside text", "a\udc00b"],
  ["reversed surrogate pair", "\udfff\ud800"],
  ["empty", ""],
  ["10 KB", "i".repeat(10 * KB)],
  ["100 KB", "i".repeat(100 * KB)],
  ["number", 12345],
  ["1e308", 1e308],
  ["object", { id: "x" }],
  ["array", ["x"]],
  ["null", null],
  ["control characters", "\u0000\u0001\u001f\u007f"],
  ["90 KB of control characters", "\u0001".repeat(15 * KB)],
  ["unicode", "日本語🚗\u202e"],
  ["path-like", "../../x%00"],
];
const ODD_TYPES: readonly [string, unknown][] = [
  ["100 KB type", "t".repeat(100 * KB)],
  ["lone surrogate type", "\ud800"],
  ["empty type", ""],
  ["control-character type", "\u0000\u001f"],
  ["numeric type", 7],
  ["Zoom's URL validation type", "endpoint.url_validation"],
];

const lone = (v: unknown) => typeof v === "string" && /\p{Cs}/u.test(v);

/** The odd deliveries for one vendor; a fresh default id per case, so no case is a duplicate of another. */
export function oddDeliveries(v: Vendor): OddDelivery[] {
  const fresh = () => `fz${uniq(12)}`;
  const cases: OddDelivery[] = [
    ...ODD_IDS.map(([label, id]) => ({ label: `id: ${label}`, body: v.delivery(id, v.type, "x"), loneSurrogate: lone(id) })),
    ...ODD_TYPES.map(([label, type]) => ({ label, body: v.delivery(fresh(), type, "x"), loneSurrogate: lone(type) })),
    {
      label: "90 KB of escaped control characters in a data field",
      body: v.delivery(fresh(), v.type, "\u0001".repeat(15 * KB)),
      loneSurrogate: false,
    },
    {
      label: "95 KB of escaped quotes in a data field",
      body: v.delivery(fresh(), v.type, '"'.repeat(47 * KB)),
      loneSurrogate: false,
    },
  ];
  const sized = (extra: number) => {
    const id = fresh();
    const overhead = new TextEncoder().encode(v.delivery(id, v.type, "")).byteLength;
    return v.delivery(id, v.type, "p".repeat(MAX_WEBHOOK_BODY - overhead + extra));
  };
  cases.push(
    { label: "1 MiB less 64 bytes", body: sized(-64), expect: 200, loneSurrogate: false },
    { label: "1 MiB and one byte", body: sized(1), expect: 413, loneSurrogate: false },
  );
  return cases;
}

/** Posts `body` to the vendor's webhook URL for the demo tenant, signed the way the vendor signs. */
export async function deliver(v: Vendor, body: string): Promise<{ path: string; res: Response }> {
  const path = `/v1/webhooks/demo/${v.provider}${v.query ?? ""}`;
  const headers = {
    "content-type": v.contentType ?? "application/json",
    ...(await v.sign(v.secret, body, `${d.ORIGIN}${path}`)),
  };
  return { path, res: await send({ method: "POST", url: path, headers, body }) };
}
