// SendGrid Signed Event Webhook checked against node:crypto ECDSA P-256 signatures (DER output).
import { describe, expect, it } from "vitest";
import { derToP1363, verifySendGrid } from "../../../../src/vendors/sendgrid/signature";
import { nodeCrypto } from "../node-crypto";
import { NOW_S, signedRequest } from "../request";

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
function keyPair() {
  const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    privateKey,
    verificationKey: b64(publicKey.export({ type: "spki", format: "der" })),
    pem: publicKey.export({ type: "spki", format: "pem" }),
  };
}
const current = keyPair();
const previous = keyPair();
const body = `${JSON.stringify([{ email: "driver@example.com", event: "delivered", sg_event_id: "sg_1", timestamp: NOW_S }])}\r\n`;

const sendgridSign = (kp: { privateKey: ReturnType<typeof keyPair>["privateKey"] }, timestamp: string, payload = body) =>
  nodeCrypto
    .createSign("sha256")
    .update(timestamp + payload)
    .sign(kp.privateKey, "base64");
const req = (headers: { signature?: string; timestamp?: string }, payload = body) => {
  const h: Record<string, string> = {};
  if (headers.signature !== undefined) h["X-Twilio-Email-Event-Webhook-Signature"] = headers.signature;
  if (headers.timestamp !== undefined) h["X-Twilio-Email-Event-Webhook-Timestamp"] = headers.timestamp;
  return signedRequest({ body: payload, headers: h });
};
const ts = String(NOW_S);

describe("verifySendGrid", () => {
  it("accepts DER signatures over timestamp + body, whatever their r/s lengths", async () => {
    // 40 fresh signatures cover r or s with a leading 0x00 (top bit set) and, now and then, shorter ones.
    for (let i = 0; i < 40; i++) {
      const payload = `${body}${i}`;
      expect(
        await verifySendGrid(req({ signature: sendgridSign(current, ts, payload), timestamp: ts }, payload), [
          current.verificationKey,
        ]),
      ).toEqual({ ok: true });
    }
  });

  it("rejects a tampered body", async () => {
    const tampered = body.replace("delivered", "bounce");
    expect(
      await verifySendGrid(req({ signature: sendgridSign(current, ts), timestamp: ts }, tampered), [current.verificationKey]),
    ).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects a signature from another key pair", async () => {
    expect(
      await verifySendGrid(req({ signature: sendgridSign(previous, ts), timestamp: ts }), [current.verificationKey]),
    ).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects timestamps more than 300 s away, and a timestamp swapped under the signature", async () => {
    const old = String(NOW_S - 301);
    const future = String(NOW_S + 301);
    expect(
      await verifySendGrid(req({ signature: sendgridSign(current, old), timestamp: old }), [current.verificationKey]),
    ).toEqual({ ok: false, reason: "stale timestamp" });
    expect(
      await verifySendGrid(req({ signature: sendgridSign(current, future), timestamp: future }), [current.verificationKey]),
    ).toEqual({ ok: false, reason: "stale timestamp" });
    const swapped = req({ signature: sendgridSign(current, String(NOW_S - 100)), timestamp: ts });
    expect(await verifySendGrid(swapped, [current.verificationKey])).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects missing headers and malformed signatures", async () => {
    expect(await verifySendGrid(req({ timestamp: ts }), [current.verificationKey])).toEqual({
      ok: false,
      reason: "missing x-twilio-email-event-webhook-signature header",
    });
    expect(await verifySendGrid(req({ signature: sendgridSign(current, ts) }), [current.verificationKey])).toEqual({
      ok: false,
      reason: "missing x-twilio-email-event-webhook-timestamp header",
    });
    expect(await verifySendGrid(req({ signature: "AAAA", timestamp: ts }), [current.verificationKey])).toEqual({
      ok: false,
      reason: "malformed signature",
    });
  });

  it("accepts either verification key during rotation, and PEM-armoured keys", async () => {
    const keys = [current.verificationKey, previous.verificationKey];
    expect(await verifySendGrid(req({ signature: sendgridSign(previous, ts), timestamp: ts }), keys)).toEqual({ ok: true });
    expect(await verifySendGrid(req({ signature: sendgridSign(current, ts), timestamp: ts }), keys)).toEqual({ ok: true });
    expect(await verifySendGrid(req({ signature: sendgridSign(current, ts), timestamp: ts }), [current.pem])).toEqual({
      ok: true,
    });
  });

  it("skips keys that are not P-256 public keys", async () => {
    expect(await verifySendGrid(req({ signature: sendgridSign(current, ts), timestamp: ts }), ["bm90IGEga2V5"])).toEqual({
      ok: false,
      reason: "no verification key configured",
    });
    expect(
      await verifySendGrid(req({ signature: sendgridSign(current, ts), timestamp: ts }), [
        "bm90IGEga2V5",
        current.verificationKey,
      ]),
    ).toEqual({ ok: true });
  });
});

describe("derToP1363", () => {
  const der = (r: number[], s: number[]) =>
    new Uint8Array([0x30, r.length + s.length + 4, 0x02, r.length, ...r, 0x02, s.length, ...s]);
  const scalar = (fill: number, len = 32) => Array.from({ length: len }, (_, i) => (i === 0 ? fill : i));

  it("strips DER's sign byte and left-pads short integers to 32 bytes", () => {
    const r = [0x00, ...scalar(0x80)]; // 33 bytes: top bit set, so DER prefixed 0x00
    const s = scalar(0x05, 30); // 30 bytes: value had two leading zero bytes
    const raw = derToP1363(der(r, s))!;
    expect(raw).toHaveLength(64);
    expect([...raw.subarray(0, 32)]).toEqual(scalar(0x80));
    expect([...raw.subarray(32, 34)]).toEqual([0, 0]);
    expect([...raw.subarray(34)]).toEqual(s);
  });

  it("refuses malformed encodings", () => {
    expect(derToP1363(new Uint8Array([0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]))).toBeNull(); // not a SEQUENCE
    expect(derToP1363(der(scalar(0x01, 34), scalar(0x01)))).toBeNull(); // integer too long for P-256
    const truncated = der(scalar(0x01), scalar(0x01));
    expect(derToP1363(truncated.subarray(0, truncated.length - 1))).toBeNull();
  });
});
