// A citation's lifecycle steps, for every caller: the staff routes (void, appeal, uphold, dismiss, pay),
// and the work no person asks for (the escalation cron, a vendor's payment webhook), which pass a
// system or vendor actor. The pure table in src/domain/citations.ts decides; storage writes the step,
// its event and its audit entry in one batch, guarded by the citation's version.
import {
  allowedActions,
  amountDueCents,
  applyAction,
  type CitationAction,
  type CitationState,
  citationEventType,
} from "../domain/citations";
import type { Bindings } from "../env";
import type { EffectContext, EffectResult } from "../webhooks/contract";
import { Failure, isFailure } from "../lib/failure";
import { type CitationRow, citationById, citationByNumber, saveTransition } from "../storage/citations";
import { db } from "../storage/db";
import { findViolationCode } from "../storage/violation-codes";

export interface TransitionOptions {
  /** "key:<id>", "user:<id>", "system:escalation", "vendor:ips", … */
  actor: string;
  requestId?: string | null;
  reason?: string | null;
  /** What escalation adds; when left out, the citation's violation code's late fee. */
  lateFeeCents?: number;
  /** For `pay`: the payment's reference, and the amount, which must be what is due. */
  payment?: { reference?: string | null; amountCents?: number | null };
  atMs?: number;
}

export interface Transitioned {
  citation: CitationRow;
  from: CitationRow["status"];
  action: CitationAction;
}

const stateOf = (c: CitationRow): CitationState => ({
  status: c.status,
  fineCents: c.fineCents,
  lateFeeCents: c.lateFeeCents,
  issuedAtMs: c.issuedAt,
});

const refused = (c: CitationRow, detail: string) =>
  new Failure("conflict", detail, [], { currentStatus: c.status, allowedActions: allowedActions(c.status) });

/**
 * Applies one action to a tenant's citation. Throws Failure: `not_found` (no such citation for this
 * tenant), `conflict` (the action is not allowed from the current status, or the citation changed while
 * this ran: the problem carries `currentStatus` and `allowedActions`), `invalid` (a reason is needed, or
 * a payment's amount is not what is due).
 */
export async function transitionCitation(
  env: Bindings,
  tenantId: string,
  citationId: string,
  action: CitationAction,
  opts: TransitionOptions,
): Promise<Transitioned> {
  const database = db(env.DB);
  const atMs = opts.atMs ?? Date.now();
  const before = await citationById(database, tenantId, citationId);
  if (!before) throw new Failure("not_found", "Citation not found");

  let lateFeeCents = opts.lateFeeCents;
  if (action === "escalate" && lateFeeCents === undefined)
    lateFeeCents = (await findViolationCode(database, tenantId, before.violationCode))?.lateFeeCents ?? 0;
  const r = applyAction(stateOf(before), action, atMs, { reason: opts.reason, lateFeeCents });
  if (!r.ok && r.refusal === "not-allowed") {
    const allowed = r.allowed.length ? `it allows ${r.allowed.join(", ")}` : "that is final";
    throw refused(before, `Citation ${before.number} is ${before.status}: ${action} is not allowed (${allowed})`);
  }
  if (!r.ok)
    throw new Failure("invalid", `A reason is required to ${action} a citation`, [
      { location: "body", path: "reason", message: "Required" },
    ]);

  const due = amountDueCents(stateOf(before));
  const amount = opts.payment?.amountCents;
  if (action === "pay" && amount != null && amount !== due)
    throw new Failure("invalid", `The amount due is ${due} cents; a payment must settle it in full`, [
      { location: "body", path: "amountCents", message: `Must be ${due}` },
    ]);

  const to = r.transition.to;
  const set = {
    status: to,
    lateFeeCents: r.citation.lateFeeCents,
    paidAt: to === "paid" ? atMs : before.paidAt,
    escalatedAt: to === "escalated" ? atMs : before.escalatedAt,
    collectionsAt: to === "in_collections" ? atMs : before.collectionsAt,
  };
  const after: CitationRow = { ...before, ...set, version: before.version + 1, updatedAt: atMs };
  const reason = r.transition.reason ?? (action === "pay" ? (opts.payment?.reference ?? null) : null);
  const facts = {
    number: before.number,
    from: before.status,
    to,
    reason,
    ...(action === "pay" ? { amountCents: due, reference: opts.payment?.reference ?? null } : {}),
    ...(action === "escalate" ? { lateFeeCents: after.lateFeeCents } : {}),
  };
  const saved = await saveTransition(database, {
    before,
    set,
    action,
    reason,
    atMs,
    actor: opts.actor,
    requestId: opts.requestId ?? null,
    event: {
      tenantId,
      type: citationEventType(to),
      subject: before.id,
      at: atMs,
      data: { citationId: before.id, action, ...facts, amountDueCents: amountDueCents(stateOf(after)), actor: opts.actor },
    },
    audit: {
      tenantId,
      actor: opts.actor,
      action: `citation.${action}`,
      target: before.id,
      requestId: opts.requestId,
      detail: facts,
    },
  });
  if (saved === "stale") {
    const now = (await citationById(database, tenantId, citationId)) ?? before;
    throw refused(now, `Citation ${before.number} changed while this ran; it is now ${now.status}`);
  }
  return { citation: after, from: before.status, action };
}

/**
 * A vendor says a citation was paid (IPS `citation.paid`, or a payment webhook that names it): it is
 * marked paid once. A citation already paid is a replay and changes nothing; one that cannot be paid
 * (voided, dismissed) or is unknown is processed with a note saying so, never retried.
 */
export async function citationPaidByVendor(
  ctx: EffectContext,
  vendor: string,
  number: string,
  payment: { reference: string | null; amountCents: number | null },
): Promise<EffectResult> {
  const found = await citationByNumber(db(ctx.env.DB), ctx.tenantId, number);
  if (!found) return { status: "processed", effect: { citation: null, number, note: "no such citation" } };
  if (found.status === "paid")
    return { status: "processed", effect: { citation: found.id, number, status: "paid", duplicate: true } };
  const reference = payment.reference ?? `${vendor}:${ctx.eventId}`;
  const amount = payment.amountCents === null ? "" : ` (${payment.amountCents} cents reported)`;
  try {
    const done = await transitionCitation(ctx.env, ctx.tenantId, found.id, "pay", {
      actor: `vendor:${vendor}`,
      payment: { reference: `${reference}${amount}` },
      atMs: ctx.nowMs,
    });
    return { status: "processed", effect: { citation: found.id, number, status: done.citation.status } };
  } catch (err) {
    if (!isFailure(err, "conflict")) throw err;
    const now = await citationById(db(ctx.env.DB), ctx.tenantId, found.id);
    if (now?.status === "paid")
      return { status: "processed", effect: { citation: found.id, number, status: "paid", duplicate: true } };
    return {
      status: "processed",
      effect: { citation: found.id, number, status: now?.status, note: `not payable: ${err.message}` },
    };
  }
}
