// Curbgate and the provider simulator on local state, each under `wrangler dev`: what `npm start` runs,
// and what the browser tests and `npm run gen:api` start on free ports in a state directory of their own.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const root = join(import.meta.dirname, "..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const quiet = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };

/** A TCP port nobody is listening on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(url, name, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not answer on ${url} within ${timeoutMs / 1000}s`);
}

const persistArgs = (persistTo) => (persistTo ? ["--persist-to", persistTo] : []);

/** Applies the D1 migrations to the local database (in `persistTo`, or wrangler's default .wrangler/state). */
export function migrateLocal({ persistTo, stdio = "inherit" } = {}) {
  const r = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", ...persistArgs(persistTo)], {
    cwd: root,
    stdio,
    env: quiet,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`D1 migrations failed (exit ${r.status})${r.stderr ? `: ${r.stderr}` : ""}`);
}

function launch(args, logFile) {
  const out = logFile ? createWriteStream(logFile, { flags: "a" }) : null;
  const child = spawn(wrangler, args, {
    cwd: root,
    stdio: out ? ["ignore", "pipe", "pipe"] : "inherit",
    env: out ? quiet : process.env,
  });
  if (out) {
    child.stdout.pipe(out);
    child.stderr.pipe(out);
  }
  return child;
}

/**
 * Starts the simulator and the worker. `vars` override wrangler.toml [vars] and .dev.vars (--var);
 * `logDir` sends each process's output to a file there instead of this terminal.
 */
export async function startStack({ port, simulatorPort, persistTo, vars = {}, logDir, extraArgs = [], withSimulator = true }) {
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const sim = !withSimulator
    ? null
    : launch(
        [
          "dev",
          "-c",
          "simulator/wrangler.toml",
          "--port",
          String(simulatorPort),
          "--ip",
          "127.0.0.1",
          "--inspector-port",
          "0",
          "--show-interactive-dev-session=false",
        ],
        logDir && join(logDir, "simulator.log"),
      );
  const dev = launch(
    // --test-scheduled: `wrangler dev` runs no cron of its own; /__scheduled lets runCrons() stand in for it.
    [
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      "0",
      "--show-interactive-dev-session=false",
      "--test-scheduled",
      ...persistArgs(persistTo),
      ...varArgs,
      ...extraArgs,
    ],
    logDir && join(logDir, "worker.log"),
  );
  const base = `http://127.0.0.1:${port}`;
  const simulator = sim ? `http://127.0.0.1:${simulatorPort}` : null;
  const stop = () => {
    dev.kill("SIGINT");
    sim?.kill("SIGINT");
  };
  const exited = new Promise((resolve) => dev.once("exit", resolve));
  try {
    await Promise.all([
      waitFor(`${base}/health/live`, "Curbgate"),
      sim && waitFor(`${simulator}/_control`, "The provider simulator"),
    ]);
  } catch (err) {
    stop();
    throw err;
  }
  return { base, simulator, dev, sim, stop, exited };
}

/**
 * Runs the worker's cron work (stale sync jobs, stranded webhook events) now and then every five minutes,
 * as Cloudflare would on the deployed worker's `*\/5 * * * *` trigger. Returns a function that stops it.
 */
export function runCrons(base, everyMs = 5 * 60_000) {
  const run = () =>
    fetch(`${base}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`)
      .then((r) => r.text())
      .catch(() => undefined);
  run();
  const timer = setInterval(run, everyMs);
  return () => clearInterval(timer);
}

/** Loads the demo tenant (and connects it to the simulator); only answers in development. */
export async function seedDemo(base, simulator) {
  const res = await fetch(`${base}/internal/dev/seed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ simulatorUrl: simulator }),
  });
  if (!res.ok) throw new Error(`demo seed failed: ${res.status} ${await res.text()}`);
  return res.json();
}
