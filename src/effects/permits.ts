// Permit effects from enforcement vendors: an expired permit stops counting in plate checks at once.
import type { EffectContext, EffectResult } from "../webhooks/contract";
import { db } from "../storage/db";
import { findPermitByNumber, markPermitNumberRevoked, syncPermitToZones } from "../storage/permits";

export async function revokePermitByNumber(ctx: EffectContext, number: string): Promise<EffectResult> {
  const database = db(ctx.env.DB);
  const existing = await findPermitByNumber(database, ctx.tenantId, number);
  if (!existing) return { status: "processed", effect: { permit: null, number, note: "no such permit" } };
  const row = existing.status === "revoked" ? existing : await markPermitNumberRevoked(database, ctx.tenantId, number, ctx.nowMs);
  await syncPermitToZones(ctx.env, row!);
  return { status: "processed", effect: { permit: row!.id, number, status: "revoked" } };
}
