// RateLimiter: one Durable Object per API key (or user). It is the single place that hands out
// request tokens, from a token bucket refilled continuously at limit-per-minute. Isolates lease a
// few tokens at a time (see src/ratelimit/lease-cache.ts), so most checks never wait on this object,
// and the total granted across all isolates, less what they hand back unspent, never exceeds the bucket.
import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../src/env";

export interface Lease {
  granted: number;
  remaining: number; // tokens left in the bucket after this grant
  retryAfterMs: number; // when granted is 0: how long until one token is back
  fullInMs: number; // how long until the bucket is full again
}

export class RateLimiter extends DurableObject<Bindings> {
  // Kept in memory on purpose: a bucket lost with an evicted object only ever errs towards allowing
  // a burst of at most one limit, and avoiding a storage write keeps every lease cheap.
  private tokens = -1;
  private updatedMs = 0;
  private limit = 0;

  /** `returned`: tokens an isolate leased earlier and let lapse unspent; they go back first, capped at the limit. */
  lease(limitPerMinute: number, want: number, nowMs = Date.now(), returned = 0): Lease {
    const capacity = Math.max(1, limitPerMinute);
    const perMs = capacity / 60_000;
    if (this.tokens < 0 || this.limit !== capacity) {
      this.tokens = this.tokens < 0 ? capacity : Math.min(capacity, this.tokens);
      this.limit = capacity;
    } else {
      // A clock that steps back refills nothing; a negative count would read as "new bucket" and refill it all.
      this.tokens = Math.min(capacity, this.tokens + Math.max(0, nowMs - this.updatedMs) * perMs);
    }
    this.updatedMs = Math.max(this.updatedMs, nowMs);
    if (returned > 0) this.tokens = Math.min(capacity, this.tokens + Math.floor(returned));
    const granted = Math.max(0, Math.min(Math.floor(this.tokens), want));
    this.tokens -= granted;
    return {
      granted,
      remaining: Math.floor(this.tokens),
      retryAfterMs: granted > 0 ? 0 : Math.ceil((1 - this.tokens) / perMs),
      fullInMs: Math.ceil((capacity - this.tokens) / perMs),
    };
  }
}
