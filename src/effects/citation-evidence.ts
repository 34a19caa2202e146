// Evidence that arrives inside a citation as base64: decoded, judged by its bytes (src/domain/evidence.ts)
// and only then put in R2. Every item is checked before any is stored, so a bad third photo costs no
// write; a failure after some puts deletes what was put.
import { checkEvidence, type EvidenceKind, type EvidenceType } from "../domain/evidence";
import type { Bindings } from "../env";
import { fromBase64 } from "../lib/bytes";
import { Failure } from "../lib/failure";
import { deleteEvidenceBlobs, type EvidenceOwner, type EvidenceRow, putEvidenceBlob } from "../storage/evidence";

export interface EvidenceInput {
  type: EvidenceKind;
  base64Data: string;
  /** What the sender said the bytes are; kept beside what they are. */
  declaredMimeType?: string | null;
  capturedAtMs?: number | null;
}

export interface CheckedEvidence {
  kind: EvidenceKind;
  contentType: EvidenceType;
  bytes: Uint8Array;
  declaredMimeType: string | null;
  capturedAtMs: number | null;
}

const field = (path: string, message: string) => [{ location: "body" as const, path, message }];

/**
 * Decodes and checks each item; `path` names the list in the body ("evidence"), so a failure names the
 * item's field ("evidence.0.base64Data"). Standard base64, padding optional; line breaks (as MIME
 * encoders write them) are ignored. Not base64: 422; too large: 413; not a photo or video by its bytes: 415.
 */
export function decodeEvidence(items: EvidenceInput[], path: string): CheckedEvidence[] {
  return items.map((item, i) => {
    const at = `${path}.${i}.base64Data`;
    const bytes = fromBase64(item.base64Data.replace(/[\r\n\t ]/g, ""), "padding-optional");
    if (!bytes)
      throw new Failure("invalid", `${at} is not base64`, field(at, "Not standard base64 (A–Z, a–z, 0–9, +, /, = padding)"));
    const check = checkEvidence(bytes, item.type);
    if (!check.ok)
      throw new Failure(check.status === 413 ? "too_large" : "unsupported", `${at}: ${check.detail}`, field(at, check.detail));
    return {
      kind: item.type,
      contentType: check.contentType,
      bytes,
      declaredMimeType: item.declaredMimeType ?? null,
      capturedAtMs: item.capturedAtMs ?? null,
    };
  });
}

/** Puts every item in R2; if any put fails, the others are deleted and the failure is thrown. */
export async function storeEvidence(
  env: Bindings,
  owner: EvidenceOwner,
  items: CheckedEvidence[],
  nowMs: number,
): Promise<EvidenceRow[]> {
  const puts = await Promise.allSettled(
    items.map((item, index) =>
      putEvidenceBlob(
        env,
        owner,
        {
          kind: item.kind,
          contentType: item.contentType,
          bytes: item.bytes,
          capturedAt: item.capturedAtMs,
          metadata: { index, declaredMimeType: item.declaredMimeType },
        },
        nowMs,
      ),
    ),
  );
  const rows = puts.flatMap((p) => (p.status === "fulfilled" ? [p.value] : []));
  const failed = puts.find((p) => p.status === "rejected");
  if (failed) {
    await deleteEvidenceBlobs(env, rows);
    throw failed.reason;
  }
  return rows;
}
