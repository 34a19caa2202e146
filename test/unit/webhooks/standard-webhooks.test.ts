// Standard Webhooks recipe checked against the `standardwebhooks` reference package.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signStandardWebhook, verifyStandardWebhook } from "../../../src/webhooks/standard-webhooks";
import { NOW_MS, NOW_S, randomWhsec, signedRequest } from "../vendors/request";

const body = JSON.stringify({ type: "parking.session.started", data: { sessionId: "ses_1", zone: "A1" } });
const id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
const secret = randomWhsec();

const sign = (signingSecret: string, timestamp = NOW_S, payload = body) =>
  new Webhook(signingSecret).sign(id, new Date(timestamp * 1000), payload);
const req = (signature: string | null, timestamp = NOW_S, payload = body) => {
  const headers: Record<string, string> = { "webhook-id": id, "webhook-timestamp": String(timestamp) };
  if (signature !== null) headers["webhook-signature"] = signature;
  return signedRequest({ body: payload, headers });
};

describe("verifyStandardWebhook", () => {
  it("accepts a delivery signed by the reference library", async () => {
    expect(await verifyStandardWebhook(req(sign(secret)), [secret])).toEqual({ ok: true });
  });

  it("rejects a tampered body", async () => {
    expect(await verifyStandardWebhook(req(sign(secret), NOW_S, body.replace("A1", "B2")), [secret])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects a delivery signed with another secret", async () => {
    expect(await verifyStandardWebhook(req(sign(randomWhsec())), [secret])).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects timestamps more than 300 s away in either direction", async () => {
    expect(await verifyStandardWebhook(req(sign(secret, NOW_S - 301), NOW_S - 301), [secret])).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(await verifyStandardWebhook(req(sign(secret, NOW_S + 301), NOW_S + 301), [secret])).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(await verifyStandardWebhook(req(sign(secret, NOW_S + 299), NOW_S + 299), [secret])).toEqual({ ok: true });
  });

  it("rejects any missing header", async () => {
    expect(await verifyStandardWebhook(req(null), [secret])).toEqual({ ok: false, reason: "missing webhook-signature header" });
    const noId = signedRequest({ body, headers: { "webhook-timestamp": String(NOW_S), "webhook-signature": sign(secret) } });
    expect(await verifyStandardWebhook(noId, [secret])).toEqual({ ok: false, reason: "missing webhook-id header" });
    const noTs = signedRequest({ body, headers: { "webhook-id": id, "webhook-signature": sign(secret) } });
    expect(await verifyStandardWebhook(noTs, [secret])).toEqual({ ok: false, reason: "missing webhook-timestamp header" });
  });

  it("accepts either secret during rotation, and several space-separated signatures", async () => {
    const previous = randomWhsec();
    expect(await verifyStandardWebhook(req(sign(previous)), [secret, previous])).toEqual({ ok: true });
    expect(await verifyStandardWebhook(req(sign(secret)), [secret, previous])).toEqual({ ok: true });
    const both = `v1a,bm90LWNoZWNrZWQ= ${sign(randomWhsec())} ${sign(previous)}`;
    expect(await verifyStandardWebhook(req(both), [previous])).toEqual({ ok: true });
  });

  it("signs outbound deliveries exactly as the reference library does, and the library accepts them", async () => {
    const ours = await signStandardWebhook(secret, id, NOW_S, body);
    expect(ours).toBe(sign(secret));
    const nowS = Math.floor(Date.now() / 1000);
    const live = await signStandardWebhook(secret, id, nowS, body);
    const headers = { "webhook-id": id, "webhook-timestamp": String(nowS), "webhook-signature": live };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(
      await verifyStandardWebhook(signedRequest({ body, headers, nowMs: NOW_MS + (nowS - NOW_S) * 1000 }), [secret]),
    ).toEqual({ ok: true });
  });

  it("refuses to sign with a secret that is not base64", async () => {
    await expect(signStandardWebhook("whsec_***", id, NOW_S, body)).rejects.toThrow();
  });
});
