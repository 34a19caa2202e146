// Idempotency-Key reservations: the first request to use a key fixes its fingerprint; a later
// request with the same key must be the same request, or it is refused.
import { and, eq } from "drizzle-orm";
import type { Db } from "./db";
import { idempotencyKeys } from "./schema";

export async function reserveIdempotencyKey(
  database: Db,
  k: { tenantId: string; scope: string; key: string; fingerprint: string },
  nowMs = Date.now(),
): Promise<"new" | "same" | "mismatch"> {
  const inserted = await database
    .insert(idempotencyKeys)
    .values({ ...k, createdAt: nowMs })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length) return "new";
  const rows = await database
    .select({ fingerprint: idempotencyKeys.fingerprint })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, k.tenantId), eq(idempotencyKeys.scope, k.scope), eq(idempotencyKeys.key, k.key)))
    .limit(1);
  return rows[0]?.fingerprint === k.fingerprint ? "same" : "mismatch";
}

/** The fingerprint a key was first used with, or null for a key never used; reserves nothing. */
export async function idempotencyFingerprintOf(
  database: Db,
  k: { tenantId: string; scope: string; key: string },
): Promise<string | null> {
  const rows = await database
    .select({ fingerprint: idempotencyKeys.fingerprint })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, k.tenantId), eq(idempotencyKeys.scope, k.scope), eq(idempotencyKeys.key, k.key)))
    .limit(1);
  return rows[0]?.fingerprint ?? null;
}
