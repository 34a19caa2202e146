// The staff dashboard (dashboard/, built into public/admin/) is a single-page app: Workers Static
// Assets serves its files, and any other path under /admin/ reaches the worker, which answers with
// the app's index.html so a deep link or a reload lands on the right page.
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../http/problem";

// The same as public/_headers gives the dashboard's own files.
export const DASHBOARD_HEADERS = {
  "content-security-policy":
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export const adminApp = new Hono<AppEnv>()
  .get("/", (c) => c.redirect("/admin/", 308))
  .get("/*", async (c) => {
    const index = c.env.ASSETS ? await c.env.ASSETS.fetch(new URL("/admin/", c.req.url)) : null;
    if (!index?.ok) throw new ApiError(404, "The dashboard is not built; run `npm run build:dashboard`");
    return new Response(index.body, {
      status: 200,
      headers: { ...DASHBOARD_HEADERS, "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
    });
  });
