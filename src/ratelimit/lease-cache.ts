// The isolate's side of rate limiting: tokens leased from each key's RateLimiter object and spent
// locally, so a plate check with a local token in hand costs a Map lookup, with no await and no
// allocation. One LeaseCache stands for one isolate (the middleware keeps one; a test builds several).
//
// Requests that find the local tokens gone share one lease in flight per key, sized for all of them;
// a lease adds to the local tokens and hands them out in arrival order. Every granted token is spent,
// or lapses and goes back to the object with the next lease; it is lost only if the isolate never
// leases that key again (or the lease carrying it fails). When each request leased on its own and
// overwrote the others' tokens, 32 clients on a 600/min key got 334 of the 604 due
// (test/worker/ratelimit-concurrency.test.ts).
//
// A waiting request wakes on its own timer, never on the leasing request's promise: I/O belongs to
// the request that started it, and a continuation run on another request's behalf can neither
// answer its own client nor outlive the request that woke it (the route test in
// test/worker/ratelimit-leases.test.ts hangs every waiter when they are woken by that promise).
import type { Lease } from "../../durable/rate-limiter";

const MAX_LEASE = 100;
const LEASE_TTL_MS = 1_000; // unspent tokens lapse, so an idle isolate never hoards budget
const MAX_KEYS = 10_000;
const MAX_POLL_MS = 8; // how often a waiting request looks again once its lease is overdue
const STALE_LEASE_MS = 3_000; // a lease not back by then went with its request (a cancelled client): ask again

/** Tokens kept beyond the waiting requests' own: about a quarter second of the key's budget, at most 100. */
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

interface Waiter {
  admission?: Admission;
}

interface Entry {
  readonly admitted: true;
  tokens: number; // leased and unspent; they lapse at expiresMs. Never usable while anyone waits.
  expiresMs: number;
  remaining: number; // the bucket's count at the last lease plus `tokens` (RateLimit-Remaining)
  resetSeconds: number; // until the bucket is full again, as of the last lease (RateLimit-Reset)
  deniedUntilMs: number; // the bucket and `tokens` are empty: refuse here, without asking, until then
  waiting: Waiter[]; // in arrival order
  leasedAtMs: number; // when the lease in flight was asked for; 0 when none is
  leases: number; // counts leases asked for, so a stale one coming back late does not clear a newer one's mark
  roundTripMs: number; // how long the last lease took
}

export class LeaseCache {
  private readonly entries = new Map<string, Entry>();

  admit(bucketName: string, limitPerMinute: number, limiters: Limiters, nowMs: number): Admission | Promise<Admission> {
    const entry = this.entries.get(bucketName) ?? this.add(bucketName, nowMs);
    if (entry.tokens > 0 && entry.expiresMs > nowMs) {
      entry.tokens--;
      entry.remaining--;
      return entry;
    }
    if (entry.deniedUntilMs > nowMs) return { admitted: false, retryAfterMs: entry.deniedUntilMs - nowMs };
    return this.wait(entry, bucketName, limitPerMinute, limiters, nowMs);
  }

  /** Joins the queue; leads a lease when none is in flight, otherwise waits for one to serve it. */
  private async wait(entry: Entry, bucketName: string, limitPerMinute: number, limiters: Limiters, nowMs: number): Promise<Admission> {
    const me: Waiter = {};
    entry.waiting.push(me);
    for (let pollMs = 1; ; pollMs = Math.min(2 * pollMs, MAX_POLL_MS)) {
      if (!me.admission && (entry.leasedAtMs === 0 || nowMs - entry.leasedAtMs >= STALE_LEASE_MS)) {
        try {
          await this.lease(entry, bucketName, limitPerMinute, limiters, nowMs);
        } catch (error) {
          const at = entry.waiting.indexOf(me);
          if (at >= 0) entry.waiting.splice(at, 1);
          throw error;
        }
      }
      if (me.admission) return me.admission;
      // First sleep until the lease in flight is due back (as long as the last one took), then poll.
      const dueInMs = entry.leasedAtMs + entry.roundTripMs - nowMs;
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_POLL_MS, Math.max(pollMs, dueInMs))));
      nowMs = Date.now();
    }
  }

  private async lease(entry: Entry, bucketName: string, limitPerMinute: number, limiters: Limiters, nowMs: number) {
    const id = ++entry.leases;
    entry.leasedAtMs = nowMs;
    // Tokens still here have lapsed (nobody waits while usable ones are left). Handing them back keeps
    // an isolate that went quiet from under-admitting the key; the object caps the bucket at the limit,
    // so a late return never adds a burst.
    const returned = entry.tokens;
    entry.tokens = 0;
    const want = Math.min(Math.max(1, limitPerMinute), entry.waiting.length + leaseSize(limitPerMinute) - 1);
    const askedMs = Date.now();
    let lease: Lease;
    try {
      lease = await limiters.get(limiters.idFromName(bucketName)).lease(limitPerMinute, want, undefined, returned);
    } finally {
      if (entry.leases === id) entry.leasedAtMs = 0;
    }
    entry.roundTripMs = Date.now() - askedMs;

    entry.tokens += lease.granted;
    entry.expiresMs = nowMs + LEASE_TTL_MS;
    entry.remaining = lease.remaining + entry.tokens;
    entry.resetSeconds = Math.ceil(lease.fullInMs / 1000);
    let served = 0;
    for (; served < entry.waiting.length && entry.tokens > 0; served++) {
      entry.tokens--;
      entry.remaining--;
      entry.waiting[served]!.admission = { admitted: true, remaining: entry.remaining, resetSeconds: entry.resetSeconds };
    }
    if (lease.granted < want && entry.tokens === 0) {
      // The object gave all it had: refuse everyone still waiting, and anyone else until a token is back.
      const retryAfterMs = lease.granted === 0 ? lease.retryAfterMs : nextTokenInMs(lease, limitPerMinute);
      entry.deniedUntilMs = nowMs + retryAfterMs;
      for (; served < entry.waiting.length; served++) entry.waiting[served]!.admission = { admitted: false, retryAfterMs };
    }
    entry.waiting.splice(0, served);
  }

  private add(bucketName: string, nowMs: number): Entry {
    if (this.entries.size >= MAX_KEYS) this.sweep(nowMs);
    const entry: Entry = {
      admitted: true,
      tokens: 0,
      expiresMs: 0,
      remaining: 0,
      resetSeconds: 0,
      deniedUntilMs: 0,
      waiting: [],
      leasedAtMs: 0,
      leases: 0,
      roundTripMs: 0,
    };
    this.entries.set(bucketName, entry);
    return entry;
  }

  /** Forgets keys with nothing to keep: nobody waiting, no live tokens, no denial to remember. */
  private sweep(nowMs: number) {
    for (const [name, e] of this.entries) {
      if (e.waiting.length === 0 && e.expiresMs <= nowMs && e.deniedUntilMs <= nowMs) this.entries.delete(name);
    }
  }
}

/**
 * The object reports retryAfterMs only when it grants nothing. After a short grant the bucket holds
 * less than one token, and fullInMs tells how much less: the next token is back (limit − 1) tokens'
 * worth of refill before the bucket is full. Rounded up, so never early.
 */
function nextTokenInMs(lease: Lease, limitPerMinute: number) {
  const capacity = Math.max(1, limitPerMinute);
  return Math.max(1, Math.ceil(lease.fullInMs - ((capacity - 1) * 60_000) / capacity));
}
