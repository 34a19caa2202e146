// The isolate's side of rate limiting: tokens leased from each key's RateLimiter object and spent
// locally, so most checks never wait on the object. One LeaseCache stands for one isolate (the
// middleware keeps one per isolate; a test may build several to stand for several isolates).
import type { Lease } from "../../durable/rate-limiter";

const MAX_LEASE = 100;
const LEASE_TTL_MS = 1_000; // unused leased tokens lapse, so an idle isolate never hoards budget
const MAX_KEYS = 10_000;

export const leaseSize = (limitPerMinute: number) => Math.max(1, Math.min(MAX_LEASE, Math.floor(limitPerMinute / 240)));

/** Read it at once: an admission from local tokens is the cache's own entry, which later requests change. */
export type Admission =
  | { readonly admitted: true; readonly remaining: number; readonly resetSeconds: number }
  | { readonly admitted: false; readonly retryAfterMs: number };

/** Where leases come from: the RATE_LIMITER namespace, or a test's wrapper around it. */
export interface Limiters {
  idFromName(name: string): DurableObjectId;
  get(id: DurableObjectId): { lease(limitPerMinute: number, want: number): Promise<Lease> };
}

interface Entry {
  readonly admitted: true;
  tokens: number;
  expiresMs: number;
  remaining: number; // the bucket's count at the last lease plus `tokens` (RateLimit-Remaining)
  resetSeconds: number;
  deniedUntilMs: number;
}

export class LeaseCache {
  private readonly entries = new Map<string, Entry>();

  admit(bucketName: string, limitPerMinute: number, limiters: Limiters, nowMs: number): Admission | Promise<Admission> {
    const entry = this.entries.get(bucketName);
    if (entry && entry.deniedUntilMs > nowMs) return { admitted: false, retryAfterMs: entry.deniedUntilMs - nowMs };
    if (entry && entry.tokens > 0 && entry.expiresMs > nowMs) {
      entry.tokens--;
      entry.remaining--;
      return entry;
    }
    return this.lease(bucketName, limitPerMinute, limiters, nowMs);
  }

  private async lease(bucketName: string, limitPerMinute: number, limiters: Limiters, nowMs: number): Promise<Admission> {
    const stub = limiters.get(limiters.idFromName(bucketName));
    const lease = await stub.lease(limitPerMinute, leaseSize(limitPerMinute));
    const entry: Entry = {
      admitted: true,
      tokens: lease.granted,
      expiresMs: nowMs + LEASE_TTL_MS,
      remaining: lease.remaining + lease.granted,
      resetSeconds: Math.ceil(lease.fullInMs / 1000),
      deniedUntilMs: lease.granted > 0 ? 0 : nowMs + lease.retryAfterMs,
    };
    if (this.entries.size > MAX_KEYS) this.entries.clear();
    this.entries.set(bucketName, entry);
    if (lease.granted === 0) return { admitted: false, retryAfterMs: lease.retryAfterMs };
    entry.tokens--;
    entry.remaining--;
    return { admitted: true, remaining: entry.remaining, resetSeconds: entry.resetSeconds };
  }
}
