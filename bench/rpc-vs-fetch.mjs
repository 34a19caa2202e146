// Decision record 0001's measurement: the same zone lookup served by a Durable Object three ways,
// timed from a worker calling it in a loop (no HTTP in front, so only the object call is measured).
//   rpc        native RPC method on `extends DurableObject`, state in SQLite (what Curbgate uses)
//   fetch      a fetch() handler with a JSON body per call (how itty-durable routes calls)
//   fetch+put  fetch() plus writing the whole object back after every mutating call, as
//              itty-durable's persistence does (measured on a write: adding one session)
import { Miniflare } from "miniflare";

const SESSIONS = Number(process.env.RPC_BENCH_SESSIONS ?? 2000);
const CALLS = Number(process.env.RPC_BENCH_CALLS ?? 3000);

const script = `
import { DurableObject } from "cloudflare:workers";
export class Zone extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS s (plate TEXT PRIMARY KEY, end_ms INTEGER)");
  }
  seed(n) { for (let i = 0; i < n; i++) this.ctx.storage.sql.exec("INSERT OR REPLACE INTO s VALUES (?, ?)", "P" + i, i); this.blob = null; return n; }
  check(plate) { return this.ctx.storage.sql.exec("SELECT end_ms FROM s WHERE plate = ?", plate).toArray()[0] ?? null; }
  add(plate) { this.ctx.storage.sql.exec("INSERT OR REPLACE INTO s VALUES (?, ?)", plate, Date.now()); return true; }
  async fetch(req) {
    const { op, plate } = await req.json();
    if (op === "check") return Response.json(this.check(plate));
    // itty-durable style: mutate in-memory state, then persist the whole object
    if (!this.blob) this.blob = Object.fromEntries(this.ctx.storage.sql.exec("SELECT plate, end_ms FROM s").toArray().map(r => [r.plate, r.end_ms]));
    this.blob[plate] = Date.now();
    if (op === "addPut") await this.ctx.storage.put("state", this.blob);
    return Response.json(true);
  }
}
export default {
  async fetch(req, env) {
    const url = new URL(req.url);
    const mode = url.searchParams.get("mode"), n = Number(url.searchParams.get("n"));
    const stub = env.ZONE.get(env.ZONE.idFromName(mode));
    await stub.seed(${SESSIONS});
    const t0 = Date.now();
    for (let i = 0; i < n; i++) {
      const plate = "P" + (i % ${SESSIONS});
      if (mode === "rpc") await stub.check(plate);
      else if (mode === "rpc-write") await stub.add("N" + i);
      else if (mode === "fetch") await (await stub.fetch("http://do/", { method: "POST", body: JSON.stringify({ op: "check", plate }) })).json();
      else if (mode === "fetch-put") await (await stub.fetch("http://do/", { method: "POST", body: JSON.stringify({ op: "addPut", plate: "N" + i }) })).json();
    }
    return Response.json({ mode, n, ms: Date.now() - t0 });
  }
};`;

const mf = new Miniflare({
  modules: true,
  script,
  compatibilityDate: "2026-05-01",
  durableObjects: { ZONE: { className: "Zone", useSQLite: true } },
});
const rows = [];
for (const mode of ["rpc", "fetch", "rpc-write", "fetch-put"]) {
  await mf.dispatchFetch(`http://x/?mode=${mode}&n=200`); // warm-up
  const r = await (await mf.dispatchFetch(`http://x/?mode=${mode}&n=${CALLS}`)).json();
  rows.push({
    mode,
    calls: r.n,
    ms: r.ms,
    perCallUs: Math.round((r.ms * 1000) / r.n),
    callsPerSec: Math.round((r.n * 1000) / Math.max(1, r.ms)),
  });
}
await mf.dispose();
console.log(`Durable Object with ${SESSIONS} sessions, ${CALLS} sequential calls per mode`);
console.table(rows);
