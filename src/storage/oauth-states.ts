// OAuth authorisations in flight (oauth_states), keyed by the SHA-256 of the state so D1 never holds a
// live state. The callback arrives without a credential: its state is what names the tenant, so the
// lookup by state is the one query here that cannot name a tenant first.
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Db } from "./db";
import { oauthStates } from "./schema";

export type OAuthStateRow = typeof oauthStates.$inferSelect;

/** Sweeps the tenant's states created before `beforeMs` (spent or expired long ago). */
export async function deleteStatesBefore(database: Db, tenantId: string, beforeMs: number) {
  await database.delete(oauthStates).where(and(eq(oauthStates.tenantId, tenantId), lt(oauthStates.createdAt, beforeMs)));
}

export async function insertState(
  database: Db,
  row: Pick<OAuthStateRow, "state" | "tenantId" | "userId" | "provider" | "codeVerifier" | "redirectUri" | "createdAt">,
) {
  await database.insert(oauthStates).values(row);
}

/** The state with this hash, whoever it belongs to. */
export async function findState(database: Db, stateHash: string): Promise<OAuthStateRow | null> {
  const [row] = await database.select().from(oauthStates).where(eq(oauthStates.state, stateHash)).limit(1);
  return row ?? null;
}

/**
 * Marks the state used if it is unused and was created after `issuedAfterMs`, in one UPDATE: of two
 * callbacks racing with one state, exactly one gets true.
 */
export async function takeState(
  database: Db,
  tenantId: string,
  stateHash: string,
  issuedAfterMs: number,
  nowMs: number,
): Promise<boolean> {
  const taken = await database
    .update(oauthStates)
    .set({ usedAt: nowMs })
    .where(
      and(
        eq(oauthStates.tenantId, tenantId),
        eq(oauthStates.state, stateHash),
        isNull(oauthStates.usedAt),
        gt(oauthStates.createdAt, issuedAfterMs),
      ),
    )
    .returning({ state: oauthStates.state });
  return taken.length > 0;
}
