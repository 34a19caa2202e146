// Builds the staff dashboard (dashboard/, Vite) into public/admin/, which Workers Static Assets serves
// at /admin/, then measures what a first visit downloads: the entry script and every module it preloads,
// gzipped. Over FIRST_LOAD_BUDGET_BYTES the build fails. Run by `npm start`, `npm test` and the deploys.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
export const DASHBOARD_OUT = join(root, "public", "admin");
export const FIRST_LOAD_BUDGET_BYTES = 200 * 1024;

/** The JavaScript a first visit to the built index.html loads, with raw and gzipped sizes. */
export function firstLoad(outDir = DASHBOARD_OUT) {
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  const srcs = [
    ...html.matchAll(/<script[^>]*\stype="module"[^>]*\ssrc="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*\srel="modulepreload"[^>]*\shref="([^"]+)"/g),
  ].map((m) => m[1]);
  const files = [...new Set(srcs)].map((src) => {
    const rel = src.replace(/^\/admin\//, "").replace(/^\.\//, "");
    const bytes = readFileSync(join(outDir, rel));
    return { file: rel, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
  return { files, totalGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0) };
}

export function checkBudget(load, budget = FIRST_LOAD_BUDGET_BYTES) {
  if (load.files.length === 0) return { ok: false, message: "no entry script found in index.html" };
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const ok = load.totalGzipBytes <= budget;
  return {
    ok,
    message: `first load: ${kb(load.totalGzipBytes)} of JavaScript gzipped (budget ${kb(budget)})${ok ? "" : " — OVER BUDGET"}`,
  };
}

export async function buildDashboard({ logLevel = "warn" } = {}) {
  const { build } = await import("vite");
  await build({ configFile: join(root, "dashboard", "vite.config.ts"), logLevel });
  return firstLoad();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const load = await buildDashboard();
  for (const f of load.files)
    console.log(`  ${f.file.padEnd(40)} ${String(f.bytes).padStart(8)} B  ${String(f.gzipBytes).padStart(7)} B gzipped`);
  const verdict = checkBudget(load);
  console.log(`dashboard built into public/admin/; ${verdict.message}`);
  if (!verdict.ok) process.exit(1);
}
