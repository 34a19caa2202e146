import type { GateSettings, GateStatus } from "../../../sync/gate";
import { maskPersonalData } from "../../../domain/contacts";
import type { SyncJobRow } from "../../../storage/sync-jobs";
import { iso } from "../../common";

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export const presentJob = (j: SyncJobRow) => ({
  id: j.id,
  provider: j.provider,
  entity: j.entity,
  direction: j.direction,
  priority: j.priority,
  status: j.status,
  since: isoOrNull(j.since),
  // Addresses and phone numbers (messages, contacts) are personal data: masked wherever a job is shown.
  params: maskPersonalData(j.params) as Record<string, unknown>,
  attempts: j.attempts,
  lastError: j.lastError,
  result: maskPersonalData(j.result ?? null),
  createdAt: iso(j.createdAt),
  updatedAt: iso(j.updatedAt),
  startedAt: isoOrNull(j.startedAt),
  finishedAt: isoOrNull(j.finishedAt),
});

export const presentBreaker = (provider: string, connectionId: string, s: GateStatus, settings: GateSettings) => ({
  provider,
  connectionId,
  state: s.state,
  consecutiveFailures: s.consecutiveFailures,
  openedAt: isoOrNull(s.openedAt),
  nextProbeAt: isoOrNull(s.nextProbeAt),
  pausedUntil: isoOrNull(s.pausedUntil),
  totals: s.totals,
  settings,
});

export const encodeCursor = (j: SyncJobRow) => `${j.createdAt}.${j.id}`;
export function decodeCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  const dot = cursor.indexOf(".");
  return { createdAt: Number(cursor.slice(0, dot)), id: cursor.slice(dot + 1) };
}
