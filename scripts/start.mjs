// `npm start`: Curbgate on local embedded state (D1, KV, R2, Durable Objects via wrangler dev),
// migrated and seeded with the demo tenant. Demo data is loaded only here, never on deploy.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 8787);
const base = `http://localhost:${port}`;
const wrangler = join(root, "node_modules", ".bin", "wrangler");

function ensureDevVars() {
  const file = join(root, ".dev.vars");
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
  const wanted = {
    ENVIRONMENT: "development",
    DEMO_SEED: "true",
    LOG_LEVEL: "info",
    JWT_SECRET: randomBytes(32).toString("hex"), // local only; production uses `wrangler secret put JWT_SECRET`
    VAULT_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`, // local only; production: `wrangler secret put VAULT_MASTER_KEYS`
  };
  const missing = Object.entries(wanted).filter(([k]) => !new RegExp(`^${k}=`, "m").test(existing));
  if (missing.length) writeFileSync(file, existing + missing.map(([k, v]) => `${k}=${v}\n`).join(""));
}

function run(args) {
  const r = spawnSync(wrangler, args, { cwd: root, stdio: "inherit", env: { ...process.env, CI: "true" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

async function waitForWorker(timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/health/live`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Curbgate did not answer on ${base} within ${timeoutMs / 1000}s`);
}

spawnSync(process.execPath, [join(root, "scripts", "build-assets.mjs")], { stdio: "inherit" });
ensureDevVars();
run(["d1", "migrations", "apply", "DB", "--local"]);

const dev = spawn(wrangler, ["dev", "--port", String(port), "--ip", "127.0.0.1", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
const stop = () => dev.kill("SIGINT");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", (code) => process.exit(code ?? 0));

try {
  await waitForWorker();
  const res = await fetch(`${base}/internal/dev/seed`, { method: "POST" });
  if (!res.ok) throw new Error(`demo seed failed: ${res.status} ${await res.text()}`);
  const seeded = await res.json();
  console.log(`
  Curbgate is running at ${base}   (API reference: ${base}/docs)

  Demo tenant "${seeded.tenant}" (America/New_York), zones ${seeded.zones.join(", ")}
    officer key   cg_demo_officer   plate checks, citations
    driver app    cg_demo_app       parking sessions
    staff sign-in admin@demo.test / demo-admin-password   (viewer@demo.test / demo-viewer-password)
    ${seeded.sessionsAdded} live sessions added; permits RES1234 (A1, A2), BIZ777 (B1, B2), VIS4242 (A1)

  First plate check:
    curl -s ${base}/v1/verify -H 'authorization: Bearer cg_demo_officer' \\
      -H 'content-type: application/json' -d '{"plate":"ABC123","state":"CT","zone":"A1"}'
`);
} catch (err) {
  console.error(String(err));
  stop();
}
