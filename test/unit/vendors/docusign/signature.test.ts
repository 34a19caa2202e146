// DocuSign Connect HMAC recipe checked against node:crypto computing DocuSign's documented formula.
import { describe, expect, it } from "vitest";
import { verifyDocuSign } from "../../../../src/vendors/docusign/signature";
import { nodeCrypto } from "../node-crypto";
import { signedRequest } from "../request";

const body = JSON.stringify({
  event: "envelope-completed",
  apiVersion: "v2.1",
  uri: "/restapi/v2.1/accounts/1/envelopes/e1",
  data: { envelopeId: "e1" },
});
const keyA = "docusign-connect-key-A=";
const keyB = "docusign-connect-key-B=";

const docusignSign = (key: string, payload = body) => nodeCrypto.createHmac("sha256", key).update(payload).digest("base64");
const req = (headers: Record<string, string>, payload = body) => signedRequest({ body: payload, headers });

describe("verifyDocuSign", () => {
  it("accepts X-DocuSign-Signature-1 computed with the Connect key", async () => {
    expect(await verifyDocuSign(req({ "X-DocuSign-Signature-1": docusignSign(keyA) }), [keyA])).toEqual({ ok: true });
  });

  it("rejects a tampered body", async () => {
    const tampered = req({ "X-DocuSign-Signature-1": docusignSign(keyA) }, body.replace("e1", "e2"));
    expect(await verifyDocuSign(tampered, [keyA])).toEqual({ ok: false, reason: "signature mismatch" });
  });

  it("rejects a key we do not hold", async () => {
    expect(await verifyDocuSign(req({ "X-DocuSign-Signature-1": docusignSign("other") }), [keyA])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects a delivery with no signature header", async () => {
    expect(await verifyDocuSign(req({}), [keyA])).toEqual({ ok: false, reason: "missing x-docusign-signature header" });
  });

  it("passes when any header matches any key (one header per active key, in any order)", async () => {
    const both = { "X-DocuSign-Signature-1": docusignSign(keyB), "X-DocuSign-Signature-2": docusignSign(keyA) };
    expect(await verifyDocuSign(req(both), [keyA])).toEqual({ ok: true });
    expect(await verifyDocuSign(req(both), [keyB])).toEqual({ ok: true });
    expect(await verifyDocuSign(req({ "X-DocuSign-Signature-1": docusignSign(keyB) }), [keyA, keyB])).toEqual({ ok: true });
    expect(await verifyDocuSign(req({ "X-DocuSign-Signature-100": docusignSign(keyA) }), [keyA])).toEqual({ ok: true });
    expect(await verifyDocuSign(req(both), ["neither"])).toEqual({ ok: false, reason: "signature mismatch" });
  });
});
