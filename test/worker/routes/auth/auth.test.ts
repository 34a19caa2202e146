// POST /v1/auth/login: staff sign-in for a short-lived JWT, the roles it carries, and the tenant it is bound to.
import { env } from "cloudflare:workers";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../../../src/auth/passwords";
import { db } from "../../../../src/storage/db";
import { tenants, users } from "../../../../src/storage/schema";
import { call, createZone, DEMO_ADMIN, expectProblem, flatZone, json, newPlate, OTHER_TENANT_ADMIN, uniq } from "../../fixtures";

const login = (body: unknown, headers?: Record<string, string>) => call("/v1/auth/login", { body, key: null, headers });

async function tokenFor(email: string, password: string) {
  const res = await login({ email, password });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  return (await json<{ token: string }>(res)).token;
}

/** A staff user straight in D1 (there is no user-management route yet), in a tenant created if missing. */
async function addUser(
  tenant: { id: string; status?: "active" | "suspended" },
  role: "tenant_admin" | "viewer" = "tenant_admin",
) {
  const database = db(env.DB);
  await database
    .insert(tenants)
    .values({ id: tenant.id, name: `Tenant ${tenant.id}`, timezone: "UTC", status: tenant.status ?? "active" })
    .onConflictDoNothing();
  const email = `staff-${uniq(8).toLowerCase()}@${tenant.id}.test`;
  const password = `pw-${uniq(12)}`;
  const id = `usr_${uniq(12)}`;
  await database.insert(users).values({ id, tenantId: tenant.id, email, role, passwordHash: await hashPassword(password) });
  return { id, email, password };
}

const zoneBody = () => {
  const z = flatZone();
  return {
    code: z.code,
    name: z.name,
    timezone: z.timezone,
    rateSlots: z.rateSlots,
    enforcement: z.enforcement,
    graceMinutes: z.graceMinutes,
    maxStayMinutes: z.maxStayMinutes,
  };
};

describe("POST /v1/auth/login: happy", () => {
  it("the demo admin gets a 15-minute HS256 token naming its user, tenant and role", async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await login({ email: "admin@demo.test", password: "demo-admin-password" });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      tokenType: "Bearer",
      user: { id: "usr_demo_admin", email: "admin@demo.test", role: "tenant_admin", tenantId: "demo" },
    });

    expect(decodeProtectedHeader(body.token)).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = decodeJwt(body.token);
    expect(claims).toMatchObject({
      iss: "curbgate",
      aud: "curbgate-api",
      sub: "usr_demo_admin",
      tid: "demo",
      role: "tenant_admin",
      email: "admin@demo.test",
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect(body.expiresAt).toBe(new Date(claims.exp! * 1000).toISOString());
    expect(JSON.stringify(claims)).not.toContain("password");
  });

  it("the token works on /v1/zones and can manage the tenant's zones", async () => {
    const token = await tokenFor("admin@demo.test", "demo-admin-password");
    const list = await call("/v1/zones", { key: token });
    expect(list.status).toBe(200);
    expect(list.headers.get("ratelimit-limit")).toBe("1200");
    const codes = (await json<{ data: { code: string }[] }>(list)).data.map((z) => z.code);
    expect(codes).toEqual(expect.arrayContaining(["A1", "A2", "B1", "B2"]));

    const body = zoneBody();
    expect((await call("/v1/zones", { key: token, body })).status).toBe(201);
    expect((await call(`/v1/zones/${body.code}`, { key: DEMO_ADMIN })).status).toBe(200);
    await expectProblem(await call(`/v1/zones/${body.code}`, { key: OTHER_TENANT_ADMIN }), 404);
  });

  it("email is matched case-insensitively; the password is not", async () => {
    expect((await login({ email: "Admin@Demo.TEST", password: "demo-admin-password" })).status).toBe(200);
    await expectProblem(await login({ email: "admin@demo.test", password: "DEMO-ADMIN-PASSWORD" }), 401);
  });

  it("ignores any Authorization header the client sends along", async () => {
    const res = await login(
      { email: "admin@demo.test", password: "demo-admin-password" },
      { authorization: "Bearer cg_not_a_key" },
    );
    expect(res.status).toBe(200);
  });

  it("a viewer can read zones, permits and plate checks", async () => {
    const token = await tokenFor("viewer@demo.test", "demo-viewer-password");
    expect(decodeJwt(token)).toMatchObject({ role: "viewer", tid: "demo", sub: "usr_demo_viewer" });
    expect((await call("/v1/zones", { key: token })).status).toBe(200);
    expect((await call("/v1/zones/A1", { key: token })).status).toBe(200);
    expect((await call("/v1/permits", { key: token })).status).toBe(200);
    expect((await call("/v1/verify", { key: token, body: { plate: "ABC123", zone: "A1" } })).status).toBe(200);
  });
});

