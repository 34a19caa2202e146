// workerd through Miniflare directly, configured from wrangler.toml: `wrangler dev`'s proxy caps every
// route near the same figure (bench/README.md). Also counts workerd's log lines, and migrates D1.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import { buildSimulator } from "../../scripts/build-simulator.mjs";
import { distDir, root, settings } from "./settings.mjs";

const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export async function startMiniflare(persistRoot) {
  const config = unstable_readConfig({ config: join(root, "wrangler.toml") });
  const sqliteClasses = new Set(config.migrations.flatMap((m) => m.new_sqlite_classes ?? []));
  const stdio = { lines: 0, problems: 0, tail: [] };
  const capture = (stream) => {
    let buf = "";
    stream.on("data", (chunk) => {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.trim()) continue;
        stdio.lines++;
        if (/"level":"(warn|error)"|Uncaught|Error:/.test(line)) stdio.problems++;
        stdio.tail.push(line);
        if (stdio.tail.length > 20) stdio.tail.shift();
      }
    });
  };
  const shared = {
    port: settings.port,
    logRequests: false,
    handleRuntimeStdio: (out, err) => {
      capture(out);
      capture(err);
    },
    d1Persist: join(persistRoot, "d1"),
    durableObjectsPersist: join(persistRoot, "do"),
    kvPersist: join(persistRoot, "kv"),
    r2Persist: join(persistRoot, "r2"),
  };
  const curbgate = {
    name: "curbgate",
    modules: true,
    scriptPath: join(distDir, "index.js"),
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    bindings: {
      ...config.vars,
      ENVIRONMENT: "development",
      DEMO_SEED: "true",
      LOG_LEVEL: "warn",
      JWT_SECRET: randomBytes(32).toString("hex"),
      VAULT_MASTER_KEYS: `1:${randomBytes(32).toString("base64")}`,
    },
    d1Databases: Object.fromEntries(config.d1_databases.map((d) => [d.binding, `bench-${d.database_name}`])),
    durableObjects: Object.fromEntries(
      config.durable_objects.bindings.map((b) => [
        b.name,
        { className: b.class_name, useSQLite: sqliteClasses.has(b.class_name) },
      ]),
    ),
    queueProducers: Object.fromEntries(
      (config.queues?.producers ?? []).map((q) => [q.binding, defined({ queueName: q.queue, deliveryDelay: q.delivery_delay })]),
    ),
    queueConsumers: Object.fromEntries(
      (config.queues?.consumers ?? []).map((q) => [
        q.queue,
        defined({
          maxBatchSize: q.max_batch_size,
          maxBatchTimeout: q.max_batch_timeout,
          maxRetries: q.max_retries,
          deadLetterQueue: q.dead_letter_queue,
          retryDelay: q.retry_delay,
        }),
      ]),
    ),
    kvNamespaces: config.kv_namespaces.map((k) => k.binding),
    r2Buckets: config.r2_buckets.map((r) => r.binding),
    // The provider simulator plays the vendors for the sync scenario, as in the tests: a connection
    // whose baseUrl is on simulator.curbgate.local is served through this binding.
    serviceBindings: { SIMULATOR: "simulator" },
  };
  const simulator = { name: "simulator", modules: true, scriptPath: await buildSimulator(), compatibilityDate: "2026-05-01" };
  const mf = new Miniflare({ ...shared, workers: [curbgate, simulator] });
  const url = await mf.ready;
  return { mf, base: url.origin, stdio };
}

export async function migrate(mf) {
  const d1 = await mf.getD1Database("DB");
  const dir = join(root, "migrations");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = readFileSync(join(dir, file), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter(Boolean);
    await d1.batch(statements.map((s) => d1.prepare(s)));
  }
  return { d1, files };
}
