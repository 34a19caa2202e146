// Starts Curbgate and the provider simulator once for every browser test, each under `wrangler dev` on a
// free port with its own fresh state directory (migrated, demo tenant seeded), and stops them after.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain .mjs without declarations
import { freePort, migrateLocal, root, seedDemo, startStack } from "../../scripts/dev-stack.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    base: string;
    simulator: string;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync(join(root, "public", "admin", "index.html")))
    throw new Error("build the dashboard first: npm run build:dashboard (npm run test:browser does)");
  const state = mkdtempSync(join(os.tmpdir(), "curbgate-browser-"));
  migrateLocal({ persistTo: state, stdio: "pipe" });
  const stack = await startStack({
    port: await freePort(),
    simulatorPort: await freePort(),
    persistTo: state,
    logDir: state,
    vars: {
      ENVIRONMENT: "development",
      DEMO_SEED: "true",
      LOG_LEVEL: "warn",
      JWT_SECRET: randomBytes(32).toString("hex"),
      VAULT_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`,
      // One failed processing attempt dead-letters a webhook event, and failed syncs retry within seconds,
      // so the tests see dead letters and an open breaker without waiting minutes.
      WEBHOOK_MAX_ATTEMPTS: "1",
      WEBHOOK_RETRY_BASE_SECONDS: "1",
      SYNC_MAX_ATTEMPTS: "3",
      SYNC_RETRY_BASE_SECONDS: "1",
    },
  }).catch((err: Error) => {
    for (const log of ["worker.log", "simulator.log"])
      if (existsSync(join(state, log))) console.error(`--- ${log}\n${readFileSync(join(state, log), "utf8").slice(-4000)}`);
    throw err;
  });
  await seedDemo(stack.base, stack.simulator);
  project.provide("base", stack.base);
  project.provide("simulator", stack.simulator);

  return async () => {
    stack.stop();
    await Promise.race([stack.exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (process.env.CURBGATE_KEEP_STATE) console.log(`browser test state and logs kept in ${state}`);
    else rmSync(state, { recursive: true, force: true });
  };
}