describe("POST /v1/auth/login: errors", () => {
  it("a wrong password and an unknown email get the same 401 problem", async () => {
    const wrong = await expectProblem(await login({ email: "admin@demo.test", password: "not-the-password" }), 401);
    const unknown = await expectProblem(
      await login({ email: `nobody-${uniq(6).toLowerCase()}@demo.test`, password: "demo-admin-password" }),
      401,
    );
    expect(wrong.detail).toBe("Wrong email or password");
    expect(unknown.detail).toBe(wrong.detail);
    expect(unknown.type).toBe(wrong.type);
    // The other user's password does not open this account.
    await expectProblem(await login({ email: "admin@demo.test", password: "demo-viewer-password" }), 401);
  });

  it.each([
    ["no email", { password: "x" }, "email"],
    ["an email without @", { email: "admin.demo.test", password: "x" }, "email"],
    ["an email over 254 characters", { email: `${"a".repeat(250)}@demo.test`, password: "x" }, "email"],
    ["a numeric email", { email: 42, password: "x" }, "email"],
    ["no password", { email: "admin@demo.test" }, "password"],
    ["an empty password", { email: "admin@demo.test", password: "" }, "password"],
    ["a password over 1024 characters", { email: "admin@demo.test", password: "p".repeat(1025) }, "password"],
    ["a numeric password", { email: "admin@demo.test", password: 12345678 }, "password"],
    ["an array body", [], "(root)"],
  ])("%s -> 422 with a field error", async (_, body, path) => {
    const p = await expectProblem(await login(body), 422);
    expect(p.errors).toEqual(expect.arrayContaining([expect.objectContaining({ location: "body", path })]));
  });

  it("malformed JSON -> 400 problem", async () => {
    await expectProblem(await login('{"email": "admin@demo.test", "password": '), 400);
  });

  it("a body over 64 KiB -> 413 problem", async () => {
    await expectProblem(await login({ email: "admin@demo.test", password: "p".repeat(70_000) }), 413);
  });

  it("a staff member of a suspended tenant cannot sign in", async () => {
    const user = await addUser({ id: `susp-${uniq(6).toLowerCase()}`, status: "suspended" });
    expect((await expectProblem(await login({ email: user.email, password: user.password }), 401)).detail).toBe(
      "Wrong email or password",
    );
  });

  it("GET /v1/auth/login is not a route", async () => {
    await expectProblem(await call("/v1/auth/login", { key: DEMO_ADMIN }), 404);
  });
});

describe("POST /v1/auth/login: security", () => {
  it("a viewer cannot create zones or permits, change zones, revoke permits or start sessions", async () => {
    const token = await tokenFor("viewer@demo.test", "demo-viewer-password");
    const body = zoneBody();
    expect((await expectProblem(await call("/v1/zones", { key: token, body }), 403)).detail).toBe(
      "This credential lacks the `zones:write` scope",
    );
    await expectProblem(await call("/v1/zones/A1", { key: token, method: "PUT", body: { ...body, code: undefined } }), 403);
    const permit = {
      plate: newPlate(),
      type: "RESIDENTIAL",
      zones: ["A1"],
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    };
    expect((await expectProblem(await call("/v1/permits", { key: token, body: permit }), 403)).detail).toBe(
      "This credential lacks the `permits:write` scope",
    );
    await expectProblem(await call("/v1/permits/prm_demoResidential0001", { key: token, method: "DELETE" }), 403);
    await expectProblem(await call("/v1/sessions", { key: token, body: { plate: newPlate(), zone: "A1", minutes: 15 } }), 403);

    // None of it happened.
    await expectProblem(await call(`/v1/zones/${body.code}`, { key: DEMO_ADMIN }), 404);
    const search = await json(await call(`/v1/permits?plate=${permit.plate}`, { key: DEMO_ADMIN }));
    expect(search.data).toEqual([]);
  });

  it("a token is bound to its user's tenant: another city's admin sees only that city", async () => {
    const user = await addUser({ id: "other" });
    const token = await tokenFor(user.email, user.password);
    expect(decodeJwt(token)).toMatchObject({ tid: "other", sub: user.id });

    const zones = (await json<{ data: { code: string; name: string }[] }>(await call("/v1/zones", { key: token }))).data;
    expect(zones.map((z) => z.code)).toContain("A1");
    expect(zones.find((z) => z.code === "A1")!.name).toBe("Other Main");
    expect(zones.map((z) => z.code)).not.toContain("B2");

    await expectProblem(await call("/v1/zones/B2", { key: token }), 404);
    await expectProblem(await call("/v1/permits/prm_demoResidential0001", { key: token }), 404);
    await expectProblem(await call("/v1/verify", { key: token, body: { plate: "TRN808", zone: "B2" } }), 404);

    // What it creates belongs to its own tenant.
    const body = zoneBody();
    expect((await call("/v1/zones", { key: token, body })).status).toBe(201);
    expect((await call(`/v1/zones/${body.code}`, { key: OTHER_TENANT_ADMIN })).status).toBe(200);
    await expectProblem(await call(`/v1/zones/${body.code}`, { key: DEMO_ADMIN }), 404);
  });

  it("the demo admin's token cannot reach the other tenant's zones", async () => {
    const theirs = zoneBody();
    await createZone({ ...flatZone(), ...theirs }, OTHER_TENANT_ADMIN);
    const token = await tokenFor("admin@demo.test", "demo-admin-password");
    await expectProblem(await call(`/v1/zones/${theirs.code}`, { key: token }), 404);
    await expectProblem(await call("/v1/verify", { key: token, body: { plate: "ABC123", zone: theirs.code } }), 404);
    const list = (await json<{ data: { code: string }[] }>(await call("/v1/zones", { key: token }))).data;
    expect(list.map((z) => z.code)).not.toContain(theirs.code);
  });
});
