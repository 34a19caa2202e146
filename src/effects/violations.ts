// Recording a violation report, whoever sent it: IPS's POST /api/ips/violations and its violation.created
// and violation.updated webhooks all come here, so they converge on one record per (tenant, source, id).
//
// - A new id: the violation is written with its evidence rows and a `violation.created` event.
// - A known id with the same facts and no new evidence URL: nothing is written (`unchanged`).
// - A known id with other facts or new evidence: the record follows the report (last report wins) and a
//   `violation.updated` event names the changed fields. Evidence is only ever added.
// Evidence URLs are copied into R2 before the D1 batch; if the batch fails, the copies are deleted. Two
// first reports racing on one id: the loser's batch hits the unique index, and it is treated as a
// repeat of the winner's.
import { type ViolationReport, changedFields, unrecordedEvidence } from "../domain/violations";
import type { Bindings } from "../env";
import type { EffectContext, EffectResult } from "../webhooks/contract";
import { Failure } from "../lib/failure";
import { newId } from "../lib/ids";
import { recordAudit } from "../storage/audit";
import { db } from "../storage/db";
import type { DomainEvent } from "../storage/domain-events";
import { deleteEvidenceBlobs, type EvidenceOwner, type EvidenceRow, evidenceOf } from "../storage/evidence";
import { findViolationBySource, saveViolation, type ViolationRow } from "../storage/violations";
import { findZone } from "../storage/zones";
import { copyEachEvidence } from "./evidence-by-url";

export interface Recorded {
  outcome: "created" | "updated" | "unchanged";
  violation: ViolationRow;
  /** All of the violation's evidence, oldest first. */
  evidence: EvidenceRow[];
  /** The fields an update changed (empty otherwise). */
  changed: string[];
}

export interface RecordOptions {
  /** How the caller's input names the zone, for the field error of an unknown zone ("location.zoneNumber"). */
  zoneField: string;
}

const facts = (r: ViolationReport) => ({
  plate: r.plate,
  state: r.state,
  zone: r.zone,
  violationType: r.violationType,
  description: r.description,
  fineCents: r.fineCents,
  officerId: r.officerId,
  deviceId: r.deviceId,
  latitude: r.latitude,
  longitude: r.longitude,
  address: r.address,
  weather: r.weather,
  timeOfDay: r.timeOfDay,
  observedAt: r.observedAt,
});

const eventData = (v: ViolationRow, evidence: EvidenceRow[], changed?: string[]) => ({
  id: v.id,
  source: v.source,
  externalId: v.externalId,
  status: v.status,
  plate: v.plate,
  state: v.state,
  zone: v.zone,
  violationType: v.violationType,
  fineCents: v.fineCents,
  observedAt: v.observedAt,
  evidence: {
    stored: evidence.filter((e) => e.copyStatus === "stored").length,
    notCopied: evidence.filter((e) => e.copyStatus === "not_copied").length,
  },
  ...(changed ? { changed } : {}),
});

export async function recordViolation(
  env: Bindings,
  tenantId: string,
  report: ViolationReport,
  nowMs: number,
  opts: RecordOptions,
  retry = true,
): Promise<Recorded> {
  const database = db(env.DB);
  if (!(await findZone(database, tenantId, report.zone)))
    throw new Failure("invalid", `No zone ${report.zone} in this city`, [
      { location: "body", path: opts.zoneField, message: `Unknown zone ${report.zone}` },
    ]);

  const existing = await findViolationBySource(database, tenantId, report.source, report.externalId);
  const owner: EvidenceOwner = { tenantId, kind: "violation", id: existing?.id ?? newId("vio") };
  const recorded = existing ? await evidenceOf(database, owner) : [];
  const changed = existing ? changedFields(existing, report) : [];
  const toCopy = unrecordedEvidence(
    report.evidence,
    recorded.map((e) => e.sourceUrl),
  );
  if (existing && changed.length === 0 && toCopy.length === 0)
    return { outcome: "unchanged", violation: existing, evidence: recorded, changed };

  const added = await copyEachEvidence(env, owner, toCopy, nowMs);
  const row: ViolationRow = existing
    ? { ...existing, ...facts(report), status: report.status ?? existing.status, updatedAt: nowMs }
    : {
        id: owner.id,
        tenantId,
        externalId: report.externalId,
        source: report.source,
        status: report.status ?? "pending",
        ...facts(report),
        citationId: null,
        createdAt: nowMs,
        updatedAt: nowMs,
      };
  const evidence = [...recorded, ...added];
  if (existing && added.length) changed.push("evidence");
  const event: DomainEvent = {
    tenantId,
    type: existing ? "violation.updated" : "violation.created",
    subject: row.id,
    data: eventData(row, evidence, existing ? changed : undefined),
    at: nowMs,
  };
  try {
    await saveViolation(database, {
      ...(existing
        ? { update: { tenantId, id: row.id, set: { ...facts(report), status: row.status, updatedAt: nowMs } } }
        : { insert: row }),
      evidence: added,
      event,
    });
  } catch (err) {
    await deleteEvidenceBlobs(env, added);
    // Another report of the same id was recorded between our read and our write: start again from it.
    if (!existing && retry && (await findViolationBySource(database, tenantId, report.source, report.externalId)))
      return recordViolation(env, tenantId, report, nowMs, opts, false);
    throw err;
  }
  return { outcome: existing ? "updated" : "created", violation: row, evidence, changed };
}

/** A vendor's webhook report (IPS violation.created / violation.updated), audited as the vendor's doing. */
export async function recordVendorViolation(ctx: EffectContext, report: ViolationReport): Promise<EffectResult> {
  const r = await recordViolation(ctx.env, ctx.tenantId, report, ctx.nowMs, { zoneField: "data.location.zoneNumber" });
  if (r.outcome !== "unchanged")
    await recordAudit(ctx.env, {
      tenantId: ctx.tenantId,
      actor: `vendor:${ctx.provider}`,
      action: r.outcome === "created" ? "violation.create" : "violation.update",
      target: r.violation.id,
      detail: { eventId: ctx.eventId, externalId: report.externalId, changed: r.changed },
    });
  return {
    status: "processed",
    effect: {
      violation: r.violation.id,
      externalId: report.externalId,
      outcome: r.outcome,
      ...(r.changed.length ? { changed: r.changed } : {}),
      evidence: r.evidence.map((e) => ({
        url: e.sourceUrl,
        copyStatus: e.copyStatus,
        ...(e.copyError ? { reason: e.copyError } : {}),
      })),
    },
  };
}
