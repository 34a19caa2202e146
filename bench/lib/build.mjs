// The worker the bench loads is the bundle `wrangler deploy` would upload, not the sources.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fail, log } from "./print.mjs";
import { distDir, root } from "./settings.mjs";

export function build() {
  if (process.env.BENCH_SKIP_BUILD === "1" && existsSync(join(distDir, "index.js"))) {
    log("• reusing bench/.state/dist/index.js (BENCH_SKIP_BUILD=1)");
    return;
  }
  log("• bundling the worker: wrangler deploy --dry-run --outdir bench/.state/dist");
  rmSync(distDir, { recursive: true, force: true });
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  const r = spawnSync(wrangler, ["deploy", "--dry-run", "--outdir", distDir], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
  if (r.status !== 0 || !existsSync(join(distDir, "index.js"))) {
    process.stderr.write(r.stdout + r.stderr);
    fail(`wrangler build failed (exit ${r.status})`);
  }
}
