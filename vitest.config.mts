// Route, Durable Object and storage tests run inside workerd with the real bindings from wrangler.toml.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
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
  },
});
