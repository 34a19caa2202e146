// Issuing a citation: the one path both the AIMS handheld route and the native route take.
//
// Order, cheapest refusal first, nothing written until every check has passed:
// 1. the issue time (not in the future beyond a small clock skew) and each evidence item's bytes;
// 2. a citation number already on file: the same request again gets the first citation back, another
//    request with that number is refused;
// 3. the zone and the violation code (the fine is the code's, never the sender's), and the linked
//    violation, from D1;
// 4. the plate check at the issue time, one call to the zone's object: a paid, graced, permitted or
//    fuzzy-matched plate needs the officer's override reason (src/domain/citations.ts, issueBlocker);
// 5. evidence into R2, then one D1 batch with the citation, its evidence rows, the issue transition,
//    the citation.issued event and the audit entries. If the batch fails, the blobs are deleted.
import { amountDueCents, checkStatusText, citationEventType, generatedCitationNumber, issueBlocker } from "../domain/citations";
import type { Verdict } from "../domain/types";
import type { Bindings } from "../env";
import { Failure } from "../lib/failure";
import { toHex } from "../lib/bytes";
import { sha256, sha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";
import { type Actor, type CitationRow, citationByNumber, insertCitation } from "../storage/citations";
import { findViolation } from "../storage/violations";
import { db } from "../storage/db";
import { deleteEvidenceBlobs, type EvidenceRow } from "../storage/evidence";
import { callZone } from "../storage/zone-state";
import { findViolationCode } from "../storage/violation-codes";
import { findZone } from "../storage/zones";
import { decodeEvidence, type EvidenceInput, storeEvidence } from "./citation-evidence";

/** How far ahead of the server's clock an officer's device may date a citation. */
export const ISSUE_CLOCK_SKEW_MS = 5 * 60_000;

/** Where each input sits in the caller's body, so a refusal names the field the sender wrote. */
export interface IssueFields {
  issuedAt: string;
  zone: string;
  violationCode: string;
  evidence: string;
  override: string;
  violationId: string;
}

export interface CitationRequest {
  tenantId: string;
  source: "aims" | "native";
  /** The sender's number (the AIMS citationNumber); null: Curbgate makes one. */
  number: string | null;
  /** The request as validated: a retry with the same number must send the same. */
  request: unknown;
  plate: string;
  state: string | null;
  zone: string;
  violationCode: string;
  description: string | null;
  issuedAtMs: number;
  officer: { id: string | null; name: string | null; badge: string | null };
  deviceId: string | null;
  location: { address: string | null; latitude: number | null; longitude: number | null };
  violationId: string | null;
  evidence: EvidenceInput[];
  overrideReason: string | null;
  fields: IssueFields;
}

export interface Issued {
  citation: CitationRow;
  /** True when this is the first citation given back to a retry. */
  replayed: boolean;
}

const invalid = (path: string, message: string) => new Failure("invalid", message, [{ location: "body", path, message }]);
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const randomPart = (length = 8) => Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => CROCKFORD[b % 32]).join("");

