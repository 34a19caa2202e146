// A tenant's payment routing (schema.ts, payment_routing): the accounts a payment is split between, the
// fee, and the settlement cutoff. A tenant that never set one gets DEFAULT_PAYMENT_ROUTING.
import { eq } from "drizzle-orm";
import { DEFAULT_PAYMENT_ROUTING, type PaymentRouting } from "../domain/money";
import type { ClockTime } from "../domain/types";
import type { Db } from "./db";
import { paymentRouting } from "./schema";

export async function paymentRoutingOf(database: Db, tenantId: string): Promise<PaymentRouting> {
  const [row] = await database.select().from(paymentRouting).where(eq(paymentRouting.tenantId, tenantId));
  if (!row) return { ...DEFAULT_PAYMENT_ROUTING };
  const { tenantId: _t, updatedAt: _u, cutoff, ...rest } = row;
  return { ...rest, cutoff: cutoff as ClockTime };
}

export async function putPaymentRouting(database: Db, tenantId: string, r: PaymentRouting, nowMs: number) {
  await database
    .insert(paymentRouting)
    .values({ tenantId, ...r, updatedAt: nowMs })
    .onConflictDoUpdate({ target: paymentRouting.tenantId, set: { ...r, updatedAt: nowMs } });
}

/** Sets the routing only when the tenant has none (the demo seed). */
export async function insertPaymentRoutingOnce(database: Db, tenantId: string, r: PaymentRouting, nowMs: number) {
  await database
    .insert(paymentRouting)
    .values({ tenantId, ...r, updatedAt: nowMs })
    .onConflictDoNothing();
}
