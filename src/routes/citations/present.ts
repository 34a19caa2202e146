import { allowedActions, amountDueCents } from "../../domain/citations";
import type { CitationRow, CitationTransitionRow } from "../../storage/citations";
import type { EvidenceRow } from "../../storage/evidence";
import { iso } from "../common";

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export const amountDueOf = (c: CitationRow) =>
  amountDueCents({ status: c.status, fineCents: c.fineCents, lateFeeCents: c.lateFeeCents, issuedAtMs: c.issuedAt });

/** What the plate check said at the issue time (kept as "STATUS" or "STATUS:fuzzy"), and any override. */
export const plateCheckOf = (c: CitationRow) => ({
  status: c.checkStatus?.split(":")[0] ?? null,
  fuzzy: c.checkStatus?.endsWith(":fuzzy") ?? false,
  overrideReason: c.overrideReason,
});

export const presentCitation = (c: CitationRow) => ({
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
  amountDueCents: amountDueOf(c),
  officer: { id: c.officerId, name: c.officerName, badge: c.officerBadge },
  deviceId: c.deviceId,
  location: { address: c.address, latitude: c.latitude, longitude: c.longitude },
  violationId: c.violationId,
  plateCheck: plateCheckOf(c),
  issuedAt: iso(c.issuedAt),
  paidAt: isoOrNull(c.paidAt),
  escalatedAt: isoOrNull(c.escalatedAt),
  collectionsAt: isoOrNull(c.collectionsAt),
  allowedActions: allowedActions(c.status),
  version: c.version,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

/** The content type the sender claimed, kept beside the one the bytes showed. */
export const declaredOf = (e: EvidenceRow) => {
  const declared = (e.metadata as { declaredMimeType?: unknown } | null)?.declaredMimeType;
  return typeof declared === "string" ? declared : null;
};
const indexOf = (e: EvidenceRow) => Number((e.metadata as { index?: unknown } | null)?.index ?? 0);

/** In the order the sender listed them (rows written in one batch share their creation time). */
export const inSentOrder = (rows: EvidenceRow[]) =>
  [...rows].sort((a, b) => a.createdAt - b.createdAt || indexOf(a) - indexOf(b));

export const presentEvidence = (e: EvidenceRow) => ({
  id: e.id,
  type: e.kind,
  contentType: e.contentType,
  declaredMimeType: declaredOf(e),
  bytes: e.bytes,
  sha256: e.sha256,
  capturedAt: isoOrNull(e.capturedAt),
  createdAt: iso(e.createdAt),
  download: `/v1/citations/${e.ownerId}/evidence/${e.id}`,
});

export const presentTransition = (t: CitationTransitionRow) => ({
  action: t.action,
  from: t.fromStatus,
  to: t.toStatus,
  reason: t.reason,
  actor: t.actor,
  at: iso(t.at),
});

export const presentCitationDetail = (c: CitationRow, evidence: EvidenceRow[], transitions: CitationTransitionRow[]) => ({
  ...presentCitation(c),
  evidence: inSentOrder(evidence).map(presentEvidence),
  transitions: transitions.map(presentTransition),
});
