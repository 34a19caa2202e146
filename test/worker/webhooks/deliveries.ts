// Vendors' webhook deliveries for the workerd tests: realistic bodies (shapes from each vendor's docs
// and the Stamford integration guide, docs/sources.md) signed the way each vendor documents it. The
// signing here is written independently of the recipes (src/vendors/<id>/signature.ts), with Web Crypto
// only, so a recipe bug cannot sign and verify alike.
import { uniq } from "../fixtures";

export const ORIGIN = "https://curbgate.test";
const enc = new TextEncoder();
const bytes = (v: string | Uint8Array) => (typeof v === "string" ? enc.encode(v) : v);

export const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
export const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export async function hmac(hash: "SHA-1" | "SHA-256" | "SHA-512", key: string, data: string | Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, bytes(data)));
}

export async function sha256Hex(data: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(data))));
}

// ---- Signers: (secret, raw body, full URL) -> the headers the vendor sends ----

export type Signer = (secret: string, body: string, url: string) => Promise<Record<string, string>>;

export const signStripe: Signer = async (secret, body) => {
  const t = nowSeconds();
  return { "stripe-signature": `t=${t},v1=${hex(await hmac("SHA-256", secret, `${t}.${body}`))}` };
};
export const signSquare: Signer = async (key, body, url) => ({
  "x-square-hmacsha256-signature": b64(await hmac("SHA-256", key, url + body)),
});
export const signPaystack: Signer = async (key, body) => ({ "x-paystack-signature": hex(await hmac("SHA-512", key, body)) });
export const signQuickBooks: Signer = async (token, body) => ({ "intuit-signature": b64(await hmac("SHA-256", token, body)) });
export const signDocuSign: Signer = async (key, body) => ({ "x-docusign-signature-1": b64(await hmac("SHA-256", key, body)) });
export const signZoom: Signer = async (token, body) => {
  const t = String(nowSeconds());
  return { "x-zm-request-timestamp": t, "x-zm-signature": `v0=${hex(await hmac("SHA-256", token, `v0:${t}:${body}`))}` };
};
/** Curbgate's documented format for IPS, Teller and Parkeon: sha256=hex(HMAC(secret, "<ts>.<body>")). */
export const signParkingVendor =
  (vendor: "IPS" | "Teller" | "Parkeon"): Signer =>
  async (secret, body) => {
    const t = String(nowSeconds());
    return {
      [`X-${vendor}-Timestamp`]: t,
      [`X-${vendor}-Signature`]: `sha256=${hex(await hmac("SHA-256", secret, `${t}.${body}`))}`,
    };
  };
/** Twilio: base64 HMAC-SHA1 over the URL and the form parameters sorted by name, each as name+value. */
export const signTwilio: Signer = async (token, body, url) => {
  const params = [...new URLSearchParams(body)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { "x-twilio-signature": b64(await hmac("SHA-1", token, url + params.map(([k, v]) => k + v).join(""))) };
};
export const bearer: Signer = async (token) => ({ authorization: `Bearer ${token}` });
/** Mailchimp signs nothing: the secret rides in the URL the test posts to. */
export const unsigned: Signer = async () => ({});

// ---- SendGrid: ECDSA P-256 over timestamp + body, DER-encoded as SendGrid sends it ----

function derInteger(scalar: Uint8Array): number[] {
  let i = 0;
  while (i < scalar.length - 1 && scalar[i] === 0) i++;
  const v = [...scalar.subarray(i)];
  if (v[0]! & 0x80) v.unshift(0);
  return [0x02, v.length, ...v];
}
const p1363ToDer = (sig: Uint8Array) => {
  const seq = [...derInteger(sig.subarray(0, 32)), ...derInteger(sig.subarray(32))];
  return new Uint8Array([0x30, seq.length, ...seq]);
};

export async function sendGridKeys() {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  const sign: Signer = async (_unused, body) => {
    const t = String(nowSeconds());
    const sig = new Uint8Array(
      await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, enc.encode(t + body)),
    );
    return { "x-twilio-email-event-webhook-timestamp": t, "x-twilio-email-event-webhook-signature": b64(p1363ToDer(sig)) };
  };
  return { publicKey: b64(spki), sign };
}

// ---- Bodies ----

export const stripeEvent = (type: string, object: Record<string, unknown>, id = `evt_${uniq(24)}`) =>
  JSON.stringify({
    id,
    object: "event",
    api_version: "2024-06-20",
    created: nowSeconds(),
    livemode: false,
    pending_webhooks: 1,
    type,
    data: { object },
  });

export const paymentIntent = (o: { id: string; amount: number; fee?: number; metadata?: Record<string, string> }) => ({
  id: o.id,
  object: "payment_intent",
  amount: o.amount,
  amount_received: o.amount,
  currency: "usd",
  status: "succeeded",
  application_fee_amount: o.fee ?? null,
  metadata: o.metadata ?? {},
  latest_charge: `ch_${uniq(24)}`,
});

export const squareEvent = (type: string, kind: string, object: Record<string, unknown>) =>
  JSON.stringify({
    merchant_id: "ML82H4QPKMGXY",
    type,
    event_id: crypto.randomUUID(),
    created_at: new Date().toISOString(),
    data: { type: kind, id: object.id, object: { [kind]: object } },
  });

export const paystackEvent = (event: string, data: Record<string, unknown>) => JSON.stringify({ event, data });

/** Curbgate's parking-vendor envelope (docs/webhooks.md). */
export const vendorEvent = (type: string, data: Record<string, unknown>, id = `evt_${uniq(16)}`) =>
  JSON.stringify({ id, type, timestamp: new Date().toISOString(), data });
