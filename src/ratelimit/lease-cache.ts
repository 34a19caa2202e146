// The isolate's side of rate limiting: tokens leased from each key's RateLimiter object and spent
// locally, so a plate check with a local token in hand costs a Map lookup, with no await and no
// allocation. One LeaseCache stands for one isolate (the middleware keeps one; a test builds several).
//
// Every granted token lands in one pool per key and is spent, or lapses and goes back to the object
// with the next lease; it is lost only if the isolate never leases that key again. (When each lease
// overwrote the pool instead, 32 clients on a 600/min key got 334 of the 604 due:
// test/worker/ratelimit-concurrency.test.ts.) A request that finds the pool empty leases a quarter
// second of budget; requests that come while that lease is out wait once, about as long as leases
// take, and then spend from the pool or, if it is still empty, lease one token for themselves. So a
// busy key costs about one call per lease, and no request waits much longer than two calls.
//
// A waiting request sleeps on its own timer, never on the leasing request's promise: a continuation
// woken by another request's I/O cannot answer its own client in the test runtime (vitest-pool-workers
// runs with no_handle_cross_request_promise_resolution), so that path could never be tested.
import type { Lease } from "../../durable/rate-limiter";

const MAX_LEASE = 100;
const LEASE_TTL_MS = 1_000; // unspent tokens lapse, so an idle isolate never hoards budget
const MAX_KEYS = 10_000;
const MAX_WAIT_MS = 50; // however slow leases have been, a waiting request asks for itself after this

/** Tokens a lease asks for: about a quarter second of the key's budget, at most 100. */
export const leaseSize = (limitPerMinute: number) => Math.max(1, Math.min(MAX_LEASE, Math.floor(limitPerMinute / 240)));

/** Read it at once: an admission from local tokens is the cache's own entry, which later requests change. */
export type Admission =
  | { readonly admitted: true; readonly remaining: number; readonly resetSeconds: number }
  | { readonly admitted: false; readonly retryAfterMs: number };

/** Where leases come from: the RATE_LIMITER namespace, or a test's wrapper around it. */
export interface Limiters {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): {
    lease(limitPerMinute: number, want: number, nowMs?: number, returned?: number): Promise<Lease>;
  };
}

interface Entry {
  readonly admitted: true;
  tokens: number; // leased and unspent; they lapse at expiresMs
  expiresMs: number;
  remaining: number; // the bucket's count at the last lease plus `tokens` (RateLimit-Remaining)
  resetSeconds: number; // until the bucket is full again, as of the last lease (RateLimit-Reset)
  deniedUntilMs: number; // the bucket and the pool are empty: refuse here, without asking, until then
  inFlight: number; // leases asked for and not yet back
  keepingSinceMs: number; // when the lease for tokens to keep was asked for; 0 when none is out
  roundTripMs: number; // how long that lease took last time
}

export class LeaseCache {
  private readonly entries = new Map<string, Entry>();

  admit(bucketName: string, limitPerMinute: number, limiters: Limiters, nowMs: number): Admission | Promise<Admission> {
    const entry = this.entries.get(bucketName) ?? this.add(bucketName);
    if (entry.tokens > 0 && entry.expiresMs > nowMs) {
      entry.tokens--;
      entry.remaining--;
      return entry;
    }
    if (entry.deniedUntilMs > nowMs) return { admitted: false, retryAfterMs: entry.deniedUntilMs - nowMs };
    if (entry.keepingSinceMs === 0) return this.lease(entry, bucketName, limitPerMinute, limiters, nowMs, true);
    return this.await(entry, bucketName, limitPerMinute, limiters, nowMs);
  }

  /** A lease to keep is out: wait once for it, then spend from the pool or lease one token. */
  private async await(entry: Entry, bucketName: string, limitPerMinute: number, limiters: Limiters, nowMs: number): Promise<Admission> {
    const dueInMs = entry.keepingSinceMs + entry.roundTripMs - nowMs;
    await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_WAIT_MS, Math.max(1, dueInMs + 1))));
    const now = Date.now();
    if (entry.tokens > 0 && entry.expiresMs > now) {
      entry.tokens--;
      entry.remaining--;
      return { admitted: true, remaining: entry.remaining, resetSeconds: entry.resetSeconds };
    }
    if (entry.deniedUntilMs > now) return { admitted: false, retryAfterMs: entry.deniedUntilMs - now };
    return this.lease(entry, bucketName, limitPerMinute, limiters, now, entry.keepingSinceMs === 0);
  }

  private async lease(entry: Entry, bucketName: string, limitPerMinute: number, limiters: Limiters, nowMs: number, keep: boolean): Promise<Admission> {
    // Tokens still here have lapsed: handing them back keeps an isolate that went quiet from
    // under-admitting the key (the object caps the bucket at the limit, so a late return adds no burst).
    const returned = entry.tokens;
    entry.tokens = 0;
    const askedMs = Date.now();
    if (keep) entry.keepingSinceMs = askedMs;
    entry.inFlight++;
    let lease: Lease;
    try {
      lease = await limiters.get(limiters.idFromName(bucketName)).lease(limitPerMinute, keep ? leaseSize(limitPerMinute) : 1, undefined, returned);
    } finally {
      entry.inFlight--;
      if (keep) {
        entry.keepingSinceMs = 0;
        entry.roundTripMs = Date.now() - askedMs;
      }
    }
    const now = nowMs; // the caller's clock throughout, so a lease takes no time off its own tokens
    entry.tokens += lease.granted;
    entry.expiresMs = now + LEASE_TTL_MS;
    entry.remaining = lease.remaining + entry.tokens;
    entry.resetSeconds = Math.ceil(lease.fullInMs / 1000);
    if (entry.tokens > 0) {
      // This request's own token, or one another lease brought while this one was out.
      entry.tokens--;
      entry.remaining--;
      entry.deniedUntilMs = 0;
      return { admitted: true, remaining: entry.remaining, resetSeconds: entry.resetSeconds };
    }
    entry.deniedUntilMs = now + lease.retryAfterMs;
    return { admitted: false, retryAfterMs: lease.retryAfterMs };
  }

  private add(bucketName: string): Entry {
    if (this.entries.size >= MAX_KEYS) this.sweep(Date.now());
    const entry: Entry = { admitted: true, tokens: 0, expiresMs: 0, remaining: 0, resetSeconds: 0, deniedUntilMs: 0, inFlight: 0, keepingSinceMs: 0, roundTripMs: 0 };
    this.entries.set(bucketName, entry);
    return entry;
  }

  /** Forgets keys with nothing to keep: no lease out, no live tokens, no denial to remember. */
  private sweep(nowMs: number) {
    for (const [name, e] of this.entries) if (e.inFlight === 0 && e.expiresMs <= nowMs && e.deniedUntilMs <= nowMs) this.entries.delete(name);
  }
}
