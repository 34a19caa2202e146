// Brevo offers a bearer token or basic auth (credentials in the webhook URL); we also allow ?token=.
import { describe, expect, it } from "vitest";
import { verifyBrevo } from "../../../../src/vendors/brevo/signature";
import { signedRequest } from "../request";

const body = JSON.stringify({ event: "delivered", email: "driver@example.com", "message-id": "<2021@smtp-relay>" });
const token = "brevo-token-current";
const previous = "brevo-token-previous";
const basicSecret = "curbgate:pa55:word"; // a password may itself contain ':'
const base = "https://api.curbgate.test/v1/webhooks/stamford/brevo";
const req = (headers: Record<string, string>, url = base) => signedRequest({ body, url, headers });
const basic = (userPass: string) => `Basic ${btoa(userPass)}`;

describe("verifyBrevo", () => {
  it("accepts a bearer token, basic auth and a ?token= URL", async () => {
    expect(await verifyBrevo(req({ authorization: `Bearer ${token}` }), [token])).toEqual({ ok: true });
    expect(await verifyBrevo(req({ authorization: `bearer ${token}` }), [token])).toEqual({ ok: true });
    expect(await verifyBrevo(req({ authorization: basic(basicSecret) }), [basicSecret])).toEqual({ ok: true });
    expect(await verifyBrevo(req({}, `${base}?token=${token}`), [token])).toEqual({ ok: true });
  });

  it("rejects wrong credentials of every kind", async () => {
    expect(await verifyBrevo(req({ authorization: `Bearer ${previous}` }), [token])).toEqual({
      ok: false,
      reason: "credentials mismatch",
    });
    expect(await verifyBrevo(req({ authorization: basic("curbgate:wrong") }), [basicSecret])).toEqual({
      ok: false,
      reason: "credentials mismatch",
    });
    expect(await verifyBrevo(req({}, `${base}?token=${token}x`), [token])).toEqual({ ok: false, reason: "credentials mismatch" });
    expect(await verifyBrevo(req({ authorization: `Token ${token}` }), [token])).toEqual({
      ok: false,
      reason: "missing credentials",
    });
  });

  it("rejects a delivery without credentials", async () => {
    expect(await verifyBrevo(req({}), [token])).toEqual({ ok: false, reason: "missing credentials" });
  });

  it("accepts either secret during rotation", async () => {
    expect(await verifyBrevo(req({ authorization: `Bearer ${previous}` }), [token, previous])).toEqual({ ok: true });
    expect(await verifyBrevo(req({ authorization: `Bearer ${token}` }), [token, previous])).toEqual({ ok: true });
  });

  it("never matches an empty configured secret", async () => {
    expect(await verifyBrevo(req({ authorization: basic("") }, `${base}?token=`), [""])).toEqual({
      ok: false,
      reason: "missing credentials",
    });
    expect(await verifyBrevo(req({ authorization: "Bearer x" }), [""])).toEqual({ ok: false, reason: "credentials mismatch" });
  });
});
