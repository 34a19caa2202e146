// Twilio recipe checked against the `twilio` package's own signature helpers.
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { verifyTwilio } from "../../../../src/vendors/twilio/signature";
import { nodeCrypto } from "../node-crypto";
import { signedRequest } from "../request";

const token = "12345678901234567890123456789012";
const previous = "abcdefabcdefabcdefabcdefabcdefab";
const url = "https://api.curbgate.test/v1/webhooks/stamford/twilio?zone=A1";
const params = {
  MessageSid: "SM123",
  From: "+12345550100",
  To: "+18005551212",
  Body: "Extend 30 min, zone A1 & B2 ✓",
  MessageStatus: "delivered",
};
const FORM = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };

const form = (p: Record<string, string | string[]>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) for (const one of [v].flat()) q.append(k, one);
  return q.toString();
};
const req = (signature: string | null, body: string, requestUrl = url, contentType: Record<string, string> = FORM) =>
  signedRequest({
    body,
    url: requestUrl,
    headers: { ...contentType, ...(signature === null ? {} : { "X-Twilio-Signature": signature }) },
  });

describe("verifyTwilio (form parameters)", () => {
  const signature = twilio.getExpectedTwilioSignature(token, url, params);

  it("accepts what Twilio's helper signs, and the helper agrees", async () => {
    expect(twilio.validateRequest(token, signature, url, params)).toBe(true);
    expect(await verifyTwilio(req(signature, form(params)), [token])).toEqual({ ok: true });
  });

  it("rejects a tampered parameter", async () => {
    expect(await verifyTwilio(req(signature, form({ ...params, Body: "Extend 300 min" })), [token])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
    expect(await verifyTwilio(req(signature, form({ ...params, Extra: "1" })), [token])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects another auth token", async () => {
    expect(await verifyTwilio(req(twilio.getExpectedTwilioSignature(previous, url, params), form(params)), [token])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects a missing header", async () => {
    expect(await verifyTwilio(req(null, form(params)), [token])).toEqual({
      ok: false,
      reason: "missing x-twilio-signature header",
    });
  });

  it("accepts either auth token during rotation", async () => {
    const old = twilio.getExpectedTwilioSignature(previous, url, params);
    expect(await verifyTwilio(req(old, form(params)), [token, previous])).toEqual({ ok: true });
    expect(await verifyTwilio(req(signature, form(params)), [token, previous])).toEqual({ ok: true });
  });

  it("signs each value of a repeated name, sorted, as the helper does", async () => {
    const repeated = { ...params, "MessagingBinding.Address": ["+18550000000", "+18330000000"] };
    const sig = twilio.getExpectedTwilioSignature(token, url, repeated);
    expect(await verifyTwilio(req(sig, form(repeated)), [token])).toEqual({ ok: true });
  });

  it("is not fooled by parameter order in the body", async () => {
    const reordered = new URLSearchParams(Object.entries(params).reverse()).toString();
    expect(await verifyTwilio(req(signature, reordered), [token])).toEqual({ ok: true });
  });

  it("accepts the URL with or without the port, like Twilio's SDK", async () => {
    const noPort = "https://api.curbgate.test/hook?x=1";
    const withDefault = "https://api.curbgate.test:443/hook?x=1";
    const custom = "https://api.curbgate.test:8443/hook?x=1";
    const cases: [signedUrl: string, seenUrl: string][] = [
      [withDefault, noPort], // Twilio signed with :443, workerd reports no port
      [noPort, withDefault],
      [noPort, custom], // HTTPS on a custom port: Twilio dropped the port
      [custom, custom], // ...or kept it
    ];
    for (const [signedUrl, seenUrl] of cases) {
      const sig = twilio.getExpectedTwilioSignature(token, signedUrl, params);
      expect(twilio.validateRequest(token, sig, seenUrl, params)).toBe(true);
      expect(await verifyTwilio(req(sig, form(params), seenUrl), [token])).toEqual({ ok: true });
    }
    const otherHost = twilio.getExpectedTwilioSignature(token, "https://evil.test/hook?x=1", params);
    expect(await verifyTwilio(req(otherHost, form(params), noPort), [token])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("uses the configured URL when a proxy rewrote the one we see", async () => {
    const proxied = req(signature, form(params), "http://127.0.0.1:8787/internal");
    expect(await verifyTwilio(proxied, [token])).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifyTwilio(proxied, [token], { url })).toEqual({ ok: true });
  });

  it("refuses a non-form body that no signature covers", async () => {
    const urlOnly = twilio.getExpectedTwilioSignature(token, url, {});
    expect(await verifyTwilio(req(urlOnly, '{"amount":1}', url, { "content-type": "application/json" }), [token])).toEqual({
      ok: false,
      reason: "unsigned body",
    });
    expect(await verifyTwilio(req(urlOnly, "", url, {}), [token])).toEqual({ ok: true }); // GET-style: URL only
  });
});

describe("verifyTwilio (JSON body with bodySHA256)", () => {
  const body = JSON.stringify({ ConversationSid: "CH1", EventType: "onMessageAdded", Body: "paid" });
  const bodyHash = nodeCrypto.createHash("sha256").update(body).digest("hex");
  const jsonUrl = `https://api.curbgate.test/v1/webhooks/stamford/twilio?bodySHA256=${bodyHash}`;
  const JSON_CT = { "content-type": "application/json" };
  const signature = twilio.getExpectedTwilioSignature(token, jsonUrl, {});

  it("accepts a URL-only signature whose bodySHA256 matches the body, as validateRequestWithBody does", async () => {
    expect(twilio.validateRequestWithBody(token, signature, jsonUrl, body)).toBe(true);
    expect(await verifyTwilio(req(signature, body, jsonUrl, JSON_CT), [token])).toEqual({ ok: true });
  });

  it("rejects a tampered body", async () => {
    const tampered = body.replace("paid", "refunded");
    expect(twilio.validateRequestWithBody(token, signature, jsonUrl, tampered)).toBe(false);
    expect(await verifyTwilio(req(signature, tampered, jsonUrl, JSON_CT), [token])).toEqual({
      ok: false,
      reason: "body hash mismatch",
    });
  });

  it("rejects a body hash swapped in the URL", async () => {
    const other = JSON.stringify({ Body: "forged" });
    const forgedUrl = jsonUrl.replace(bodyHash, nodeCrypto.createHash("sha256").update(other).digest("hex"));
    expect(await verifyTwilio(req(signature, other, forgedUrl, JSON_CT), [token])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects another token, a missing header, and accepts rotation", async () => {
    const old = twilio.getExpectedTwilioSignature(previous, jsonUrl, {});
    expect(await verifyTwilio(req(old, body, jsonUrl, JSON_CT), [token])).toEqual({ ok: false, reason: "signature mismatch" });
    expect(await verifyTwilio(req(null, body, jsonUrl, JSON_CT), [token])).toEqual({
      ok: false,
      reason: "missing x-twilio-signature header",
    });
    expect(await verifyTwilio(req(old, body, jsonUrl, JSON_CT), [token, previous])).toEqual({ ok: true });
  });
});
