// Per-key rate limiting that keeps the plate check fast: each isolate leases tokens from the key's
// RateLimiter object and spends them locally, one lease in flight per key (lease-cache.ts).
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "./problem";
import { LeaseCache } from "../ratelimit/lease-cache";

const leases = new LeaseCache();

export const rateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.get("principal");
  const pending = leases.admit(`${p.kind}:${p.id}`, p.rateLimitPerMinute, c.env.RATE_LIMITER, Date.now(), (work) =>
    c.executionCtx.waitUntil(work),
  );
  // Only a request that finds no local token waits: one with a token in hand goes on without an await.
  const admission = pending instanceof Promise ? await pending : pending;
  if (!admission.admitted) throw tooMany(p.rateLimitPerMinute, admission.retryAfterMs);
  c.header("RateLimit-Policy", `${p.rateLimitPerMinute};w=60`);
  c.header("RateLimit-Limit", String(p.rateLimitPerMinute));
  c.header("RateLimit-Remaining", String(admission.remaining));
  c.header("RateLimit-Reset", String(admission.resetSeconds));
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
