// Payments Curbgate started at a provider (payment_initiations). A row is claimed ("creating") before
// the provider is called, so two requests with one Idempotency-Key never both reach the provider; it
// becomes "pending" with the provider's answer, or is deleted when the provider refused or failed, so a
// failure leaves nothing behind and a retry starts clean.
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "./db";
import { paymentInitiations } from "./schema";

export type InitiationRow = typeof paymentInitiations.$inferSelect;
export type NewInitiation = Omit<
  InitiationRow,
  "providerReference" | "clientCiphertext" | "clientKeyVersion" | "status" | "createdAt" | "updatedAt"
>;

/** Inserts a "creating" row; null when the tenant already has one under this key. */
export async function claimInitiation(database: Db, row: NewInitiation, nowMs: number): Promise<InitiationRow | null> {
  const [inserted] = await database
    .insert(paymentInitiations)
    .values({ ...row, status: "creating", createdAt: nowMs, updatedAt: nowMs })
    .onConflictDoNothing()
    .returning();
  return inserted ?? null;
}

export async function findInitiationByKey(database: Db, tenantId: string, key: string): Promise<InitiationRow | null> {
  const [row] = await database
    .select()
    .from(paymentInitiations)
    .where(and(eq(paymentInitiations.tenantId, tenantId), eq(paymentInitiations.idempotencyKey, key)))
    .limit(1);
  return row ?? null;
}

/** The tenant's initiation whose provider answered with this reference (pi_…, a Paystack reference). */
export async function findInitiationByReference(
  database: Db,
  tenantId: string,
  reference: string,
): Promise<InitiationRow | null> {
  const [row] = await database
    .select()
    .from(paymentInitiations)
    .where(and(eq(paymentInitiations.tenantId, tenantId), eq(paymentInitiations.providerReference, reference)))
    .limit(1);
  return row ?? null;
}

/**
 * A "creating" row whose request died before it finished (older than `staleBeforeMs`) is taken over by a
 * retry: true when this caller won it. The provider key is the same, so the provider dedupes the call.
 */
export async function takeOverInitiation(
  database: Db,
  tenantId: string,
  id: string,
  staleBeforeMs: number,
  nowMs: number,
): Promise<boolean> {
  const rows = await database
    .update(paymentInitiations)
    .set({ updatedAt: nowMs })
    .where(
      and(
        eq(paymentInitiations.tenantId, tenantId),
        eq(paymentInitiations.id, id),
        eq(paymentInitiations.status, "creating"),
        lt(paymentInitiations.updatedAt, staleBeforeMs),
      ),
    )
    .returning({ id: paymentInitiations.id });
  return rows.length > 0;
}

/** The provider answered: its reference and the sealed client data; the row is now "pending" (or "paid"). */
export async function completeInitiation(
  database: Db,
  tenantId: string,
  id: string,
  done: { providerReference: string; clientCiphertext: string; clientKeyVersion: number; status: "pending" | "paid" },
  nowMs: number,
): Promise<InitiationRow> {
  const [row] = await database
    .update(paymentInitiations)
    .set({ ...done, updatedAt: nowMs })
    .where(and(eq(paymentInitiations.tenantId, tenantId), eq(paymentInitiations.id, id)))
    .returning();
  return row!;
}

/** Forgets a claim whose provider call failed, so nothing half-made stays behind. */
export async function dropInitiation(database: Db, tenantId: string, id: string): Promise<void> {
  await database
    .delete(paymentInitiations)
    .where(
      and(eq(paymentInitiations.tenantId, tenantId), eq(paymentInitiations.id, id), eq(paymentInitiations.status, "creating")),
    );
}

/** What the provider later said of the payment (verify): paid or failed. A paid row never goes back. */
export async function settleInitiation(
  database: Db,
  tenantId: string,
  id: string,
  status: "paid" | "failed",
  nowMs: number,
): Promise<void> {
  await database
    .update(paymentInitiations)
    .set({ status, updatedAt: nowMs })
    .where(
      and(eq(paymentInitiations.tenantId, tenantId), eq(paymentInitiations.id, id), eq(paymentInitiations.status, "pending")),
    );
}
