// Money on vendors' wires. Curbgate keeps integer cents; the parking vendors' formats in the Stamford
// integration guide (AIMS, Parkeon, GTCS; docs/sources.md) carry dollars. Sums are made in cents and
// converted once, so no float error adds up.

export const dollars = (cents: number) => Math.round(cents) / 100;

/** Adds `cents` to a per-currency tally (`{ USD: 1250 }`). */
export function tally(totals: Record<string, number>, currency: string, cents: number) {
  totals[currency] = (totals[currency] ?? 0) + cents;
}
