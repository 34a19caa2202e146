// QuickBooks recipe checked against node:crypto computing Intuit's documented formula.
import { describe, expect, it } from "vitest";
import { verifyQuickBooks } from "../../../../src/vendors/quickbooks/signature";
import { nodeCrypto } from "../node-crypto";
import { signedRequest } from "../request";

const body = JSON.stringify({
  eventNotifications: [
    { realmId: "1185883450", dataChangeEvent: { entities: [{ name: "Invoice", id: "130", operation: "Create" }] } },
  ],
});
const token = "verifier-token-current";
const previous = "verifier-token-previous";

const intuitSign = (key: string, payload = body) => nodeCrypto.createHmac("sha256", key).update(payload).digest("base64");
const req = (signature: string | null, payload = body) =>
  signedRequest({ body: payload, headers: signature === null ? {} : { "intuit-signature": signature } });

describe("verifyQuickBooks", () => {
  it("accepts the base64 HMAC-SHA256 of the raw body keyed with the verifier token", async () => {
    expect(await verifyQuickBooks(req(intuitSign(token)), [token])).toEqual({ ok: true });
  });

  it("rejects a tampered body", async () => {
    expect(await verifyQuickBooks(req(intuitSign(token), body.replace("130", "131")), [token])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects another verifier token", async () => {
    expect(await verifyQuickBooks(req(intuitSign("not-our-token")), [token])).toEqual({
      ok: false,
      reason: "signature mismatch",
    });
  });

  it("rejects a missing header", async () => {
    expect(await verifyQuickBooks(req(null), [token])).toEqual({ ok: false, reason: "missing intuit-signature header" });
  });

  it("accepts either token during rotation", async () => {
    expect(await verifyQuickBooks(req(intuitSign(previous)), [token, previous])).toEqual({ ok: true });
    expect(await verifyQuickBooks(req(intuitSign(token)), [token, previous])).toEqual({ ok: true });
    expect(await verifyQuickBooks(req(intuitSign(previous)), [token])).toEqual({ ok: false, reason: "signature mismatch" });
  });
});
