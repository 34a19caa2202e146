// Stripe recipe checked against the official `stripe` package's own test-header generator.
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { verifyStripe } from "../../../../src/vendors/stripe/signature";
import { nodeCrypto } from "../node-crypto";
import { NOW_S, randomWhsec, signedRequest } from "../request";

const stripe = new Stripe("sk_test_curbgate_unit");
const body = JSON.stringify({
  id: "evt_1",
  object: "event",
  type: "payment_intent.succeeded",
  data: { object: { amount: 250 } },
});
const secret = randomWhsec();

const header = (payload: string, signingSecret: string, timestamp = NOW_S) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret: signingSecret, timestamp });
const req = (stripeSignature: string | null, payload = body) =>
  signedRequest({ body: payload, headers: stripeSignature === null ? {} : { "Stripe-Signature": stripeSignature } });

describe("verifyStripe", () => {
  it("accepts a delivery signed by Stripe's own generator", async () => {
    expect(await verifyStripe(req(header(body, secret)), [secret])).toEqual({ ok: true });
  });

  it("rejects a tampered body", async () => {
    const tampered = body.replace("250", "25000");
    expect(await verifyStripe(req(header(body, secret), tampered), [secret])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects a delivery signed with another secret", async () => {
    expect(await verifyStripe(req(header(body, randomWhsec())), [secret])).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects timestamps more than 300 s away, in both directions, and accepts the edge", async () => {
    expect(await verifyStripe(req(header(body, secret, NOW_S - 301)), [secret])).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(await verifyStripe(req(header(body, secret, NOW_S + 301)), [secret])).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(await verifyStripe(req(header(body, secret, NOW_S - 300)), [secret])).toEqual({ ok: true });
    expect(await verifyStripe(req(header(body, secret, NOW_S - 900)), [secret], { toleranceSeconds: 1000 })).toEqual({
      ok: true,
    });
  });

  it("rejects a missing or malformed header", async () => {
    expect(await verifyStripe(req(null), [secret])).toMatchObject({ ok: false, reason: "missing stripe-signature header" });
    expect(await verifyStripe(req("v1=abcd"), [secret])).toMatchObject({
      ok: false,
      reason: "malformed stripe-signature header",
    });
    expect(await verifyStripe(req(`t=${NOW_S}`), [secret])).toMatchObject({ ok: false, reason: "no v1 signature" });
  });

  it("accepts either secret during rotation, and a header carrying two v1 values", async () => {
    const previous = randomWhsec();
    const current = randomWhsec();
    expect(await verifyStripe(req(header(body, previous)), [current, previous])).toEqual({ ok: true });
    expect(await verifyStripe(req(header(body, current)), [current, previous])).toEqual({ ok: true });
    // Stripe rolling a secret: one header, one v1 per active secret (the second taken from the generator too).
    const second = header(body, previous).split(",v1=")[1];
    const rotating = `${header(body, current)},v1=${second},v0=ignored`;
    expect(await verifyStripe(req(rotating), [previous])).toEqual({ ok: true });
    expect(await verifyStripe(req(rotating), [randomWhsec()])).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("keys the HMAC with the whole whsec_ string, not its decoded bytes", async () => {
    const decodedKey = Uint8Array.from(atob(secret.slice("whsec_".length)), (c) => c.charCodeAt(0));
    const wrongRecipe = nodeCrypto.createHmac("sha256", decodedKey).update(`${NOW_S}.${body}`).digest("hex");
    expect(await verifyStripe(req(`t=${NOW_S},v1=${wrongRecipe}`), [secret])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("ignores a lone v0 signature and empty secrets", async () => {
    const v0 = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: NOW_S, scheme: "v0" });
    expect(await verifyStripe(req(v0), [secret])).toEqual({ ok: false, reason: "no v1 signature" });
    expect(await verifyStripe(req(header(body, secret)), [""])).toEqual({ ok: false, reason: "no secret configured" });
  });
});
