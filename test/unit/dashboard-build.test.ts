// The dashboard's build checks: the first-load JavaScript budget, and the copy staged for Cloudflare Pages.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs without declarations
import { checkBudget, FIRST_LOAD_BUDGET_BYTES, firstLoad } from "../../scripts/build-dashboard.mjs";
// @ts-expect-error plain .mjs without declarations
import { PAGES_REDIRECTS, stagePages } from "../../scripts/deploy-dashboard.mjs";

const INDEX = `<!doctype html><html><head><meta name="curbgate-api-origin" content="" />
<script type="module" crossorigin src="/admin/assets/index-abc.js"></script>
<link rel="modulepreload" crossorigin href="/admin/assets/vendor-def.js">
<link rel="stylesheet" href="/admin/assets/index.css"></head><body></body></html>`;

function fakeBuild(entryBytes: Uint8Array, preloadBytes: Uint8Array) {
  const dir = mkdtempSync(join(os.tmpdir(), "curbgate-dash-build-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), INDEX);
  writeFileSync(join(dir, "assets", "index-abc.js"), entryBytes);
  writeFileSync(join(dir, "assets", "vendor-def.js"), preloadBytes);
  writeFileSync(join(dir, "assets", "lazy-ghi.js"), crypto.getRandomValues(new Uint8Array(60_000))); // not in the first load
  return dir;
}

describe("first-load budget", () => {
  it("counts the entry script and every modulepreload, gzipped, and not lazily loaded chunks", () => {
    const load = firstLoad(fakeBuild(new TextEncoder().encode("x".repeat(50_000)), new TextEncoder().encode("console.log(1)")));
    expect(load.files.map((f: { file: string }) => f.file)).toEqual(["assets/index-abc.js", "assets/vendor-def.js"]);
    expect(load.files[0].bytes).toBe(50_000);
    expect(load.totalGzipBytes).toBeLessThan(1_000);
    expect(checkBudget(load).ok).toBe(true);
  });

  it("fails a build whose first load is over 200 KB gzipped", () => {
    expect(FIRST_LOAD_BUDGET_BYTES).toBe(200 * 1024);
    // Random bytes do not compress: 150 KB + 60 KB is over budget whatever gzip does.
    const dir = fakeBuild(randomBytes(150_000), randomBytes(60_000));
    const verdict = checkBudget(firstLoad(dir));
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toMatch(/OVER BUDGET/);
  });

  it("fails a build with no entry script at all", () => {
    const dir = mkdtempSync(join(os.tmpdir(), "curbgate-dash-empty-"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>x</title>");
    expect(checkBudget(firstLoad(dir)).ok).toBe(false);
  });
});

describe("Pages staging", () => {
  it("names the API origin in the app's meta tag, keeps the assets under /admin/, and redirects / there", () => {
    const source = fakeBuild(new Uint8Array([1]), new Uint8Array([2]));
    const out = join(mkdtempSync(join(os.tmpdir(), "curbgate-pages-")), "site");
    const staged = stagePages(source, out, "https://api.curbgate.example/some/path");
    expect(staged.origin).toBe("https://api.curbgate.example");
    for (const page of ["admin/index.html", "index.html"])
      expect(readFileSync(join(out, page), "utf8")).toContain(
        '<meta name="curbgate-api-origin" content="https://api.curbgate.example" />',
      );
    expect(readFileSync(join(out, "admin", "assets", "index-abc.js"))).toEqual(Buffer.from([1]));
    expect(readFileSync(join(out, "_redirects"), "utf8")).toBe(PAGES_REDIRECTS);
  });

  it("refuses an API that is not an absolute URL", () => {
    const source = fakeBuild(new Uint8Array([1]), new Uint8Array([2]));
    expect(() => stagePages(source, join(source, "out"), "curbgate.example")).toThrow();
  });
});

function randomBytes(n: number) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}
