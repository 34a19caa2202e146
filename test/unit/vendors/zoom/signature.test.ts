// Zoom recipe and URL-validation answer checked against node:crypto computing Zoom's documented formulas.
import { describe, expect, it } from "vitest";
import { verifyZoom, zoomUrlValidationResponse } from "../../../../src/vendors/zoom/signature";
import { nodeCrypto } from "../node-crypto";
import { NOW_S, signedRequest } from "../request";

const body = JSON.stringify({
  event: "meeting.started",
  payload: { account_id: "acc1", object: { id: "85746065432", topic: "Parking board" } },
  event_ts: NOW_S * 1000,
});
const secret = "zoom-secret-token-current";
const previous = "zoom-secret-token-previous";

const zoomSign = (key: string, timestamp: number, payload = body) =>
  `v0=${nodeCrypto.createHmac("sha256", key).update(`v0:${timestamp}:${payload}`).digest("hex")}`;
const req = (signature: string | null, timestamp: number | null = NOW_S, payload = body) => {
  const headers: Record<string, string> = {};
  if (signature !== null) headers["x-zm-signature"] = signature;
  if (timestamp !== null) headers["x-zm-request-timestamp"] = String(timestamp);
  return signedRequest({ body: payload, headers });
};

describe("verifyZoom", () => {
  it("accepts v0= hex HMAC-SHA256 over v0:<timestamp>:<body>", async () => {
    expect(await verifyZoom(req(zoomSign(secret, NOW_S)), [secret])).toEqual({ ok: true });
  });

  it("rejects a tampered body", async () => {
    expect(await verifyZoom(req(zoomSign(secret, NOW_S), NOW_S, body.replace("started", "ended")), [secret])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects another secret token", async () => {
    expect(await verifyZoom(req(zoomSign("other", NOW_S)), [secret])).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects timestamps more than 300 s away in either direction", async () => {
    expect(await verifyZoom(req(zoomSign(secret, NOW_S - 301), NOW_S - 301), [secret])).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(await verifyZoom(req(zoomSign(secret, NOW_S + 301), NOW_S + 301), [secret])).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
  });

  it("rejects missing headers and a signature without the v0= prefix", async () => {
    expect(await verifyZoom(req(null), [secret])).toEqual({ ok: false, reason: "missing x-zm-signature header" });
    expect(await verifyZoom(req(zoomSign(secret, NOW_S), null), [secret])).toEqual({
      ok: false,
      reason: "missing x-zm-request-timestamp header",
    });
    expect(await verifyZoom(req(zoomSign(secret, NOW_S).slice(3)), [secret])).toEqual({
      ok: false,
      reason: "malformed signature",
    });
  });

  it("accepts either secret token during rotation", async () => {
    expect(await verifyZoom(req(zoomSign(previous, NOW_S)), [secret, previous])).toEqual({ ok: true });
    expect(await verifyZoom(req(zoomSign(secret, NOW_S)), [secret, previous])).toEqual({ ok: true });
  });
});

describe("zoomUrlValidationResponse", () => {
  it("answers the endpoint.url_validation challenge with the hex HMAC of plainToken", async () => {
    const plainToken = "qgg8vlvZRS6UYooatFL8Aw";
    expect(await zoomUrlValidationResponse(plainToken, secret)).toEqual({
      plainToken,
      encryptedToken: nodeCrypto.createHmac("sha256", secret).update(plainToken).digest("hex"),
    });
  });
});