export async function issueCitation(env: Bindings, req: CitationRequest, by: Actor, nowMs = Date.now()): Promise<Issued> {
  const f = req.fields;
  if (req.issuedAtMs > nowMs + ISSUE_CLOCK_SKEW_MS) throw invalid(f.issuedAt, "A citation cannot be dated in the future");
  const evidence = decodeEvidence(req.evidence, f.evidence);
  const fingerprint = await fingerprintOf(req, evidence);
  const database = db(env.DB);

  if (req.number) {
    const prior = await replayOf(env, req, fingerprint);
    if (prior) return prior;
  }

  const [zone, code, violation] = await Promise.all([
    findZone(database, req.tenantId, req.zone),
    findViolationCode(database, req.tenantId, req.violationCode),
    req.violationId ? findViolation(database, req.tenantId, req.violationId) : null,
  ]);
  if (!zone) throw invalid(f.zone, `Zone ${req.zone} not found`);
  if (!code) throw invalid(f.violationCode, `Violation code ${req.violationCode} is not in this city's table`);
  if (!code.active) throw invalid(f.violationCode, `Violation code ${req.violationCode} is retired`);
  if (req.violationId) {
    if (!violation) throw invalid(f.violationId, `Violation ${req.violationId} not found`);
    if (violation.plate !== req.plate || violation.zone !== req.zone)
      throw invalid(f.violationId, `Violation ${violation.id} is for plate ${violation.plate} in zone ${violation.zone}`);
    if (violation.status !== "pending")
      throw new Failure("conflict", `Violation ${violation.id} is already ${violation.status}`, [], {
        violationStatus: violation.status,
        citationId: violation.citationId,
      });
  }

  const outcome = await callZone(env, req.tenantId, req.zone, (s) =>
    s.check({ plate: req.plate, state: req.state }, req.issuedAtMs),
  );
  const verdict = outcome.verdict;
  const blocker = issueBlocker(verdict);
  if (blocker && !req.overrideReason)
    throw new Failure(
      "conflict",
      `Plate ${req.plate} is ${verdict.status}${verdict.matchType === "fuzzy" ? " (fuzzy match)" : ""} in zone ${req.zone} at the issue time: ${blocker}. To issue anyway, give \`${f.override}\`.`,
      [{ location: "body", path: f.override, message: "Required to issue against this plate check" }],
      {
        checkStatus: verdict.status,
        matchType: verdict.matchType,
        matchedPlate: verdict.matchedPlate,
        checkReason: verdict.reason,
      },
    );
  const overrideReason = blocker ? req.overrideReason : null;

  const citationId = newId("cit");
  const stored = await storeEvidence(env, { tenantId: req.tenantId, kind: "citation", id: citationId }, evidence, nowMs);
  // A number Curbgate made can collide (8 base32 characters: 10^12 numbers per tenant and year); it is made again, once.
  for (let attempt = 0; ; attempt++) {
    const number = req.number ?? generatedCitationNumber(req.tenantId, req.issuedAtMs, randomPart());
    const citation: CitationRow = {
      id: citationId,
      tenantId: req.tenantId,
      number,
      source: req.source,
      fingerprint,
      status: "issued",
      plate: req.plate,
      state: req.state,
      zone: req.zone,
      violationCode: code.code,
      description: req.description ?? code.name,
      fineCents: code.fineCents,
      lateFeeCents: 0,
      officerId: req.officer.id,
      officerName: req.officer.name,
      officerBadge: req.officer.badge,
      deviceId: req.deviceId,
      latitude: req.location.latitude,
      longitude: req.location.longitude,
      address: req.location.address,
      violationId: req.violationId,
      checkStatus: checkStatusText(verdict),
      overrideReason,
      issuedAt: req.issuedAtMs,
      paidAt: null,
      escalatedAt: null,
      collectionsAt: null,
      version: 1,
      createdAt: nowMs,
      updatedAt: nowMs,
    };
    let outcomeOfBatch: Awaited<ReturnType<typeof insertCitation>>;
    try {
      outcomeOfBatch = await insertCitation(database, {
        ...by,
        citation,
        evidence: stored,
        reason: overrideReason,
        violationId: req.violationId ?? undefined,
        event: issuedEvent(citation, stored, nowMs),
        audits: auditsOf(citation, stored, verdict, by),
      });
    } catch (err) {
      await deleteEvidenceBlobs(env, stored);
      throw err;
    }
    if (outcomeOfBatch === "inserted") return { citation, replayed: false };
    if (outcomeOfBatch === "number_taken" && !req.number && attempt === 0) continue;
    await deleteEvidenceBlobs(env, stored);
    if (outcomeOfBatch === "violation_taken")
      throw new Failure("conflict", `Violation ${req.violationId} was cited by another citation meanwhile`);
    // Two requests with one number raced past the check above: the first is the citation.
    const prior = await replayOf(env, req, fingerprint);
    if (prior) return prior;
    throw new Failure("conflict", `Citation number ${number} is already in use`);
  }
}

/**
 * What makes two requests "the same": the route, the validated body, and each evidence item by its
 * SHA-256. The base64 text itself is left out of the JSON, so a 13 MiB photo is not copied again to be
 * hashed.
 */
async function fingerprintOf(req: CitationRequest, evidence: { bytes: Uint8Array }[]) {
  const digests = await Promise.all(evidence.map(async (e) => toHex(await sha256(e.bytes))));
  const body = JSON.stringify(req.request, (key, value) => (key === "base64Data" ? undefined : value));
  return sha256Hex(JSON.stringify([req.source, body, digests]));
}

/** The citation already filed under the request's number: given back when the request is the same. */
async function replayOf(env: Bindings, req: CitationRequest, fingerprint: string): Promise<Issued | null> {
  const prior = req.number ? await citationByNumber(db(env.DB), req.tenantId, req.number) : null;
  if (!prior) return null;
  if (prior.fingerprint !== fingerprint)
    throw new Failure(
      "conflict",
      `Citation number ${prior.number} is already used by a citation with different content; a retry must send the same body`,
      [],
      { citationId: prior.id },
    );
  return { citation: prior, replayed: true };
}

function issuedEvent(c: CitationRow, evidence: EvidenceRow[], nowMs: number) {
  return {
    tenantId: c.tenantId,
    type: citationEventType("issued"),
    subject: c.id,
    at: nowMs,
    data: {
      citationId: c.id,
      number: c.number,
      source: c.source,
      status: c.status,
      plate: c.plate,
      state: c.state,
      zone: c.zone,
      violationCode: c.violationCode,
      fineCents: c.fineCents,
      amountDueCents: amountDueCents({ ...c, issuedAtMs: c.issuedAt }),
      issuedAt: new Date(c.issuedAt).toISOString(),
      checkStatus: c.checkStatus,
      overridden: c.overrideReason !== null,
      violationId: c.violationId,
      evidence: evidence.map((e) => ({ id: e.id, contentType: e.contentType, bytes: e.bytes, sha256: e.sha256 })),
    },
  };
}

function auditsOf(c: CitationRow, evidence: EvidenceRow[], verdict: Verdict, by: Actor) {
  const base = { tenantId: c.tenantId, actor: by.actor, target: c.id, requestId: by.requestId };
  const issue = {
    ...base,
    action: "citation.issue",
    detail: {
      number: c.number,
      plate: c.plate,
      zone: c.zone,
      violationCode: c.violationCode,
      fineCents: c.fineCents,
      checkStatus: c.checkStatus,
      evidence: evidence.map((e) => e.sha256),
    },
  };
  if (c.overrideReason === null) return [issue];
  const override = {
    ...base,
    action: "citation.override",
    detail: {
      number: c.number,
      checkStatus: c.checkStatus,
      checkReason: verdict.reason,
      matchedPlate: verdict.matchedPlate,
      reason: c.overrideReason,
    },
  };
  return [issue, override];
}
