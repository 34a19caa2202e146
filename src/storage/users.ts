// Staff users. Each read comes with the tenant's status, so a suspended tenant's staff cannot sign in
// or refresh a token.
import { and, eq } from "drizzle-orm";
import type { TenantStatus } from "./api-keys";
import type { Db } from "./db";
import { tenants, users } from "./schema";

export type UserRow = typeof users.$inferSelect;
type UserWithTenant = { user: UserRow; tenantStatus: TenantStatus };

/** Sign-in: the user with this email (emails are unique across tenants; the caller lowercases it). */
export async function findUserByEmail(database: Db, email: string): Promise<UserWithTenant | null> {
  const rows = await database
    .select({ user: users, tenantStatus: tenants.status })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(eq(users.email, email))
    .limit(1);
  return rows[0] ?? null;
}

/** Token refresh: the user a token names, only within the tenant the token names. */
export async function findTenantUser(database: Db, tenantId: string, userId: string): Promise<UserWithTenant | null> {
  const [row] = await database
    .select({ user: users, tenantStatus: tenants.status })
    .from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId))
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)))
    .limit(1);
  return row ?? null;
}

/** Stores a user unless one with its id or email exists (the demo seed). */
export async function insertUserOnce(database: Db, row: Pick<UserRow, "id" | "tenantId" | "email" | "role" | "passwordHash">) {
  await database.insert(users).values(row).onConflictDoNothing();
}
