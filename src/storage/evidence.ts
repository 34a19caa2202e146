// Evidence for violations and citations: the bytes in R2 under a tenant-scoped key, the record (type by
// magic number, size, SHA-256 for chain of custody) in D1. Bytes go to R2 first; the row goes in the
// caller's D1 batch with the record it belongs to, so a row never points at nothing. When that batch
// fails, the caller deletes what it put (deleteEvidenceBlobs); a blob whose delete also failed is
// unreferenced and harmless.
import { and, eq, inArray } from "drizzle-orm";
import type { EvidenceKind, EvidenceType } from "../domain/evidence";
import type { Bindings } from "../env";
import { toHex } from "../lib/bytes";
import { sha256 } from "../lib/crypto";
import { newId } from "../lib/ids";
import type { Db } from "./db";
import { evidence } from "./schema";

export type EvidenceRow = typeof evidence.$inferSelect;
export type EvidenceOwner = { tenantId: string; kind: "violation" | "citation"; id: string };

export const evidenceKey = (tenantId: string, evidenceId: string) => `tenants/${tenantId}/evidence/${evidenceId}`;

/** Puts checked bytes in R2 and returns the row to insert with the owner's batch. */
export async function putEvidenceBlob(
  env: Bindings,
  owner: EvidenceOwner,
  item: {
    kind: EvidenceKind;
    contentType: EvidenceType;
    bytes: Uint8Array;
    capturedAt?: number | null;
    metadata?: unknown;
    sourceUrl?: string | null;
  },
  nowMs: number,
): Promise<EvidenceRow> {
  const id = newId("evd");
  const digest = toHex(await sha256(item.bytes));
  const key = evidenceKey(owner.tenantId, id);
  await env.BLOBS.put(key, item.bytes, {
    httpMetadata: { contentType: item.contentType },
    customMetadata: { tenantId: owner.tenantId, owner: `${owner.kind}:${owner.id}`, sha256: digest },
    sha256: digest,
  });
  return {
    id,
    tenantId: owner.tenantId,
    ownerKind: owner.kind,
    ownerId: owner.id,
    kind: item.kind,
    contentType: item.contentType,
    bytes: item.bytes.length,
    sha256: digest,
    r2Key: key,
    sourceUrl: item.sourceUrl ?? null,
    copyStatus: "stored",
    copyError: null,
    capturedAt: item.capturedAt ?? null,
    metadata: item.metadata ?? null,
    createdAt: nowMs,
  };
}

/** Evidence given by URL that could not be copied: kept with the URL and why. */
export const notCopiedEvidence = (
  owner: EvidenceOwner,
  item: { kind: string; sourceUrl: string; error: string; capturedAt?: number | null; metadata?: unknown },
  nowMs: number,
): EvidenceRow => ({
  id: newId("evd"),
  tenantId: owner.tenantId,
  ownerKind: owner.kind,
  ownerId: owner.id,
  kind: item.kind,
  contentType: null,
  bytes: null,
  sha256: null,
  r2Key: null,
  sourceUrl: item.sourceUrl,
  copyStatus: "not_copied",
  copyError: item.error,
  capturedAt: item.capturedAt ?? null,
  metadata: item.metadata ?? null,
  createdAt: nowMs,
});

export const evidenceInsert = (database: Db, rows: EvidenceRow[]) => database.insert(evidence).values(rows);

/** Best effort, after the batch that would have referenced them failed. */
export async function deleteEvidenceBlobs(env: Bindings, rows: EvidenceRow[]): Promise<void> {
  const keys = rows.flatMap((r) => (r.r2Key ? [r.r2Key] : []));
  if (keys.length) await env.BLOBS.delete(keys).catch(() => undefined);
}

export function evidenceOf(database: Db, owner: EvidenceOwner) {
  return database
    .select()
    .from(evidence)
    .where(and(eq(evidence.tenantId, owner.tenantId), eq(evidence.ownerKind, owner.kind), eq(evidence.ownerId, owner.id)))
    .orderBy(evidence.createdAt);
}

/** Evidence of several owners at once (list pages). */
export function evidenceOfMany(database: Db, tenantId: string, kind: EvidenceOwner["kind"], ids: string[]) {
  if (ids.length === 0) return Promise.resolve([] as EvidenceRow[]);
  return database
    .select()
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), eq(evidence.ownerKind, kind), inArray(evidence.ownerId, ids)));
}

export async function evidenceById(database: Db, tenantId: string, id: string): Promise<EvidenceRow | null> {
  const [row] = await database
    .select()
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), eq(evidence.id, id)));
  return row ?? null;
}
