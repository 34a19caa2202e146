// A month's revenue report for a city taking 50 000 payments a day (issue 12): the month is written
// straight into D1 (1.55 million payments in January, 20 zones, three providers, 1 % refunded), then
// `POST /v1/reports/generate` is timed one request at a time, as staff run it: revenue by zone for one
// zone (payments_tenant_zone_paid_idx) and for the whole tenant (payments_tenant_paid_idx), and revenue
// by day for the whole tenant. Every sum is a GROUP BY in D1 (src/storage/revenue-reports.ts); the
// answer's totals are checked against what was loaded.
import { createHash, randomBytes } from "node:crypto";
import { call, expectStatus } from "../lib/http.mjs";
import { fail, fmt, log } from "../lib/print.mjs";

export const REPORT_TENANT = "benchcity";
const TZ = "America/New_York";
const PER_DAY = Number(process.env.BENCH_REPORT_PER_DAY || 50_000);
const DAYS = 31; // January 2026
const ZONES = 20;
const RUNS = Number(process.env.BENCH_REPORT_RUNS || 15);
// D1 binds at most 100 values per statement, so rows are made by SQL itself: one recursive INSERT … SELECT
// writes a chunk of a day, and a day's chunks go in one batch.
const CHUNK = 10_000;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Local midnight of `ymd` in TZ as a UTC instant (two passes settle a day that changes offset). */
function localMidnight(ymd) {
  const offset = (ms) => {
    const f = new Intl.DateTimeFormat("en-US", {
      timeZone: TZ,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  };
  const naive = Date.parse(`${ymd}T00:00:00Z`);
  return naive - offset(naive - offset(naive));
}

/** The bench city, a key that reads reports, and January's payments and refunds. */
async function loadMonth(d1) {
  await d1
    .prepare("INSERT OR IGNORE INTO tenants (id, name, timezone) VALUES (?, 'Bench City', ?)")
    .bind(REPORT_TENANT, TZ)
    .run();
  const key = `cg_test_bench_reports_${randomBytes(12).toString("hex")}`;
  await d1
    .prepare(
      "INSERT INTO api_keys (id, tenant_id, name, prefix, hash, scopes, rate_limit_per_minute, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(
      `key_bench_reports_${randomBytes(4).toString("hex")}`,
      REPORT_TENANT,
      "bench reports",
      key.slice(0, 12),
      createHash("sha256").update(key).digest("hex"),
      JSON.stringify(["reports:read"]),
      10_000_000,
      Date.now(),
    )
    .run();
  const existing = await d1.prepare("SELECT COUNT(*) AS n FROM payments WHERE tenant_id = ?").bind(REPORT_TENANT).first();
  if (existing.n >= PER_DAY * DAYS) return { key, loadMs: 0, rows: existing.n };
  const started = Date.now();
  for (let day = 0; day < DAYS; day++) {
    const ymd = `2026-01-${String(day + 1).padStart(2, "0")}`;
    const from = localMidnight(ymd);
    const next = new Date(Date.parse(`${ymd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const step = Math.floor((localMidnight(next) - from) / PER_DAY); // the day's payments evenly over its hours
    const statements = [];
    for (let start = 0; start < PER_DAY; start += CHUNK) {
      const count = Math.min(CHUNK, PER_DAY - start);
      statements.push(
        d1
          .prepare(
            `WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
             INSERT INTO payments (id, tenant_id, provider, provider_transaction_id, amount_cents, fee_cents, net_cents, refunded_cents,
               currency, status, zone, method, source, paid_at, settlement_date, settlement_batch, created_at, updated_at)
             SELECT 'pay_b' || ? || '_' || i, ?, CASE i % 3 WHEN 0 THEN 'stripe' WHEN 1 THEN 'teller' ELSE 'square' END,
               'txn_b' || ? || '_' || i, 100 + (i * 37) % 900, (100 + (i * 37) % 900) * 5 / 100,
               (100 + (i * 37) % 900) - (100 + (i * 37) % 900) * 5 / 100, 0, 'USD', 'succeeded', 'Z' || CAST(i % ${ZONES} AS INTEGER),
               CASE i % 4 WHEN 0 THEN 'wallet' ELSE 'card' END, 'webhook', ? + i * ?, ?, ?, ? + i * ?, ? + i * ?
             FROM n`,
          )
          .bind(
            start,
            start + count,
            day,
            REPORT_TENANT,
            day,
            from,
            step,
            ymd,
            `BATCH-2026-${String(day + 1).padStart(3, "0")}-001`,
            from,
            step,
            from,
            step,
          ),
      );
    }
    // 1 % of the day's payments are refunded in part, with a 5 % fee share, an hour after they were made.
    statements.push(
      d1
        .prepare(
          `INSERT INTO payment_refunds (id, tenant_id, payment_id, amount_cents, fee_cents, created_at)
           SELECT ? || ':stripe:r' || id, tenant_id, id, amount_cents / 2, amount_cents / 2 * 5 / 100, paid_at + 3600000
           FROM payments WHERE tenant_id = ? AND paid_at >= ? AND paid_at < ? AND ((paid_at - ?) / ?) % 100 = 0`,
        )
        .bind(REPORT_TENANT, REPORT_TENANT, from, from + step * PER_DAY, from, step),
    );
    await d1.batch(statements);
    if ((day + 1) % 5 === 0) log(`  … ${day + 1} of ${DAYS} days loaded (${fmt((Date.now() - started) / 1000, 0)} s)`);
  }
  return { key, loadMs: Date.now() - started, rows: PER_DAY * DAYS };
}

async function timed(base, key, body, runs) {
  const ms = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    last = await expectStatus(call(base, "POST", "/v1/reports/generate", { key, body }), 200, `report ${body.template}`);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.at(-1), runs, report: last };
}

const sum = (rows, k) => rows.reduce((s, r) => s + r[k], 0);

export async function revenueReport(base, d1) {
  log(`• revenue report: loading ${DAYS} days × ${PER_DAY} payments into D1 for ${REPORT_TENANT}`);
  const { key, loadMs, rows } = await loadMonth(d1);
  const range = { from: "2026-01-01", to: "2026-01-31" };
  const zone = await timed(base, key, { template: "revenue_by_zone", range, filters: { zone: "Z7" } }, RUNS);
  const tenant = await timed(base, key, { template: "revenue_by_zone", range }, RUNS);
  const byDay = await timed(base, key, { template: "revenue_by_day", range }, RUNS);
  if (sum(tenant.report.rows, "payments") !== rows)
    fail(`revenue report: counted ${sum(tenant.report.rows, "payments")} payments, loaded ${rows}`);
  if (sum(byDay.report.rows, "payments") !== rows || byDay.report.rows.length < DAYS)
    fail(`revenue by day: ${byDay.report.rows.length} days, ${sum(byDay.report.rows, "payments")} payments`);
  if (zone.report.rows.length !== 1 || zone.report.rows[0].payments !== rows / ZONES)
    fail(`revenue for one zone: ${JSON.stringify(zone.report.rows).slice(0, 300)}`);
  const strip = ({ report, ...figures }) => figures;
  return {
    payments: rows,
    loadSeconds: loadMs / 1000,
    runs: RUNS,
    oneZone: strip(zone),
    wholeTenant: strip(tenant),
    wholeTenantByDay: strip(byDay),
  };
}

export function printRevenueReport(r) {
  log(
    `• revenue report over ${r.payments.toLocaleString("en-US")} payments (loaded in ${fmt(r.loadSeconds, 0)} s), ${r.runs} sequential runs each:`,
  );
  for (const [what, f] of [
    ["one zone, by zone", r.oneZone],
    ["whole tenant, by zone", r.wholeTenant],
    ["whole tenant, by day", r.wholeTenantByDay],
  ])
    log(`    ${what.padEnd(24)} p50 ${fmt(f.p50, 0)} ms   p99 ${fmt(f.p99, 0)} ms   max ${fmt(f.max, 0)} ms`);
}
