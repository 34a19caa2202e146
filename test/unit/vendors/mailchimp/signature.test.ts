// Mailchimp is unsigned: the secret we put in the webhook URL is the only proof.
import { describe, expect, it } from "vitest";
import { verifyMailchimp } from "../../../../src/vendors/mailchimp/signature";
import { signedRequest } from "../request";

const body = "type=subscribe&fired_at=2026-01-01+00%3A00%3A00&data%5Bemail%5D=driver%40example.com&data%5Blist_id%5D=a6b5da1054";
const secret = "mc-url-secret-4f1c2a";
const previous = "mc-url-secret-old";
const base = "https://api.curbgate.test/v1/webhooks/stamford/mailchimp";
const req = (url: string, payload = body) =>
  signedRequest({ body: payload, url, headers: { "content-type": "application/x-www-form-urlencoded" } });

describe("verifyMailchimp", () => {
  it("accepts the configured secret in the URL", async () => {
    expect(await verifyMailchimp(req(`${base}?secret=${secret}`), [secret])).toEqual({ ok: true });
  });

  it("does not depend on the body (Mailchimp signs nothing), only on the URL secret", async () => {
    expect(await verifyMailchimp(req(`${base}?secret=${secret}`, "type=unsubscribe"), [secret])).toEqual({ ok: true });
    expect(await verifyMailchimp(req(`${base}?secret=guess`, body), [secret])).toEqual({ ok: false, reason: "secret mismatch" });
  });

  it("rejects a wrong secret, including prefixes and extensions of the real one", async () => {
    for (const wrong of ["nope", secret.slice(0, -1), `${secret}x`]) {
      expect(await verifyMailchimp(req(`${base}?secret=${wrong}`), [secret])).toEqual({ ok: false, reason: "secret mismatch" });
    }
  });

  it("rejects a URL without the secret", async () => {
    expect(await verifyMailchimp(req(base), [secret])).toEqual({ ok: false, reason: "missing secret in url" });
  });

  it("accepts either secret during rotation, and a custom parameter name", async () => {
    expect(await verifyMailchimp(req(`${base}?secret=${previous}`), [secret, previous])).toEqual({ ok: true });
    expect(await verifyMailchimp(req(`${base}?secret=${secret}`), [secret, previous])).toEqual({ ok: true });
    expect(await verifyMailchimp(req(`${base}?key=${secret}`), [secret], { param: "key" })).toEqual({ ok: true });
    expect(await verifyMailchimp(req(`${base}?secret=`), [""])).toEqual({ ok: false, reason: "missing secret in url" });
  });
});
