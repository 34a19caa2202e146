import type { PermitRow } from "../../storage/permits";
import { iso } from "../common";

export const presentPermit = (p: PermitRow) => ({
  id: p.id,
  plate: p.plate,
  state: p.state,
  type: p.type,
  number: p.number,
  zones: p.zones,
  validFrom: iso(p.validFrom),
  validUntil: iso(p.validUntil),
  status: p.status,
  revokedAt: p.revokedAt === null ? null : iso(p.revokedAt),
  createdAt: iso(p.createdAt),
});
