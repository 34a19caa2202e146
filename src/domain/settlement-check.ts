// The settlement check of a reconciliation day: the ledger's payments grouped by provider and the
// settlement batch each carries, set against the batch the tenant's routing puts them in
// (src/domain/money.ts settlementOf: before the local cutoff, that day's batch; after it, the next).
//
// The batch a payment carries is the provider's when the provider reported one (Teller's
// `accounting.batchId` and `reconciliation.settlementDate`), else the one the ledger fixed when the
// payment succeeded. So a group is "what the provider will settle" and the expected batch is "what the
// city's routing says it should settle"; each payment where they part, or whose split does not add up,
// is listed. Pure; integer minor units throughout.
import type { ClockTime } from "./types";
import { settlementOf } from "./money";

export interface LedgerPayment {
  id: string;
  provider: string;
  providerTransactionId: string;
  currency: string;
  amountCents: number;
  feeCents: number;
  netCents: number;
  paidAt: number;
  settlementDate: string | null;
  settlementBatch: string | null;
}

export interface SettlementGroup {
  provider: string;
  currency: string;
  /** null: the payments carry no settlement (nobody fixed one yet). */
  settlementDate: string | null;
  settlementBatch: string | null;
  payments: number;
  grossCents: number;
  feeCents: number;
  netCents: number;
}

export type MismatchKind = "no_settlement" | "batch_differs" | "split_does_not_add_up";

export interface SettlementMismatch {
  kind: MismatchKind;
  paymentId: string;
  provider: string;
  providerTransactionId: string;
  /** What the payment carries, and what the tenant's routing expects (batch id and settlement date). */
  actual: { settlementDate: string | null; settlementBatch: string | null };
  expected: { settlementDate: string; settlementBatch: string };
  detail: string;
}

export interface SettlementCheck {
  matched: boolean;
  groups: SettlementGroup[];
  mismatches: SettlementMismatch[];
}

export function checkSettlements(payments: LedgerPayment[], cutoff: ClockTime, timezone: string): SettlementCheck {
  const groups = new Map<string, SettlementGroup>();
  const mismatches: SettlementMismatch[] = [];
  for (const p of payments) {
    const key = JSON.stringify([p.provider, p.currency, p.settlementDate, p.settlementBatch]);
    const g = groups.get(key) ?? {
      provider: p.provider,
      currency: p.currency,
      settlementDate: p.settlementDate,
      settlementBatch: p.settlementBatch,
      payments: 0,
      grossCents: 0,
      feeCents: 0,
      netCents: 0,
    };
    g.payments++;
    g.grossCents += p.amountCents;
    g.feeCents += p.feeCents;
    g.netCents += p.netCents;
    groups.set(key, g);

    const due = settlementOf(p.paidAt, cutoff, timezone);
    const expected = { settlementDate: due.settlementDate, settlementBatch: due.batchId };
    const actual = { settlementDate: p.settlementDate, settlementBatch: p.settlementBatch };
    const base = { paymentId: p.id, provider: p.provider, providerTransactionId: p.providerTransactionId, actual, expected };
    if (p.feeCents + p.netCents !== p.amountCents)
      mismatches.push({
        ...base,
        kind: "split_does_not_add_up",
        detail: `fee ${p.feeCents} + net ${p.netCents} is not the gross ${p.amountCents}`,
      });
    if (p.settlementBatch === null || p.settlementDate === null)
      mismatches.push({ ...base, kind: "no_settlement", detail: "the ledger holds no settlement batch for this payment" });
    else if (p.settlementBatch !== due.batchId || p.settlementDate !== due.settlementDate)
      mismatches.push({
        ...base,
        kind: "batch_differs",
        detail: `carries ${p.settlementBatch} settling ${p.settlementDate}; the routing puts it in ${due.batchId} settling ${due.settlementDate}`,
      });
  }
  const order = (s: string | null) => s ?? "";
  return {
    matched: mismatches.length === 0,
    groups: [...groups.values()].sort(
      (a, b) =>
        a.provider.localeCompare(b.provider) ||
        a.currency.localeCompare(b.currency) ||
        order(a.settlementDate).localeCompare(order(b.settlementDate)) ||
        order(a.settlementBatch).localeCompare(order(b.settlementBatch)),
    ),
    mismatches,
  };
}
