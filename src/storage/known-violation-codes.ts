// Whether a violation code may be named on a zone (a meter's configuration, a zone's default): a tenant
// that keeps a violation-code table (schema.ts, violation_codes) may name only its active codes; one
// that keeps none yet may name any. One query either way.
import { eq, sql } from "drizzle-orm";
import type { Db } from "./db";
import { violationCodes } from "./schema";

export async function violationCodeAllowed(database: Db, tenantId: string, code: string): Promise<boolean> {
  const [row] = await database
    .select({
      codes: sql<number>`COUNT(*)`,
      known: sql<number>`COALESCE(SUM(${violationCodes.code} = ${code} AND ${violationCodes.active} = 1), 0)`,
    })
    .from(violationCodes)
    .where(eq(violationCodes.tenantId, tenantId));
  return !row || row.codes === 0 || row.known > 0;
}
