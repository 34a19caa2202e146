// Per-key rate limiting that keeps the plate check fast: each isolate leases a small batch of
// tokens from the key's RateLimiter object (about a quarter second of the key's budget) and spends
// them locally. Keys with small limits lease one token at a time, which makes them exact.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../http/problem";

const MAX_LEASE = 100;
const LEASE_TTL_MS = 1_000; // unused leased tokens lapse, so an idle isolate never hoards budget

interface Local {
  tokens: number;
  expiresMs: number;
  remaining: number;
  resetSeconds: number;
  deniedUntilMs: number;
}
const local = new Map<string, Local>();

export const leaseSize = (limitPerMinute: number) => Math.max(1, Math.min(MAX_LEASE, Math.floor(limitPerMinute / 240)));

export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.get("principal");
  const bucketName = `${p.kind}:${p.id}`;
  const now = Date.now();
  let entry = local.get(bucketName);
  if (entry && entry.deniedUntilMs > now) throw tooMany(p.rateLimitPerMinute, entry.deniedUntilMs - now);
  if (!entry || entry.tokens <= 0 || entry.expiresMs <= now) {
    const stub = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(bucketName));
    const lease = await stub.lease(p.rateLimitPerMinute, leaseSize(p.rateLimitPerMinute));
    entry = {
      tokens: lease.granted,
      expiresMs: now + LEASE_TTL_MS,
      remaining: lease.remaining,
      resetSeconds: Math.ceil(lease.fullInMs / 1000),
      deniedUntilMs: lease.granted > 0 ? 0 : now + lease.retryAfterMs,
    };
    if (local.size > 10_000) local.clear();
    local.set(bucketName, entry);
    if (lease.granted === 0) throw tooMany(p.rateLimitPerMinute, lease.retryAfterMs);
  }
  entry.tokens--;
  c.header("RateLimit-Policy", `${p.rateLimitPerMinute};w=60`);
  c.header("RateLimit-Limit", String(p.rateLimitPerMinute));
  c.header("RateLimit-Remaining", String(entry.remaining + entry.tokens));
  c.header("RateLimit-Reset", String(entry.resetSeconds));
  await next();
});

function tooMany(limit: number, retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError(429, `Rate limit of ${limit} requests per minute exceeded; retry in ${seconds}s`, {
    headers: {
      "Retry-After": String(seconds),
      "RateLimit-Policy": `${limit};w=60`,
      "RateLimit-Limit": String(limit),
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": String(seconds),
    },
  });
}
