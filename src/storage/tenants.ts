// Tenants: the cities Curbgate serves. Every other table names one.
import { eq } from "drizzle-orm";
import type { Db } from "./db";
import { tenants } from "./schema";

export async function tenantTimezone(database: Db, tenantId: string): Promise<string> {
  const rows = await database.select({ tz: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return rows[0]?.tz ?? "UTC";
}

/** Stores a tenant unless one with its id exists (the demo seed, which runs again and again). */
export async function insertTenantOnce(database: Db, row: Pick<typeof tenants.$inferInsert, "id" | "name" | "timezone">) {
  await database.insert(tenants).values(row).onConflictDoNothing();
}
