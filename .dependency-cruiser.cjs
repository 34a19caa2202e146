// Architecture boundaries of the worker, its Durable Objects, queue consumers and the dashboard.
// Run with `npm run boundaries`. Every import between our own modules must be listed in `allowed`
// (anything else is reported as "not-in-allowed"); `forbidden` adds named rules for the special cases.
//
// Reading the paths: they are regular expressions over paths from the repository root.
// "Type-only" means `import type { X }` / `import { type X }` / `typeof import("…")`: erased at
// build time, so it shapes the types but never the bundle or module start-up order.
// This file is CommonJS (.cjs) because package.json says "type": "module".

const TYPE_ONLY = ["type-only", "type-import"];

const ENV = "^src/env\\.ts$"; // the `Bindings` type (and the per-request context)
const REGISTRY = "^src/vendors/index\\.ts$"; // the vendor registry: every connector, by provider id
const PROBLEM = "^src/http/problem\\.ts$"; // ApiError and problem+json: HTTP errors

/** A module path in one of these folders of src/ (each name a folder under src/). */
const under = (...folders) => `^src/(${folders.join("|")})/`;

/** "Layer X may import only from these places": one `allowed` entry. */
const layer = (from, to, comment) => ({ comment, from: { path: from }, to: { path: to } });

module.exports = {
  allowedSeverity: "error",
  allowed: [
    // Outside code. Which layer may use which package is not checked here, except drizzle-orm (below).
    { comment: "npm packages", from: {}, to: { path: "^node_modules/" } },
    {
      comment: "The Workers runtime's own modules (cloudflare:workers) are provided by workerd, not resolvable on disk",
      from: {},
      to: { path: "^cloudflare:", couldNotResolve: true },
    },

    // The two files every layer shares.
    {
      comment: "Everybody may see the Bindings type (src/env.ts), type-only",
      from: { path: "^(src|durable|queues)/" },
      to: { path: ENV, dependencyTypes: TYPE_ONLY },
    },
    {
      comment:
        "src/env.ts names the Durable Object classes and queue message types in the Bindings, so it may import anything, type-only",
      from: { path: ENV },
      to: { dependencyTypes: TYPE_ONLY },
    },
    {
      comment: "src/index.ts is the composition root: it wires every router, queue consumer and Durable Object",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^(src|durable|queues)/" },
    },

    // The layers, from the ground floor up.
    layer(under("lib"), under("lib"), "src/lib is the ground floor (ids, bytes, crypto, log, backoff, failure, queue limits)"),
    layer(under("domain"), under("domain", "lib"), "src/domain is pure: rules and arithmetic of the parking domain"),
    layer(under("mapping"), under("mapping", "domain", "lib"), "src/mapping is pure field mapping; it reads no storage"),
    layer(under("storage"), under("storage", "mapping", "domain", "lib"), "src/storage: D1 (drizzle), KV and R2 access"),
    {
      comment:
        "src/storage is the door to the zone objects (src/storage/zone-state.ts): it names their RPC contract, type-only, and nothing else of durable/",
      from: { path: under("storage") },
      to: { path: "^durable/zone-state/contract\\.ts$", dependencyTypes: TYPE_ONLY },
    },
    layer(under("auth"), under("auth", "storage", "domain", "lib"), "src/auth: principals, API keys, tokens"),
    layer(under("vault"), under("vault", "storage", "domain", "lib"), "src/vault: encrypted credentials"),
    layer(
      under("webhooks"),
      under("webhooks", "storage", "vault", "domain", "lib"),
      "src/webhooks is the webhook engine; the vendor is handed to it by its caller",
    ),
    layer(under("effects"), under("effects", "storage", "domain", "lib"), "src/effects: what a webhook event changes"),
    {
      comment: "src/effects implements the webhook engine's effect contract, so it sees src/webhooks type-only",
      from: { path: under("effects") },
      to: { path: under("webhooks"), dependencyTypes: TYPE_ONLY },
    },
    layer(
      under("sync"),
      under("sync", "storage", "vault", "mapping", "effects", "domain", "lib"),
      "src/sync is the outbound sync engine; the vendor is handed to it by its caller",
    ),
    layer(
      under("vendors"),
      under("vendors", "webhooks", "sync", "effects", "mapping", "vault", "domain", "lib"),
      "src/vendors: one folder per vendor, plugging into the webhook and sync engines",
    ),
    layer(
      "^durable/",
      `^durable/|${under("storage", "sync", "webhooks", "vault", "domain", "lib")}|${REGISTRY}`,
      "durable/: Durable Objects; the vendor registry too, as they are composition roots for reminders and token refresh",
    ),
    layer(under("ratelimit"), `${under("ratelimit", "lib")}|^durable/`, "src/ratelimit: the rate limiter's client side"),
    layer(under("http"), under("http", "auth", "ratelimit", "storage", "domain", "lib"), "src/http: middleware, problem+json, router factory, audit helper"),
    layer(under("dev"), `${under("dev", "effects", "storage", "auth", "vault", "domain", "lib")}|^durable/|${REGISTRY}`, "src/dev: demo data"),
    layer(under("routes"), "^(src|durable)/", "src/routes: the HTTP surface may use everything in src and durable (not queues/, not drizzle-orm)"),
    layer("^queues/", "^(src|durable|queues)/", "queues/: queue consumers may use everything except src/routes and src/http (see forbidden)"),

    // The dashboard (browser code) shares only plain types and rules with the worker.
    layer("^dashboard/src/", "^dashboard/src/", "dashboard/src: the staff dashboard's own modules"),
    layer(
      "^dashboard/src/",
      "^src/(domain/rules|domain/types|auth/principal)\\.ts$",
      "The dashboard may reuse the worker's zone rules, domain types and principal (nothing that runs on the worker only)",
    ),
  ],

  forbidden: [
    {
      name: "drizzle-only-in-storage",
      comment: "Only src/storage talks to the database; everybody else calls a storage function (type-only imports included)",
      severity: "error",
      from: { pathNot: under("storage") },
      to: { path: "^node_modules/drizzle-orm/" },
    },
    {
      name: "vendor-not-to-other-vendor",
      comment: "A vendor folder src/vendors/<id>/ uses only itself, src/vendors/shared/ and src/vendors/types.ts",
      severity: "error",
      from: { path: "^src/vendors/([^/]+)/", pathNot: "^src/vendors/shared/" },
      to: { path: "^src/vendors/", pathNot: "^src/vendors/($1|shared)/|^src/vendors/types\\.ts$" },
    },
    {
      name: "vendors-shared-not-to-a-vendor",
      comment: "src/vendors/shared/ is shared by the vendor folders, so it never depends on one of them",
      severity: "error",
      from: { path: "^src/vendors/shared/" },
      to: { path: "^src/vendors/[^/]+/", pathNot: "^src/vendors/shared/" },
    },
    {
      name: "registry-only-from-composition-roots",
      comment:
        "The vendor registry (src/vendors/index.ts) pulls in every vendor: only src/index.ts, src/routes, queues, durable, src/dev and src/vendors pick a vendor from it; the engines receive one",
      severity: "error",
      from: { pathNot: "^(src/index\\.ts$|src/routes/|queues/|durable/|src/dev/|src/vendors/)" },
      to: { path: REGISTRY },
    },
    {
      name: "engines-not-to-vendors",
      comment: "The webhook and sync engines are vendor-neutral: their caller hands them the vendor (type-only imports included)",
      severity: "error",
      from: { path: under("webhooks", "sync") },
      to: { path: "^src/vendors/" },
    },
    {
      name: "webhooks-not-to-durable",
      comment: "The webhook engine does not know the Durable Objects that feed it (type-only imports included)",
      severity: "error",
      from: { path: under("webhooks") },
      to: { path: "^durable/" },
    },
    {
      name: "http-errors-only-in-http-layer",
      comment:
        "ApiError / problem+json (src/http/problem.ts) are HTTP answers: only src/http, src/routes and src/index.ts raise them; deeper layers throw their own errors and the routes translate",
      severity: "error",
      from: { pathNot: "^(src/http/|src/routes/|src/index\\.ts$)" },
      to: { path: PROBLEM },
    },
    {
      name: "routes-not-to-queues",
      comment: "Routes enqueue through src/ helpers; queues/ holds the consumers, which routes never call",
      severity: "error",
      from: { path: under("routes") },
      to: { path: "^queues/" },
    },
    {
      name: "queues-not-to-http",
      comment: "Queue consumers run outside any HTTP request: no routes, no middleware",
      severity: "error",
      from: { path: "^queues/" },
      to: { path: under("routes", "http") },
    },
    {
      name: "no-test-code-in-production",
      comment: "Shipped code never imports tests, fixtures or benchmarks",
      severity: "error",
      from: { path: "^(src|durable|queues|dashboard/src)/" },
      to: { path: "^(test|bench)/" },
    },
    {
      name: "no-circular",
      comment:
        "No import cycles. A cycle through src/env.ts is exempt when it is type-only there (see the next rule): the Bindings type names the Durable Object classes",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { pathNot: ENV } },
    },
    {
      name: "no-circular-at-runtime-via-env",
      comment: "A cycle through src/env.ts made only of real (not type-only) imports is still a cycle",
      severity: "error",
      from: {},
      to: { circular: true, via: { path: ENV }, viaOnly: { dependencyTypesNot: TYPE_ONLY } },
    },
    {
      name: "not-to-unresolvable",
      comment: "Every import resolves to a file or package (cloudflare:* modules come from the runtime)",
      severity: "error",
      from: {},
      to: { couldNotResolve: true, pathNot: "^cloudflare:" },
    },
  ],

  options: {
    // See type-only imports (erased by tsc) so rules can tell them apart from real ones.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "^node_modules/" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".tsx", ".d.ts", ".mts", ".js", ".mjs", ".json"],
    },
  },
};
