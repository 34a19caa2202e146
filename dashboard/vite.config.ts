// The staff dashboard: Preact + TypeScript, built into ../public/admin/ and served by the worker's
// static assets at /admin/ (or deployed to Cloudflare Pages by `npm run deploy:dashboard`).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/admin/",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../public/admin", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev:dashboard`: the Vite dev server proxies the API to a running `npm start`.
    // /api too: evidence links the API signs point there.
    proxy: { "/v1": "http://127.0.0.1:8787", "/api": "http://127.0.0.1:8787", "/health": "http://127.0.0.1:8787" },
  },
});
