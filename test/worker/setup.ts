// Every test file starts from migrated D1 with the demo tenant and a second tenant to attack from.
import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { seedDemo } from "../../src/dev/seed";
import { seedOtherTenant } from "./fixtures";

const testEnv = env as typeof env & { TEST_MIGRATIONS: D1Migration[] };
await applyD1Migrations(testEnv.DB, testEnv.TEST_MIGRATIONS);
await seedDemo(testEnv);
await seedOtherTenant(testEnv);
