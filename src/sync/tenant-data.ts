// The tenant's own records, read-only, as connectors see them (ConnectorContext.data). Always scoped to
// the job's tenant: a connector cannot name another.
import type { ActiveSessionRecord, TenantData, ViolationRecord } from "./contract";
import type { Bindings } from "../env";
import { amountDueCents } from "../domain/citations";
import { citationsForVendors } from "../storage/citations";
import { db } from "../storage/db";
import { evidenceOfMany, type EvidenceRow } from "../storage/evidence";
import { refundRows, settledPaymentRows } from "../storage/payment-ledger";
import { permitsOfTypes } from "../storage/permits";
import { activeSessionRows } from "../storage/session-history";
import { tenantTimezone } from "../storage/tenants";
import { violationsObserved } from "../storage/violations";
import { listZones, rulesOf } from "../storage/zones";

// D1 binds at most 100 values per statement: evidence is read for this many violations at a time.
const EVIDENCE_OWNERS_PER_QUERY = 90;

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
        at: p.paidAt ?? p.createdAt,
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
    async violations(f): Promise<ViolationRecord[]> {
      const rows = await violationsObserved(database, tenantId, f);
      const evidence = new Map<string, EvidenceRow[]>();
      for (let at = 0; at < rows.length; at += EVIDENCE_OWNERS_PER_QUERY) {
        const ids = rows.slice(at, at + EVIDENCE_OWNERS_PER_QUERY).map((v) => v.id);
        for (const e of await evidenceOfMany(database, tenantId, "violation", ids))
          evidence.set(e.ownerId, [...(evidence.get(e.ownerId) ?? []), e]);
      }
      return rows.map((v) => ({
        id: v.id,
        source: v.source,
        externalId: v.externalId,
        status: v.status,
        plate: v.plate,
        state: v.state,
        zone: v.zone,
        violationType: v.violationType,
        description: v.description,
        fineCents: v.fineCents,
        officerId: v.officerId,
        deviceId: v.deviceId,
        latitude: v.latitude,
        longitude: v.longitude,
        address: v.address,
        observedAt: v.observedAt,
        citationId: v.citationId,
        evidence: (evidence.get(v.id) ?? []).map((e) => ({
          kind: e.kind,
          url: e.sourceUrl,
          stored: e.copyStatus === "stored",
          sha256: e.sha256,
        })),
      }));
    },
    async citations(q) {
      const rows = await citationsForVendors(database, tenantId, q);
      return rows.map((c) => ({
        id: c.id,
        number: c.number,
        source: c.source,
        status: c.status,
        plate: c.plate,
        state: c.state,
        zone: c.zone,
        violationCode: c.violationCode,
        description: c.description,
        fineCents: c.fineCents,
        lateFeeCents: c.lateFeeCents,
        amountDueCents: amountDueCents({
          status: c.status,
          fineCents: c.fineCents,
          lateFeeCents: c.lateFeeCents,
          issuedAtMs: c.issuedAt,
        }),
        issuedAt: c.issuedAt,
        createdAt: c.createdAt,
        collectionsAt: c.collectionsAt,
        address: c.address,
        latitude: c.latitude,
        longitude: c.longitude,
        officer: c.officerId ? { id: c.officerId, name: c.officerName, badge: c.officerBadge } : null,
      }));
    },
    async permits(f) {
      const rows = await permitsOfTypes(database, tenantId, f);
      return rows.map((p) => ({
        id: p.id,
        number: p.number,
        type: p.type,
        plate: p.plate,
        state: p.state,
        zones: p.zones,
        validFrom: p.validFrom,
        validUntil: p.validUntil,
        status: p.status,
      }));
    },
  };
}
