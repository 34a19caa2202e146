// A week of the demo city's takings, so the ledger, the revenue reports and the reconciliation day view
// have something to show after `npm start`: two payments a day in each demo zone, by card through Stripe
// and Teller or by wallet through Square, and two refunds. They go through the same ledger write as a
// provider's webhook (src/effects/payments.ts), so the demo tenant's routing (95 % revenue, 5 % fees,
// 18:00 cutoff) splits and batches them. Fixed transaction ids make seeding again change nothing.
import { recordPayment, recordRefund } from "../effects/payments";
import type { Bindings } from "../env";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const TENANT = "demo";
const ZONES = ["A1", "A2", "B1", "B2"];
const AMOUNTS = [200, 475, 150, 300, 600, 800, 350, 100];
const WAYS = [
  { provider: "stripe", method: "card" },
  { provider: "square", method: "wallet" },
  { provider: "teller", method: "card" },
];

export interface DemoPayment {
  provider: string;
  id: string;
  zone: string;
  amountCents: number;
  method: string;
  paidAtMs: number;
}

/** The demo payments relative to `now`: days 1 to 7 back, two per zone a day. */
export function demoPayments(now: number): DemoPayment[] {
  const out: DemoPayment[] = [];
  let n = 0;
  for (let day = 1; day <= 7; day++)
    for (const zone of ZONES)
      for (let i = 0; i < 2; i++, n++) {
        const way = WAYS[n % WAYS.length]!;
        out.push({
          ...way,
          id: `demo_${way.provider}_d${day}_${zone}_${i}`,
          zone,
          amountCents: AMOUNTS[n % AMOUNTS.length]!,
          paidAtMs: now - day * DAY + (i * 3 - 2) * HOUR,
        });
      }
  return out;
}

/** What a provider's webhook effect is given (src/webhooks/contract.ts EffectContext), for the demo's own writes. */
const ctx = (env: Bindings, provider: string, now: number): Parameters<typeof recordPayment>[0] => ({
  env,
  tenantId: TENANT,
  provider,
  eventId: "demo-seed",
  nowMs: now,
});

export async function seedDemoPayments(env: Bindings, now: number): Promise<number> {
  const payments = demoPayments(now);
  for (const p of payments)
    await recordPayment(ctx(env, p.provider, now), {
      providerTransactionId: p.id,
      amountCents: p.amountCents,
      currency: "USD",
      status: "succeeded",
      zone: p.zone,
      method: p.method,
      paidAtMs: p.paidAtMs,
    });
  // A driver who ended early, and one refunded in full.
  for (const p of [payments[0]!, payments[5]!])
    await recordRefund(ctx(env, p.provider, now), {
      providerTransactionId: p.id,
      refundId: `${p.id}_refund`,
      amountCents: p === payments[0] ? Math.floor(p.amountCents / 2) : p.amountCents,
    });
  return payments.length;
}
