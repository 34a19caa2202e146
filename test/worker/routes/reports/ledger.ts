// Ledger rows for the report tests, written straight to D1 the way the ledger stores them (payments
// with zone, method, paid_at and settlement; refunds with their fee share), and report keys.
import { env } from "cloudflare:workers";
import { db } from "../../../../src/storage/db";
import { tenants } from "../../../../src/storage/schema";
import { addKey, uniq } from "../../fixtures";

export interface LedgerInput {
  amountCents: number;
  feeCents: number;
  at: number;
  zone?: string | null;
  provider?: string;
  method?: string | null;
  currency?: string;
  status?: string;
  settlement?: { date: string; batch: string } | null;
}

export async function payment(tenantId: string, p: LedgerInput): Promise<string> {
  const id = `pay_${uniq(20)}`;
  await env.DB.prepare(
    `INSERT INTO payments (id, tenant_id, provider, provider_transaction_id, session_id, amount_cents, fee_cents, net_cents,
       refunded_cents, currency, status, revenue_account, fee_account, zone, method, source, paid_at, settlement_date,
       settlement_batch, created_at, updated_at)
     VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 0, ?, ?, NULL, NULL, ?, ?, 'webhook', ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      tenantId,
      p.provider ?? "teller",
      `txn_${uniq(12)}`,
      p.amountCents,
      p.feeCents,
      p.amountCents - p.feeCents,
      p.currency ?? "USD",
      p.status ?? "succeeded",
      p.zone === undefined ? "A1" : p.zone,
      p.method === undefined ? "card" : p.method,
      p.at,
      p.settlement?.date ?? null,
      p.settlement?.batch ?? null,
      p.at,
      p.at,
    )
    .run();
  return id;
}

/** A refund of part (or all) of a payment, with its share of the fee; returns its id as reports show it. */
export async function refund(tenantId: string, paymentId: string, amountCents: number, feeCents: number, at: number) {
  const refundId = `ref_${uniq(8)}`;
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO payment_refunds (id, tenant_id, payment_id, amount_cents, fee_cents, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).bind(`${tenantId}:teller:${refundId}`, tenantId, paymentId, amountCents, feeCents, at),
    env.DB.prepare(
      "UPDATE payments SET refunded_cents = refunded_cents + ?, status = CASE WHEN refunded_cents + ? >= amount_cents THEN 'refunded' ELSE 'partially_refunded' END WHERE id = ?",
    ).bind(amountCents, amountCents, paymentId),
  ]);
  return `teller:${refundId}`;
}

const REPORT_SCOPES = ["reports:read", "reports:write", "integrations:read", "integrations:write", "zones:read", "zones:write"];

/** A tenant of the test's own (America/New_York) with a reports key and a key without the reports scopes. */
export async function reportTenant(prefix: string, timezone = "America/New_York") {
  const id = `${prefix}${uniq(6).toLowerCase()}`;
  await db(env.DB)
    .insert(tenants)
    .values({ id, name: `Reports ${id}`, timezone })
    .onConflictDoNothing();
  const key = `cg_test_${id}_reports`;
  const noReports = `cg_test_${id}_noreports`;
  await addKey(env, key, id, REPORT_SCOPES, 1_000_000);
  await addKey(env, noReports, id, ["zones:read", "citations:read", "integrations:read"], 1_000_000);
  return { id, key, noReports };
}
