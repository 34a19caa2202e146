// One ledger payment confirms at most one reservation. The claim is taken in D1 before the zone's object
// confirms, and given back if the object refuses, so a payment is never spent twice across zones.
import { and, eq } from "drizzle-orm";
import type { Db } from "./db";
import { reservationPayments } from "./schema";

/** "claimed" (new), "same" (already claimed for this reservation: a retry) or "taken" (by another one). */
export async function claimPayment(
  database: Db,
  c: { tenantId: string; paymentId: string; reservationId: string },
  nowMs = Date.now(),
): Promise<"claimed" | "same" | "taken"> {
  const inserted = await database
    .insert(reservationPayments)
    .values({ ...c, createdAt: nowMs })
    .onConflictDoNothing()
    .returning({ id: reservationPayments.paymentId });
  if (inserted.length) return "claimed";
  const [row] = await database
    .select({ reservationId: reservationPayments.reservationId })
    .from(reservationPayments)
    .where(and(eq(reservationPayments.tenantId, c.tenantId), eq(reservationPayments.paymentId, c.paymentId)))
    .limit(1);
  return row?.reservationId === c.reservationId ? "same" : "taken";
}

/** Gives a claim back (the object refused the confirmation): only this reservation's claim. */
export async function releaseClaim(database: Db, c: { tenantId: string; paymentId: string; reservationId: string }) {
  await database
    .delete(reservationPayments)
    .where(
      and(
        eq(reservationPayments.tenantId, c.tenantId),
        eq(reservationPayments.paymentId, c.paymentId),
        eq(reservationPayments.reservationId, c.reservationId),
      ),
    );
}
