// Route, Durable Object and storage tests run inside workerd with the real bindings from wrangler.toml.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { buildSimulator } from "./scripts/build-simulator.mjs";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        // The provider simulator runs beside the worker; connectors reach it through SIMULATOR when a
        // connection's settings.baseUrl is on simulator.curbgate.local. Rebuilt before every run.
        // Its webhooks come back through CURBGATE (URLs on curbgate.local): the pool names the worker
        // under test "vitest-pool-workers-runner-<project name>" (this project has none).
        workers: [
          {
            name: "simulator",
            modules: true,
            scriptPath: await buildSimulator(),
            compatibilityDate: "2026-05-01",
            serviceBindings: { CURBGATE: "vitest-pool-workers-runner-" },
          },
        ],
        serviceBindings: { SIMULATOR: "simulator" },
        bindings: {
          ENVIRONMENT: "test",
          JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789abcdef",
          // Test-only master keys; two versions so rotation from 1 to 2 can be tested.
          VAULT_MASTER_KEYS: "1:xRT5RXIiXpqTcjOLiFgiI8WF7J2vTrrrbF6pbe0QE4U=,2:43tLVPHqA+qgdOdBN5dj9xu80aVeMBaAhNZafr9s0KM=",
          LOG_LEVEL: "warn",
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL("./migrations", import.meta.url))),
        },
      },
    })),
  ],
  test: {
    include: ["test/worker/**/*.test.ts"],
    setupFiles: ["./test/worker/setup.ts"],
    testTimeout: 30_000,
    // test/worker/fuzz.test.ts draws its cases from this seed; set FUZZ_SEED to replay a reported failure.
    provide: { fuzzSeed: process.env.FUZZ_SEED ?? "" },
  },
});
