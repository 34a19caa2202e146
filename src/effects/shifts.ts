// Shift effects from enforcement vendors: who is on shift, shown to staff at GET /v1/officers/shifts.
// Both are idempotent: a repeated start finds its shift, a repeated end finds the end already there.
import type { EffectContext, EffectResult } from "../webhooks/contract";
import { db } from "../storage/db";
import { endShift, type ShiftStart, startShift } from "../storage/officer-shifts";

export async function recordShiftStart(ctx: EffectContext, s: Omit<ShiftStart, "tenantId" | "source">): Promise<EffectResult> {
  const { shift, created } = await startShift(db(ctx.env.DB), { ...s, tenantId: ctx.tenantId, source: ctx.provider }, ctx.nowMs);
  return {
    status: "processed",
    effect: {
      shift: shift.id,
      officerId: shift.officerId,
      startedAt: shift.startedAt,
      outcome: created ? "started" : "unchanged",
    },
  };
}

export async function recordShiftEnd(ctx: EffectContext, e: { officerId: string; endedAt: number }): Promise<EffectResult> {
  const ended = await endShift(db(ctx.env.DB), { tenantId: ctx.tenantId, ...e }, ctx.nowMs);
  // Nothing to end (the start was never delivered): the event itself, with this note, is the record.
  if (!ended)
    return { status: "processed", effect: { shift: null, officerId: e.officerId, note: "no shift started before this end" } };
  return {
    status: "processed",
    effect: { shift: ended.shift.id, officerId: e.officerId, endedAt: e.endedAt, outcome: ended.changed ? "ended" : "unchanged" },
  };
}
