// Permit effects from enforcement vendors: an expired permit stops counting in plate checks at once.
import { and, eq } from "drizzle-orm";
import type { EffectContext, EffectResult } from "../webhooks/contract";
import { db } from "../storage/db";
import { syncPermitToZones } from "../storage/permits";
import { permits } from "../storage/schema";

export async function revokePermitByNumber(ctx: EffectContext, number: string): Promise<EffectResult> {
  const database = db(ctx.env.DB);
  const where = and(eq(permits.tenantId, ctx.tenantId), eq(permits.number, number));
  const [existing] = await database.select().from(permits).where(where).limit(1);
  if (!existing) return { status: "processed", effect: { permit: null, number, note: "no such permit" } };
  const [row] = existing.status === "revoked" ? [existing] : await database.update(permits).set({ status: "revoked", revokedAt: ctx.nowMs }).where(where).returning();
  await syncPermitToZones(ctx.env, row!);
  return { status: "processed", effect: { permit: row!.id, number, status: "revoked" } };
}
