// CORS for a dashboard hosted on another origin (DASHBOARD_ORIGINS allow-list), and the dashboard's
// single-page fallback under /admin/.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dashboardOrigins } from "../../../src/http/cors";
import worker from "../../../src";
import type { Bindings } from "../../../src/env";
import { DEMO_ADMIN, expectProblem } from "../fixtures";

const DASH = "https://dash.curbgate.test";

async function send(path: string, init: RequestInit & { origins?: string; assets?: Fetcher } = {}) {
  const e = { ...(env as Bindings), DASHBOARD_ORIGINS: init.origins ?? `${DASH}, https://second.curbgate.test/` } as Bindings;
  if (init.assets) e.ASSETS = init.assets;
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://curbgate.test${path}`, init), e, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("CORS: happy", () => {
  it("an allowed origin reads API answers, including the request id and rate-limit headers", async () => {
    const res = await send("/v1/zones", { headers: { origin: DASH, authorization: `Bearer ${DEMO_ADMIN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(DASH);
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toMatch(/Origin/);
    expect(res.headers.get("access-control-expose-headers")).toMatch(/X-Request-Id/);
    expect(res.headers.get("access-control-expose-headers")).toMatch(/Retry-After/);
  });

  it("answers the preflight before authentication, naming the methods and headers the dashboard sends", async () => {
    const res = await send("/v1/zones/A1", {
      method: "OPTIONS",
      headers: {
        origin: "https://second.curbgate.test",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://second.curbgate.test");
    expect(res.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
    expect(res.headers.get("access-control-max-age")).toBe("600");
  });

  it("an error is readable by the allowed origin too (the dashboard shows the problem)", async () => {
    const res = await send("/v1/zones", { headers: { origin: DASH } });
    await expectProblem(res.clone(), 401);
    expect(res.headers.get("access-control-allow-origin")).toBe(DASH);
    const login = await send("/v1/auth/login", {
      method: "POST",
      headers: { origin: DASH, "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@demo.test", password: "demo-admin-password" }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get("access-control-allow-origin")).toBe(DASH);
  });
});

describe("CORS: security", () => {
  it("an origin not on the list gets no CORS headers, on answers and preflights alike", async () => {
    const res = await send("/v1/zones", { headers: { origin: "https://evil.example", authorization: `Bearer ${DEMO_ADMIN}` } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await send("/v1/zones", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("never allows every origin: an empty list allows none, and `*` or a pattern in the list is ignored", async () => {
    for (const origins of ["", "*", "https://*.pages.dev", "null"]) {
      const res = await send("/v1/zones", { origins, headers: { origin: DASH, authorization: `Bearer ${DEMO_ADMIN}` } });
      expect(res.headers.get("access-control-allow-origin"), origins).toBeNull();
    }
    expect([...dashboardOrigins({ DASHBOARD_ORIGINS: ` ${DASH}/ ,*, http://localhost:5173` })]).toEqual([
      DASH,
      "http://localhost:5173",
    ]);
  });

  it("the origin check is exact: a look-alike or a different scheme or port is refused", async () => {
    for (const origin of [`${DASH}.evil.example`, DASH.replace("https", "http"), `${DASH}:8443`]) {
      const res = await send("/v1/zones", { headers: { origin, authorization: `Bearer ${DEMO_ADMIN}` } });
      expect(res.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });
});

describe("/admin/ single-page fallback", () => {
  const assets = (html: string | null) =>
    ({
      fetch: async (input: RequestInfo | URL) =>
        html !== null && new URL(String(input instanceof Request ? input.url : input)).pathname === "/admin/"
          ? new Response(html, { headers: { "content-type": "text/html" } })
          : new Response("nope", { status: 404 }),
    }) as unknown as Fetcher;

  it("a deep link under /admin/ gets the app's index.html, and /admin redirects to /admin/", async () => {
    const res = await send("/admin/zones/A1", { assets: assets("<!doctype html><title>Curbgate</title>") });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toContain("<title>Curbgate</title>");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("content-security-policy")).toContain("connect-src 'self'");
    const bare = await send("/admin", { redirect: "manual" });
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe("/admin/");
  });

  it("says so when the dashboard has not been built", async () => {
    const p = await expectProblem(await send("/admin/zones", { assets: assets(null) }), 404);
    expect(p.detail).toMatch(/build:dashboard/);
  });
});
