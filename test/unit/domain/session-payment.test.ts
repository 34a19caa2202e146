// What a session still owes, and the key a payment Curbgate starts for it carries.
import { describe, expect, it } from "vitest";
import { amountOwed, paymentMethodOf, providerKeyOf } from "../../../src/domain/session-payment";

describe("amountOwed", () => {
  it("is the price less what providers confirmed", () => {
    expect(amountOwed({ amountCents: 240, refundCents: 0, paidCents: 0 })).toEqual({ kind: "owes", amountMinor: 240 });
    expect(amountOwed({ amountCents: 240, refundCents: 0, paidCents: 100 })).toEqual({ kind: "owes", amountMinor: 140 });
    expect(amountOwed({ amountCents: 240, refundCents: 0 })).toEqual({ kind: "owes", amountMinor: 240 });
  });

  it("does not charge the unused time of a session ended early", () => {
    expect(amountOwed({ amountCents: 240, refundCents: 120, paidCents: 0 })).toEqual({ kind: "owes", amountMinor: 120 });
  });

  it("a session paid in full (or more, or refunded after paying) is paid", () => {
    expect(amountOwed({ amountCents: 240, refundCents: 0, paidCents: 240 })).toEqual({
      kind: "paid",
      amountMinor: 0,
      paidMinor: 240,
    });
    expect(amountOwed({ amountCents: 240, refundCents: 120, paidCents: 240 })).toEqual({
      kind: "paid",
      amountMinor: 0,
      paidMinor: 240,
    });
    expect(amountOwed({ amountCents: 240, refundCents: 0, paidCents: 300 })).toMatchObject({ kind: "paid" });
  });

  it("a session that cost nothing, and was never paid, is free", () => {
    expect(amountOwed({ amountCents: 0, refundCents: 0, paidCents: 0 })).toEqual({ kind: "free", amountMinor: 0 });
    expect(amountOwed({ amountCents: 240, refundCents: 240, paidCents: 0 })).toEqual({ kind: "free", amountMinor: 0 });
  });
});

describe("providerKeyOf", () => {
  it("is the same for the same tenant, session and Idempotency-Key, and fits Stripe's keys and Paystack's references", async () => {
    const a = await providerKeyOf("demo", "ses_A1_4Fh8kPq2xZt9mWc3bNv7", "key:k1:abc");
    expect(a).toBe(await providerKeyOf("demo", "ses_A1_4Fh8kPq2xZt9mWc3bNv7", "key:k1:abc"));
    expect(a).toMatch(/^cg-[0-9a-f]{40}$/);
    expect(a).toMatch(/^[A-Za-z0-9._=-]{1,100}$/);
  });

  it("differs when any of the three differs, and the separator keeps them apart", async () => {
    const base = await providerKeyOf("demo", "ses_A1_x", "k");
    const others = await Promise.all([
      providerKeyOf("other", "ses_A1_x", "k"),
      providerKeyOf("demo", "ses_A1_y", "k"),
      providerKeyOf("demo", "ses_A1_x", "k2"),
      providerKeyOf("demo", "ses_A1_xk", ""),
    ]);
    expect(new Set([base, ...others]).size).toBe(5);
  });
});

describe("paymentMethodOf", () => {
  it("puts a provider's channel in the ledger's words", () => {
    expect(paymentMethodOf("card")).toBe("card");
    expect(paymentMethodOf("bank_transfer")).toBe("bank_transfer");
    expect(paymentMethodOf("bank")).toBe("bank_transfer");
    expect(paymentMethodOf("mobile_money")).toBe("mobile_money");
    expect(paymentMethodOf("apple_pay")).toBe("wallet");
    expect(paymentMethodOf("ussd")).toBe("other");
    expect(paymentMethodOf(null)).toBeNull();
  });
});
