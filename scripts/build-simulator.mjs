// Bundles the provider simulator (simulator/src) into simulator/dist/index.js, the single module the
// workerd test pool loads as an auxiliary worker. `wrangler dev -c simulator/wrangler.toml` bundles
// from source itself; this file exists for the tests (vitest.config.mts calls it before every run).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
export const SIMULATOR_BUNDLE = join(root, "simulator", "dist", "index.js");

export async function buildSimulator() {
  await build({
    entryPoints: [join(root, "simulator", "src", "index.ts")],
    outfile: SIMULATOR_BUNDLE,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    logLevel: "warning",
  });
  return SIMULATOR_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`simulator bundled to ${await buildSimulator()}`);
}
