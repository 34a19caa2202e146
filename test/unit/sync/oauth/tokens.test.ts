// How a token answer changes the stored credentials, and when a token is due for renewal.
import { describe, expect, it } from "vitest";
import { expiresSoon, maskedConnection, withTokens, withoutTokens } from "../../../../src/sync/oauth/tokens";
import { VENDORS } from "../../../../src/vendors";

const NOW = 1_800_000_000_000;

describe("withTokens", () => {
  const held = {
    clientId: "cid",
    clientSecret: "secret-value-123",
    accessToken: "old-at",
    refreshToken: "old-rt",
    expiresAt: "1",
    issuedAt: "0",
  };

  it("keeps the old refresh token when the provider sends none, takes a new one when it does", () => {
    expect(withTokens(held, { access_token: "new-at", expires_in: 3600 }, NOW)).toEqual({
      ...held,
      accessToken: "new-at",
      refreshToken: "old-rt",
      expiresAt: String(NOW + 3_600_000),
      issuedAt: String(NOW),
    });
    expect(withTokens(held, { access_token: "new-at", refresh_token: "new-rt", expires_in: 3600 }, NOW)?.refreshToken).toBe(
      "new-rt",
    );
  });

  it("treats expires_in 0 or absent as a token that does not expire (Mailchimp), and refuses an answer without a token", () => {
    expect(withTokens(held, { access_token: "mc", expires_in: 0 }, NOW)).not.toHaveProperty("expiresAt");
    expect(withTokens(held, { access_token: "mc" }, NOW)).not.toHaveProperty("expiresAt");
    expect(withTokens(held, { refresh_token: "x" }, NOW)).toBeNull();
    expect(withTokens(held, { access_token: "" }, NOW)).toBeNull();
  });

  it("withoutTokens keeps the app's own fields only", () => {
    expect(withoutTokens({ ...held, scope: "a b" })).toEqual({ clientId: "cid", clientSecret: "secret-value-123" });
  });
});

describe("expiresSoon", () => {
  const hour = { issuedAt: String(NOW - 3_600_000 + 10 * 60_000), expiresAt: String(NOW + 10 * 60_000) };
  it("renews an hour's token in its last 5 minutes, not before", () => {
    expect(expiresSoon(hour, NOW)).toBe(false);
    expect(expiresSoon(hour, NOW + 5 * 60_000 + 1)).toBe(true);
  });
  it("renews a short-lived token in the second half of its life, so it is not renewed on every call", () => {
    const minute = { issuedAt: String(NOW), expiresAt: String(NOW + 60_000) };
    expect(expiresSoon(minute, NOW + 29_000)).toBe(false);
    expect(expiresSoon(minute, NOW + 31_000)).toBe(true);
  });
  it("never for tokens without an expiry; always for an unreadable one", () => {
    expect(expiresSoon({}, NOW)).toBe(false);
    expect(expiresSoon({ expiresAt: "soon" }, NOW)).toBe(true);
  });
});

it("maskedConnection shows that tokens exist and when they expire, never a token", () => {
  const masked = maskedConnection(VENDORS.zoom!.credentialFields, {
    accountId: "acc",
    clientId: "cid",
    clientSecret: "zoom-client-secret-0001",
    accessToken: "at_secret",
    refreshToken: "rt_secret",
    expiresAt: String(NOW),
    issuedAt: String(NOW - 1),
  });
  expect(masked).toEqual({
    accountId: "acc",
    clientId: "cid",
    clientSecret: "…0001",
    accessToken: "••••",
    refreshToken: "••••",
    expiresAt: new Date(NOW).toISOString(),
  });
});
