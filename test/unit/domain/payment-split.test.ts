// The ledger's split rule (src/domain/payment-split.ts): a provider's fee wins, the routing decides only
// when there is none, the provider's accounts win over the routing's, and fee + net is always the gross.
import { describe, expect, it } from "vitest";
import { DEFAULT_PAYMENT_ROUTING, type PaymentRouting, refundFeeMinor } from "../../../src/domain/money";
import { ledgerSplit } from "../../../src/domain/payment-split";

const STAMFORD: PaymentRouting = {
  revenueAccount: "4100-PARKING-REVENUE",
  feeAccount: "5200-PROCESSING-FEES",
  feeMode: "percent",
  feeBasisPoints: 500,
  feeFixedMinor: 0,
  settlementAccount: "STAMFORD-OPERATING-001",
  cutoff: "18:00",
};

describe("ledgerSplit", () => {
  it("takes the routing's fee when the provider reports none: 5 % of 475 is 23.75, rounded half up to 24", () => {
    expect(ledgerSplit({ amountCents: 475 }, STAMFORD)).toEqual({
      feeMinor: 24,
      netMinor: 451,
      revenueAccount: "4100-PARKING-REVENUE",
      feeAccount: "5200-PROCESSING-FEES",
      feeFrom: "routing",
    });
    expect(ledgerSplit({ amountCents: 1000 }, STAMFORD)).toMatchObject({ feeMinor: 50, netMinor: 950 });
  });

  it("takes the provider's fee, even 0, over the routing's", () => {
    expect(ledgerSplit({ amountCents: 475, feeCents: 25 }, STAMFORD)).toMatchObject({
      feeMinor: 25,
      netMinor: 450,
      feeFrom: "provider",
    });
    expect(ledgerSplit({ amountCents: 475, feeCents: 0 }, STAMFORD)).toMatchObject({
      feeMinor: 0,
      netMinor: 475,
      feeFrom: "provider",
    });
  });

  it("clamps a provider's fee to the gross, so net is never negative", () => {
    expect(ledgerSplit({ amountCents: 100, feeCents: 250 }, STAMFORD)).toMatchObject({ feeMinor: 100, netMinor: 0 });
    expect(ledgerSplit({ amountCents: 100, feeCents: -5 }, STAMFORD)).toMatchObject({ feeMinor: 0, netMinor: 100 });
  });

  it("keeps the accounts the provider names, else the routing's", () => {
    const teller = ledgerSplit(
      { amountCents: 475, feeCents: 25, revenueAccount: "4000-TELLER", feeAccount: "5000-TELLER" },
      STAMFORD,
    );
    expect(teller).toMatchObject({ revenueAccount: "4000-TELLER", feeAccount: "5000-TELLER" });
    const fixed = { ...STAMFORD, feeMode: "fixed" as const, feeFixedMinor: 35, revenueAccount: "R", feeAccount: "F" };
    expect(ledgerSplit({ amountCents: 475, revenueAccount: null, feeAccount: "" }, fixed)).toMatchObject({
      feeMinor: 35,
      netMinor: 440,
      revenueAccount: "R",
      feeAccount: "F",
    });
  });

  it("the default routing takes no fee", () => {
    expect(ledgerSplit({ amountCents: 999 }, DEFAULT_PAYMENT_ROUTING)).toMatchObject({ feeMinor: 0, netMinor: 999 });
  });

  it("adds up for every gross from 0 to 5000 in both modes, and refund fee shares add up to the fee", () => {
    for (const routing of [
      STAMFORD,
      { ...STAMFORD, feeBasisPoints: 333 },
      { ...STAMFORD, feeMode: "fixed" as const, feeFixedMinor: 30 },
    ])
      for (let gross = 0; gross <= 5000; gross++) {
        const s = ledgerSplit({ amountCents: gross }, routing);
        expect(s.feeMinor + s.netMinor).toBe(gross);
        // Three refunds (a third, a third, the rest) share the fee exactly.
        const parts = [Math.floor(gross / 3), Math.floor(gross / 3)];
        parts.push(gross - parts[0]! - parts[1]!);
        let refunded = 0;
        let fees = 0;
        for (const part of parts) {
          const share = refundFeeMinor({ grossMinor: gross, feeMinor: s.feeMinor }, refunded, part, fees);
          expect(share).toBeGreaterThanOrEqual(0);
          refunded += part;
          fees += share;
        }
        expect(fees).toBe(s.feeMinor);
      }
  });
});
