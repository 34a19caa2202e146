// The tenant's own records, read-only, as connectors see them (ConnectorContext.data). Always scoped to
// the job's tenant: a connector cannot name another.
import type { ActiveSessionRecord, TenantData } from "./contract";
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { refundRows, settledPaymentRows } from "../storage/payment-ledger";
import { activeSessionRows } from "../storage/session-history";
import { tenantTimezone } from "../storage/tenants";
import { listZones, rulesOf } from "../storage/zones";

export function tenantData(env: Bindings, tenantId: string): TenantData {
  const database = db(env.DB);
  return {
    async activeSessions(atMs, limit): Promise<ActiveSessionRecord[]> {
      const rows = await activeSessionRows(env.DB, tenantId, atMs, limit);
      return rows.map((r) => ({
        id: r.id,
        zone: r.zone,
        plate: r.plate,
        state: r.state,
        startAt: r.startAt,
        endAt: r.endAt,
        amountCents: r.amountCents,
        paidCents: r.paidCents,
      }));
    },
    timezone: () => tenantTimezone(database, tenantId),
    zones: async () => (await listZones(database, tenantId)).map(rulesOf),
    async payments(fromMs, toMs, limit) {
      const rows = await settledPaymentRows(database, tenantId, fromMs, toMs, limit);
      return rows.map(({ payment: p, zone }) => ({
        id: p.id,
        provider: p.provider,
        providerTransactionId: p.providerTransactionId,
        zone,
        amountCents: p.amountCents,
        feeCents: p.feeCents,
        currency: p.currency,
        revenueAccount: p.revenueAccount,
        feeAccount: p.feeAccount,
        at: p.createdAt,
      }));
    },
    async refunds(fromMs, toMs, limit) {
      const rows = await refundRows(database, tenantId, fromMs, toMs, limit);
      return rows.map(({ refund: r, payment: p, zone }) => ({
        // Stored as "<tenant>:<provider>:<refund id>"; the tenant is implied here.
        id: r.id.startsWith(`${tenantId}:`) ? r.id.slice(tenantId.length + 1) : r.id,
        paymentId: p.id,
        provider: p.provider,
        providerTransactionId: p.providerTransactionId,
        zone,
        amountCents: r.amountCents,
        currency: p.currency,
        revenueAccount: p.revenueAccount,
        at: r.createdAt,
      }));
    },
  };
}
