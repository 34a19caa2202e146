// `npm run deploy:dashboard -- --api https://curbgate.example.workers.dev [--project curbgate-dashboard] [--dry-run]`
// Deploys the same dashboard build the worker serves at /admin/ to Cloudflare Pages: builds it, stages a
// copy whose <meta name="curbgate-api-origin"> names the API, adds Pages routing (/ redirects to /admin/;
// a top-level index.html and no 404.html make Pages answer any other unknown path, such as a deep link
// /admin/zones/A1, with the app), and runs `wrangler pages deploy`. The worker must list the Pages origin in
// DASHBOARD_ORIGINS (wrangler.toml [vars]) so the browser may call it (CORS). See docs/dashboard.md.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
export const PAGES_DIR = join(root, "dist", "pages");

export const PAGES_REDIRECTS = "/ /admin/ 302\n";

/** Copies a built dashboard into `<out>/admin/` with the API origin filled in, plus Pages' _redirects. */
export function stagePages(source, out, apiOrigin) {
  const origin = new URL(apiOrigin).origin; // throws on anything that is not an absolute URL
  const index = join(source, "index.html");
  if (!existsSync(index)) throw new Error(`no built dashboard in ${source}; run npm run build:dashboard`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(source, join(out, "admin"), { recursive: true });
  const html = readFileSync(index, "utf8");
  const meta = /<meta name="curbgate-api-origin" content="[^"]*"\s*\/?>/;
  if (!meta.test(html)) throw new Error("index.html has no curbgate-api-origin meta tag");
  const configured = html.replace(meta, `<meta name="curbgate-api-origin" content="${origin}" />`);
  // The app's asset URLs are absolute (/admin/assets/…), so the same page works as Pages' SPA fallback.
  writeFileSync(join(out, "admin", "index.html"), configured);
  writeFileSync(join(out, "index.html"), configured);
  writeFileSync(join(out, "_redirects"), PAGES_REDIRECTS);
  return { origin, dir: out };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      api: { type: "string" },
      project: { type: "string", default: "curbgate-dashboard" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  if (!values.api) {
    console.error(
      "usage: npm run deploy:dashboard -- --api https://<your worker's origin> [--project curbgate-dashboard] [--dry-run]",
    );
    process.exit(2);
  }
  if (spawnSync(process.execPath, [join(root, "scripts", "build-dashboard.mjs")], { stdio: "inherit" }).status !== 0)
    process.exit(1);
  const { origin, dir } = stagePages(join(root, "public", "admin"), PAGES_DIR, values.api);
  console.log(`staged ${dir} for Pages, talking to ${origin}`);
  if (values["dry-run"]) process.exit(0);
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  const r = spawnSync(wrangler, ["pages", "deploy", dir, "--project-name", values.project], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`Add the Pages URL to DASHBOARD_ORIGINS in wrangler.toml and redeploy the worker, so ${origin} answers it (CORS).`);
}
