// Evidence a vendor gives by URL (IPS's `evidence[].url`), copied into R2 so Curbgate keeps its own copy
// with a SHA-256 for chain of custody. A copy that cannot be made never fails the violation: it is
// recorded `not_copied` with the reason, and the URL is kept.
// Only https URLs on a public host name are fetched (no IP literals, no local names), with a 5 s limit
// for the whole copy, and the body is read no further than MAX_EVIDENCE_BYTES.
import { checkEvidence, MAX_EVIDENCE_BYTES } from "../domain/evidence";
import type { EvidenceByUrl } from "../domain/violations";
import type { Bindings } from "../env";
import { type EvidenceOwner, type EvidenceRow, notCopiedEvidence, putEvidenceBlob } from "../storage/evidence";

export const EVIDENCE_FETCH_TIMEOUT_MS = 5_000;

const LOCAL_NAME = /(^|\.)(localhost|local|internal|lan|home\.arpa)$/i;

/** Why this URL is not fetched at all, or null when it may be. */
export function refusedUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "https:") return "only https URLs are copied";
  if (url.username || url.password) return "URLs with credentials are not fetched";
  const host = url.hostname;
  if (host.startsWith("[") || /^[\d.]+$/.test(host)) return "IP-address hosts are not fetched";
  if (!host.includes(".") || LOCAL_NAME.test(host)) return "local host names are not fetched";
  return null;
}

type Read = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** The body, read no further than `max` bytes. */
async function readAtMost(res: Response, max: number): Promise<Read> {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel();
    return { ok: false, reason: `larger than ${max} bytes (Content-Length ${declared})` };
  }
  if (!res.body) return { ok: true, bytes: new Uint8Array() };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return { ok: false, reason: `larger than ${max} bytes` };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) bytes.set(c, (at += c.byteLength) - c.byteLength);
  return { ok: true, bytes };
}

async function download(url: string, max: number): Promise<Read> {
  const signal = AbortSignal.timeout(EVIDENCE_FETCH_TIMEOUT_MS);
  try {
    const res = await fetch(url, { headers: { accept: "image/*, video/*" }, redirect: "follow", signal });
    if (res.url && refusedUrl(res.url)) {
      await res.body?.cancel();
      return { ok: false, reason: `redirected to a URL that is not fetched (${refusedUrl(res.url)})` };
    }
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, reason: `the server answered HTTP ${res.status}` };
    }
    return await readAtMost(res, max);
  } catch (err) {
    if (signal.aborted) return { ok: false, reason: `no answer within ${EVIDENCE_FETCH_TIMEOUT_MS / 1000} s` };
    return { ok: false, reason: `unreachable (${err instanceof Error ? err.name : "error"})` };
  }
}

/**
 * Copies one item into R2 and returns its row for the owner's batch: `stored`, or `not_copied` with
 * the reason. The row is not written here (src/storage/evidence.ts: the caller's batch writes it).
 */
export async function copyEvidence(
  env: Bindings,
  owner: EvidenceOwner,
  item: EvidenceByUrl,
  nowMs: number,
): Promise<EvidenceRow> {
  const notCopied = (error: string) =>
    notCopiedEvidence(
      owner,
      { kind: item.kind, sourceUrl: item.url, error, capturedAt: item.capturedAt, metadata: item.metadata },
      nowMs,
    );
  const refused = refusedUrl(item.url);
  if (refused) return notCopied(refused);
  const read = await download(item.url, MAX_EVIDENCE_BYTES);
  if (!read.ok) return notCopied(read.reason);
  const check = checkEvidence(read.bytes, item.kind);
  if (!check.ok) return notCopied(check.detail);
  return putEvidenceBlob(
    env,
    owner,
    {
      kind: item.kind,
      contentType: check.contentType,
      bytes: read.bytes,
      capturedAt: item.capturedAt,
      metadata: item.metadata,
      sourceUrl: item.url,
    },
    nowMs,
  );
}

/** Copies each item in turn: one body in memory at a time, however many there are. */
export async function copyEachEvidence(env: Bindings, owner: EvidenceOwner, items: EvidenceByUrl[], nowMs: number) {
  const rows: EvidenceRow[] = [];
  for (const item of items) rows.push(await copyEvidence(env, owner, item, nowMs));
  return rows;
}
