// Paystack recipe checked against node:crypto computing Paystack's documented formula.
import { describe, expect, it } from "vitest";
import { verifyPaystack } from "../../../../src/vendors/paystack/signature";
import { nodeCrypto } from "../node-crypto";
import { signedRequest } from "../request";

const body = JSON.stringify({ event: "charge.success", data: { id: 302961, reference: "qTPrJoy9Bx", amount: 10000, fees: 150 } });
const secret = "sk_test_curbgate_current";
const previous = "sk_test_curbgate_previous";

const paystackSign = (key: string, payload = body) => nodeCrypto.createHmac("sha512", key).update(payload).digest("hex");
const req = (signature: string | null, payload = body) =>
  signedRequest({ body: payload, headers: signature === null ? {} : { "x-paystack-signature": signature } });

describe("verifyPaystack", () => {
  it("accepts the hex HMAC-SHA512 of the raw body", async () => {
    expect(await verifyPaystack(req(paystackSign(secret)), [secret])).toEqual({ ok: true });
  });

  it("rejects a tampered body", async () => {
    expect(await verifyPaystack(req(paystackSign(secret), body.replace("10000", "1")), [secret])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects another secret key", async () => {
    expect(await verifyPaystack(req(paystackSign("sk_test_other")), [secret])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects a SHA-256 signature (wrong algorithm) and a malformed one", async () => {
    const sha256 = nodeCrypto.createHmac("sha256", secret).update(body).digest("hex");
    expect(await verifyPaystack(req(sha256), [secret])).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifyPaystack(req("zz"), [secret])).toEqual({ ok: false, reason: "malformed signature" });
  });

  it("rejects a missing header", async () => {
    expect(await verifyPaystack(req(null), [secret])).toEqual({ ok: false, reason: "missing x-paystack-signature header" });
  });

  it("accepts either key during rotation", async () => {
    expect(await verifyPaystack(req(paystackSign(previous)), [secret, previous])).toEqual({ ok: true });
    expect(await verifyPaystack(req(paystackSign(secret)), [secret, previous])).toEqual({ ok: true });
  });
});
