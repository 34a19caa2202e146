import { eq } from "drizzle-orm";
import type { Db } from "./db";
import { tenants } from "./schema";

export async function tenantTimezone(database: Db, tenantId: string): Promise<string> {
  const rows = await database.select({ tz: tenants.timezone }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return rows[0]?.tz ?? "UTC";
}
