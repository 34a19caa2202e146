// POST /v1/auth/refresh: the dashboard trades a valid staff token for a fresh one before it expires.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../../../src/auth/passwords";
import { db } from "../../../../src/storage/db";
import { tenants, users } from "../../../../src/storage/schema";
import { call, DEMO_ADMIN, expectProblem, json, signStaffJwt, uniq } from "../../fixtures";

const refresh = (token: string | null) => call("/v1/auth/refresh", { method: "POST", key: token });

async function login(email: string, password: string) {
  const res = await call("/v1/auth/login", { key: null, body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${res.status}: ${await res.text()}`);
  return json<{ token: string; expiresAt: string; sessionExpiresAt: string }>(res);
}

async function addUser(tenantId: string, role: "tenant_admin" | "viewer", status: "active" | "suspended" = "active") {
  const database = db(env.DB);
  await database
    .insert(tenants)
    .values({ id: tenantId, name: `Tenant ${tenantId}`, timezone: "UTC", status })
    .onConflictDoNothing();
  const user = { id: `usr_${uniq(12)}`, email: `refresh-${uniq(8).toLowerCase()}@${tenantId}.test`, password: `pw-${uniq(12)}` };
  await database
    .insert(users)
    .values({ id: user.id, tenantId, email: user.email, role, passwordHash: await hashPassword(user.password) });
  return user;
}

const HOUR = 3600;

describe("POST /v1/auth/refresh: happy", () => {
  it("gives a fresh 15-minute token for the same user, tenant and sign-in time, which works on the API", async () => {
    const first = await login("admin@demo.test", "demo-admin-password");
    const res = await refresh(first.token);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ tokenType: "Bearer", user: { id: "usr_demo_admin", role: "tenant_admin", tenantId: "demo" } });
    const before = decodeJwt(first.token);
    const after = decodeJwt(body.token);
    expect(after).toMatchObject({
      sub: "usr_demo_admin",
      tid: "demo",
      role: "tenant_admin",
      iss: "curbgate",
      aud: "curbgate-api",
    });
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.exp! - after.iat!).toBe(15 * 60);
    expect(after.exp!).toBeGreaterThanOrEqual(before.exp!);
    expect(body.sessionExpiresAt).toBe(first.sessionExpiresAt);
    expect(Date.parse(body.sessionExpiresAt) - (before.auth_time as number) * 1000).toBe(12 * HOUR * 1000);
    expect((await call("/v1/zones", { key: body.token })).status).toBe(200);
  });

  it("reads the role again, so a demotion takes effect at the next refresh", async () => {
    const user = await addUser("demo", "viewer");
    const stale = await signStaffJwt(env, { sub: user.id, tid: "demo", role: "tenant_admin", email: user.email });
    const body = await json(await refresh(stale));
    expect(body.user.role).toBe("viewer");
    expect(decodeJwt(body.token).role).toBe("viewer");
    const create = await call("/v1/permits", {
      key: body.token,
      body: { plate: "RFR123", type: "VISITOR", zones: ["A1"], validUntil: new Date(Date.now() + 3600_000).toISOString() },
    });
    await expectProblem(create, 403);
  });
});

describe("POST /v1/auth/refresh: error", () => {
  it("refuses a chain of refreshes that would outlive the sign-in by more than 12 hours", async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = await signStaffJwt(env, {}, { iat: now - 12 * HOUR - 60, exp: now + 300 });
    const p = await expectProblem(await refresh(old), 401);
    expect(p.detail).toMatch(/sign in again/);
  });

  it("refuses an expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectProblem(await refresh(await signStaffJwt(env, {}, { iat: now - 1000, exp: now - 10 })), 401);
  });

  it("refuses a user who was deleted, or whose tenant was suspended, since the token was issued", async () => {
    const gone = await addUser("demo", "tenant_admin");
    const token = (await login(gone.email, gone.password)).token;
    await db(env.DB).delete(users).where(eqId(gone.id));
    await expectProblem(await refresh(token), 401);

    const tenant = `susp${uniq(6).toLowerCase()}`;
    const member = await addUser(tenant, "tenant_admin");
    const memberToken = await signStaffJwt(env, { sub: member.id, tid: tenant, email: member.email });
    await db(env.DB).update(tenants).set({ status: "suspended" }).where(eqTenant(tenant));
    await expectProblem(await refresh(memberToken), 401);
  });
});

describe("POST /v1/auth/refresh: security", () => {
  it("needs a credential", async () => {
    const res = await refresh(null);
    await expectProblem(res, 401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("will not turn an API key into a staff token", async () => {
    const p = await expectProblem(await refresh(DEMO_ADMIN), 403);
    expect(p.detail).toMatch(/staff token/);
  });

  it("refuses a forged signature and an unsigned token", async () => {
    await expectProblem(await refresh(await signStaffJwt(env, {}, { secret: "not-the-secret-0123456789abcdef0123456789" })), 401);
    await expectProblem(await refresh(await signStaffJwt(env, {}, { alg: "none" })), 401);
  });

  it("never moves a user into another tenant: a token naming a tenant the user is not in is refused", async () => {
    const outsider = await addUser("other", "tenant_admin");
    const token = await signStaffJwt(env, { sub: outsider.id, tid: "demo", email: outsider.email });
    await expectProblem(await refresh(token), 401);
    const own = await json(await refresh(await signStaffJwt(env, { sub: outsider.id, tid: "other", email: outsider.email })));
    expect(own.user.tenantId).toBe("other");
    const zones = await json<{ data: { name: string }[] }>(await call("/v1/zones", { key: own.token }));
    expect(zones.data.map((z) => z.name)).toEqual(["Other Main"]);
  });
});

const eqId = (id: string) => eq(users.id, id);
const eqTenant = (id: string) => eq(tenants.id, id);
