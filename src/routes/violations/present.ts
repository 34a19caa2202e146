import type { EvidenceRow } from "../../storage/evidence";
import type { ViolationCursor, ViolationRow } from "../../storage/violations";
import { iso } from "../common";

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export const presentEvidence = (e: EvidenceRow) => ({
  id: e.id,
  kind: e.kind,
  copyStatus: e.copyStatus,
  contentType: e.contentType,
  bytes: e.bytes,
  sha256: e.sha256,
  sourceUrl: e.sourceUrl,
  copyError: e.copyError,
  capturedAt: isoOrNull(e.capturedAt),
  metadata: e.metadata ?? null,
  createdAt: iso(e.createdAt),
});

export const presentViolation = (v: ViolationRow, evidence: EvidenceRow[]) => ({
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
  weather: v.weather,
  timeOfDay: v.timeOfDay,
  citationId: v.citationId,
  observedAt: iso(v.observedAt),
  createdAt: iso(v.createdAt),
  updatedAt: iso(v.updatedAt),
  evidence: evidence.map(presentEvidence),
});

export const encodeCursor = (v: ViolationRow) => `${v.observedAt}.${v.id}`;
export function decodeCursor(cursor: string | undefined): ViolationCursor | undefined {
  if (!cursor) return undefined;
  const dot = cursor.indexOf(".");
  return { observedAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}
