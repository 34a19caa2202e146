// Square recipe checked against node:crypto computing Square's documented formula.
import { describe, expect, it } from "vitest";
import { verifySquare } from "../../../../src/vendors/square/signature";
import { nodeCrypto } from "../node-crypto";
import { signedRequest } from "../request";

const url = "https://api.curbgate.test/v1/webhooks/stamford/square";
const body = JSON.stringify({
  merchant_id: "ML1",
  type: "payment.updated",
  event_id: "6a8f5f28",
  data: { object: { payment: { id: "pay_1" } } },
});
const key = "sq-signature-key-current";
const previous = "sq-signature-key-previous";

const squareSign = (signingKey: string, notificationUrl = url, payload = body) =>
  nodeCrypto
    .createHmac("sha256", signingKey)
    .update(notificationUrl + payload)
    .digest("base64");
const req = (signature: string | null, payload = body, requestUrl = url) =>
  signedRequest({
    body: payload,
    url: requestUrl,
    headers: signature === null ? {} : { "x-square-hmacsha256-signature": signature },
  });

describe("verifySquare", () => {
  it("accepts a signature over notification URL + body", async () => {
    expect(await verifySquare(req(squareSign(key)), [key])).toEqual({ ok: true });
  });

  it("rejects a tampered body", async () => {
    expect(await verifySquare(req(squareSign(key), body.replace("pay_1", "pay_2")), [key])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects another signature key", async () => {
    expect(await verifySquare(req(squareSign("someone-else")), [key])).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("binds the signature to the notification URL", async () => {
    expect(await verifySquare(req(squareSign(key, "https://evil.test/hook")), [key])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
    // Behind a proxy the configured URL differs from what we see: the option wins.
    const proxied = req(squareSign(key), body, "http://internal:8787/v1/webhooks/stamford/square");
    expect(await verifySquare(proxied, [key])).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifySquare(proxied, [key], { notificationUrl: url })).toEqual({ ok: true });
  });

  it("rejects a missing or malformed header", async () => {
    expect(await verifySquare(req(null), [key])).toEqual({ ok: false, reason: "missing x-square-hmacsha256-signature header" });
    expect(await verifySquare(req("not base64!"), [key])).toEqual({ ok: false, reason: "malformed signature" });
  });

  it("accepts either key during rotation", async () => {
    expect(await verifySquare(req(squareSign(previous)), [key, previous])).toEqual({ ok: true });
    expect(await verifySquare(req(squareSign(key)), [key, previous])).toEqual({ ok: true });
    expect(await verifySquare(req(squareSign(previous)), [key])).toEqual({ ok: false, reason: "signature mismatch" });
  });
});
