import { describe, expect, it } from "vitest";
import { app } from "../../../src";
import { call } from "../fixtures";

// /admin and /admin/* serve the dashboard's single-page app (src/routes/dashboard.ts), not the API.
const UNDOCUMENTED = new Set([
  "/openapi.json",
  "/docs",
  "/internal/dev/seed",
  "/internal/dev/zones/:code/import",
  "/internal/dev/bench/gate",
  "/admin",
  "/admin/*",
]);

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and documents every route the app serves", async () => {
    const res = await call("/openapi.json", { key: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    const served = app.routes
      .filter((r) => r.method !== "ALL" && !UNDOCUMENTED.has(r.path))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(served.length).toBeGreaterThan(15);
    expect(new Set(documented)).toEqual(new Set(served));
  });

  it("declares bearer auth and problem responses on every credentialed operation", async () => {
    const doc = (await (await call("/openapi.json", { key: null })).json()) as any;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [path, ops] of Object.entries(doc.paths) as [string, any][]) {
      if (!path.startsWith("/v1/") && !path.startsWith("/api/")) continue;
      if (path === "/v1/auth/login" || path.startsWith("/v1/webhooks/") || path.startsWith("/api/webhooks/")) continue; // vendor signatures, not credentials
      if (path.startsWith("/v1/integrations/oauth/callback/")) continue; // the browser back from the vendor: the OAuth state is the proof
      if (path.startsWith("/api/evidence/")) continue; // a signed evidence link: its signature is the proof
      for (const [method, op] of Object.entries(ops) as [string, any][]) {
        expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        for (const status of ["401", "403", "422", "429"])
          expect(op.responses[status]?.content?.["application/problem+json"], `${method} ${path} ${status}`).toBeDefined();
      }
    }
  });

  it("describes request bodies from the same schemas that validate them", async () => {
    const doc = (await (await call("/openapi.json", { key: null })).json()) as any;
    const verify = doc.components.schemas.VerifyRequest;
    expect(verify.required.sort()).toEqual(["plate", "zone"]);
    const reject = await call("/v1/verify", { body: { plate: "ABC123" } });
    expect(reject.status).toBe(422);
    expect(((await reject.json()) as any).errors.map((e: any) => e.path)).toEqual(["zone"]);
  });

  it("serves an interactive reference at /docs that loads the document", async () => {
    const res = await call("/docs", { key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('url: "/openapi.json"');
    expect(html).toContain("/vendor/swagger-ui/swagger-ui-bundle.js");
  });
});
