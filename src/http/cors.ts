// CORS for the staff dashboard when it is served from another origin (Cloudflare Pages). Only the
// origins listed in DASHBOARD_ORIGINS get CORS headers; nothing is ever `*`. The dashboard sends its
// staff JWT in the Authorization header, never a cookie, so credentials mode is not needed or allowed.
import { createMiddleware } from "hono/factory";
import { cors } from "hono/cors";
import type { AppEnv, Bindings } from "../env";

const parsed = new Map<string, ReadonlySet<string>>();

/** The allow-list from DASHBOARD_ORIGINS ("https://a.example, https://b.example"); exact origins only. */
export function dashboardOrigins(env: Pick<Bindings, "DASHBOARD_ORIGINS">): ReadonlySet<string> {
  const raw = env.DASHBOARD_ORIGINS ?? "";
  let set = parsed.get(raw);
  if (!set) {
    set = new Set(
      raw
        .split(",")
        .map((s) => s.trim().replace(/\/$/, ""))
        .filter((s) => /^https?:\/\/[^/*\s]+$/.test(s)),
    );
    parsed.set(raw, set);
  }
  return set;
}

const allow = cors({
  origin: (origin, c) => (dashboardOrigins(c.env as Bindings).has(origin) ? origin : null),
  allowMethods: ["GET", "POST", "PUT", "DELETE"],
  allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
  exposeHeaders: ["X-Request-Id", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Location"],
  maxAge: 600,
});

export const dashboardCors = createMiddleware<AppEnv>(async (c, next) => {
  const preflight = await allow(c, next);
  if (preflight) return preflight;
  // Answers differ by Origin, so caches must key on it (hono adds this to preflights only).
  if (c.req.method !== "OPTIONS" && c.req.header("origin")) c.res.headers.append("Vary", "Origin");
});
