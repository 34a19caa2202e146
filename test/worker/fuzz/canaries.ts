// What the fuzz sends after the poison: ordinary, valid payments that must still be processed, one in
// every inbox shard of their provider, since a poisoned delivery can only block the shard it lands in.
import { env } from "cloudflare:workers";
import { inboxFor } from "../../../src/webhooks/ingest";
import { uniq } from "../fixtures";
import * as d from "../webhooks/deliveries";

export interface Canary {
  provider: string;
  /** A vendor event id (the inbox's dedupe key for these providers) made from a random suffix. */
  externalId: (suffix: string) => string;
  body: (externalId: string) => string;
}

export const CANARIES: readonly Canary[] = [
  {
    provider: "stripe",
    externalId: (s) => `evt_canary${s}`,
    body: (id) =>
      d.stripeEvent("payment_intent.succeeded", d.paymentIntent({ id: `pi_canary${uniq(16)}`, amount: 500, fee: 30 }), id),
  },
  {
    provider: "teller",
    externalId: (s) => `evt_canary${s}`,
    body: (id) =>
      d.vendorEvent(
        "payment.completed",
        {
          paymentId: `pay_${uniq(10)}`,
          tellerTransactionId: `txn_canary${uniq(12)}`,
          status: "COMPLETED",
          amount: 500,
          netAmount: 470,
          processingFee: 30,
          accounting: { revenueAccount: "4000-PARKING", feeAccount: "6100-FEES", batchId: "B1" },
          metadata: {},
        },
        id,
      ),
  },
];

/**
 * One id per inbox shard of the provider, found by asking the ingestion code where each candidate goes
 * (so this follows the shard count and hash, whatever they become). 400 random candidates miss one of 8
 * shards with probability 8·(7/8)^400, about 10^-22.
 */
export function idPerShard(provider: string, externalId: (suffix: string) => string): string[] {
  const byShard = new Map<string, string>();
  for (let i = 0; i < 400; i++) {
    const id = externalId(uniq(12));
    byShard.set(inboxFor(env, "demo", provider, id).id.toString(), id);
  }
  return [...byShard.values()];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `work`'s result, or `late()` if it has not settled within `ms`. */
export function bounded<T>(ms: number, work: Promise<T>, late: () => T): Promise<T> {
  work.catch(() => {}); // a failure after the bound is not news: the bound already decided
  return Promise.race([work, sleep(ms).then(late)]);
}

/**
 * Calls `check` every 250 ms until it returns an empty list or `ms` have passed, and returns what was
 * left. The bound holds even when a call hangs: a runtime flooded by a re-sending inbox answers slowly.
 */
export async function waitFor<T>(ms: number, initial: T[], check: () => Promise<T[]>): Promise<T[]> {
  const deadline = Date.now() + ms;
  let left = initial;
  const loop = (async () => {
    for (;;) {
      left = await check();
      if (!left.length || Date.now() >= deadline) return left;
      await sleep(250);
    }
  })();
  return bounded(ms + 1000, loop, () => left);
}
