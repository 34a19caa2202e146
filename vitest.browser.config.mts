// Browser tests: the real stack (worker + provider simulator under wrangler dev, fresh local state, demo
// seed) driven through the built dashboard in headless Chromium (playwright-core + @sparticuz/chromium).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/browser/**/*.test.ts"],
    globalSetup: ["./test/browser/global-setup.ts"],
    fileParallelism: false, // one stack, one browser at a time: gentle on a 2-core machine
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
