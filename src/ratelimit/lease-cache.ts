// The isolate's side of rate limiting: tokens leased from each key's RateLimiter object and spent
// locally, so a plate check with a local token in hand costs a Map lookup, with no await and no
// allocation. One LeaseCache stands for one isolate (the middleware keeps one; a test builds several).
//
// Every granted token lands in one pool per key and is spent, or lapses and goes back to the object
// with the next lease; it is lost only if the isolate never leases that key again. (When each lease
// overwrote the pool instead, 32 clients on a 600/min key got 334 of the 604 due:
// test/worker/ratelimit/concurrency.test.ts.)
//
// The pool of a busy key (from 2 400 a minute) is topped up before it runs dry: the request that takes
// it below half a lease starts the next lease in the background (handed to `defer`, the request's
// waitUntil), so a busy key costs about one call per lease and nobody waits for it. A request that still finds the pool empty
// leases for
// itself: the lease to keep if none is out, else one token. No request ever waits on another's
// promise or on a timer: waiting on timers under load let new requests overtake the waiting ones
// (the session-start p99 went from about 200 ms to 1-2 s in the bench).
import type { Lease } from "../../durable/rate-limiter";

const MAX_LEASE = 100;
const LEASE_TTL_MS = 1_000; // unspent tokens lapse, so an idle isolate never hoards budget
const MAX_KEYS = 10_000;
// Small keys never lease ahead: a token an idle isolate holds back is a request another is refused.
const PREFETCH_FROM = 10;

/** Tokens a lease to keep asks for at first: about a quarter second of the key's budget, at most 100. */
export const leaseSize = (limitPerMinute: number) => Math.max(1, Math.min(MAX_LEASE, Math.floor(limitPerMinute / 240)));

/** What a lease to keep may grow to while the pool keeps running dry: a second of the key's budget, at most 1 000. */
const maxLease = (limitPerMinute: number) =>
  Math.max(leaseSize(limitPerMinute), Math.min(1_000, Math.floor(limitPerMinute / 60)));

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

/** Keeps a background lease alive past the request that started it (the request's waitUntil). */
export type Defer = (work: Promise<unknown>) => void;

interface Entry {
  readonly admitted: true;
  tokens: number; // leased and unspent; they lapse at expiresMs
  expiresMs: number;
  remaining: number; // the bucket's count at the last lease plus `tokens` (RateLimit-Remaining)
  resetSeconds: number; // until the bucket is full again, as of the last lease (RateLimit-Reset)
  deniedUntilMs: number; // the bucket and the pool are empty: refuse here, without asking, until then
  keeping: boolean; // a lease to keep is out
  size: number; // what a lease to keep asks for: doubles (up to maxLease) when the pool ran dry under it, halves when tokens lapse
  ranDry: boolean; // a request leased for itself while the lease to keep was out
}

export class LeaseCache {
  private readonly entries = new Map<string, Entry>();

  admit(
    bucketName: string,
    limitPerMinute: number,
    limiters: Limiters,
    nowMs: number,
    defer?: Defer,
  ): Admission | Promise<Admission> {
    const entry = this.entries.get(bucketName) ?? this.add(bucketName, limitPerMinute);
    if (entry.tokens > 0 && entry.expiresMs > nowMs) {
      entry.tokens--;
      entry.remaining--;
      if (defer && !entry.keeping && entry.tokens < entry.size / 2 && leaseSize(limitPerMinute) >= PREFETCH_FROM)
        defer(this.lease(entry, bucketName, limitPerMinute, limiters, nowMs, false).catch(() => undefined)); // the next request leases for itself
      return entry;
    }
    if (entry.deniedUntilMs > nowMs) return { admitted: false, retryAfterMs: entry.deniedUntilMs - nowMs };
    return this.lease(entry, bucketName, limitPerMinute, limiters, nowMs, true);
  }

  /** Leases into the pool: tokens to keep if no such lease is out, else one; `spend` takes one for the caller. */
  private async lease(
    entry: Entry,
    bucketName: string,
    limitPerMinute: number,
    limiters: Limiters,
    nowMs: number,
    spend: boolean,
  ): Promise<Admission> {
    const keep = !entry.keeping;
    if (keep) entry.keeping = true;
    else entry.ranDry = true;
    // Tokens past their lapse go back: a quiet isolate under-admits nobody (the object caps the bucket
    // at the limit, so a late return adds no burst). A pool that lapsed was leased too big: halve it.
    let returned = 0;
    if (entry.tokens > 0 && entry.expiresMs <= nowMs) {
      returned = entry.tokens;
      entry.tokens = 0;
      entry.size = Math.max(leaseSize(limitPerMinute), Math.floor(entry.size / 2));
    }
    let lease: Lease;
    try {
      lease = await limiters
        .get(limiters.idFromName(bucketName))
        .lease(limitPerMinute, keep ? entry.size : 1, undefined, returned);
    } finally {
      if (keep) {
        entry.keeping = false;
        if (entry.ranDry) entry.size = Math.min(maxLease(limitPerMinute), 2 * entry.size);
        entry.ranDry = false;
      }
    }
    entry.tokens += lease.granted;
    entry.expiresMs = nowMs + LEASE_TTL_MS;
    entry.remaining = lease.remaining + entry.tokens;
    entry.resetSeconds = Math.ceil(lease.fullInMs / 1000);
    if (entry.tokens > 0) entry.deniedUntilMs = 0;
    if (!spend) return entry;
    if (entry.tokens > 0) {
      // This request's own token, or one another lease brought while this one was out.
      entry.tokens--;
      entry.remaining--;
      return { admitted: true, remaining: entry.remaining, resetSeconds: entry.resetSeconds };
    }
    entry.deniedUntilMs = nowMs + lease.retryAfterMs;
    return { admitted: false, retryAfterMs: lease.retryAfterMs };
  }

  private add(bucketName: string, limitPerMinute: number): Entry {
    if (this.entries.size >= MAX_KEYS) this.sweep(Date.now());
    const entry: Entry = {
      admitted: true,
      tokens: 0,
      expiresMs: 0,
      remaining: 0,
      resetSeconds: 0,
      deniedUntilMs: 0,
      keeping: false,
      size: leaseSize(limitPerMinute),
      ranDry: false,
    };
    this.entries.set(bucketName, entry);
    return entry;
  }

  /** Forgets keys with nothing to keep: no lease out, no live tokens, no denial to remember. */
  private sweep(nowMs: number) {
    for (const [name, e] of this.entries)
      if (!e.keeping && e.expiresMs <= nowMs && e.deniedUntilMs <= nowMs) this.entries.delete(name);
  }
}
