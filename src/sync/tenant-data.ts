// The tenant's own records, read-only, as connectors see them (ConnectorContext.data). Always scoped to
// the job's tenant: a connector cannot name another.
import type { ActiveSessionRecord, TenantData } from "../connectors/types";
import type { Bindings } from "../env";
import { activeSessionRows } from "../storage/session-history";

export function tenantData(env: Bindings, tenantId: string): TenantData {
  return {
    async activeSessions(atMs, limit): Promise<ActiveSessionRecord[]> {
      const rows = await activeSessionRows(env.DB, tenantId, atMs, limit);
      return rows.map((r) => ({ id: r.id, zone: r.zone, plate: r.plate, state: r.state, startAt: r.startAt, endAt: r.endAt, amountCents: r.amountCents, paidCents: r.paidCents }));
    },
  };
}
