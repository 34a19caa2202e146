// The credential vault: master keyring, per-tenant data keys, sealed credentials bound to their row,
// masks, and master key rotation that keeps every row readable; plus POST /v1/admin/vault/rotate.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { statusOf } from "../../../src/http/errors";
import type { Bindings } from "../../../src/env";
import worker from "../../../src";
import { connect } from "../../../src/vault/connections";
import { db } from "../../../src/storage/db";
import { tenants } from "../../../src/storage/schema";
import { maskSecret, openCredentials, sealCredentials } from "../../../src/vault/credentials";
import { activeDataKey, forgetCachedDataKeys } from "../../../src/vault/data-keys";
import { keyring, VaultError } from "../../../src/vault/keyring";
import { rotateMasterKey } from "../../../src/vault/rotate";
import {
  DEMO_ADMIN,
  NO_SCOPES,
  OTHER_INTEGRATIONS_ADMIN,
  PLATFORM_ADMIN,
  call,
  expectNoSecret,
  expectProblem,
  json,
  seedIntegrationKeys,
  signStaffJwt,
  uniq,
} from "../fixtures";

const ALL_KEYS = env.VAULT_MASTER_KEYS!;
const [V1, V2] = ALL_KEYS.split(",") as [string, string];
/** The deployment before rotation: only master key 1 exists, so new data keys are wrapped by it. */
const beforeRotation = { ...env, VAULT_MASTER_KEYS: V1 } as Bindings;
/** The deployment after rotation with version 1 removed: only rewrapped rows can be read. */
const afterRetiringV1 = { ...env, VAULT_MASTER_KEYS: V2 } as Bindings;
const randomKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

type DataKeyRaw = {
  tenant_id: string;
  version: number;
  wrapped_key: string;
  master_version: number;
  rewrapped_at: number | null;
};
const dataKeyRow = (tenantId: string) =>
  env.DB.prepare("SELECT * FROM tenant_data_keys WHERE tenant_id = ?").bind(tenantId).first<DataKeyRaw>();
const connectionRow = (id: string) =>
  env.DB.prepare("SELECT * FROM integration_connections WHERE id = ?").bind(id).first<{
    id: string;
    tenant_id: string;
    credentials_ciphertext: string;
    key_version: number;
    masked: string;
    settings: string;
  }>();

async function newTenant(prefix = "vault") {
  const id = `${prefix}-${uniq(8).toLowerCase()}`;
  await db(env.DB)
    .insert(tenants)
    .values({ id, name: `Tenant ${id}`, timezone: "UTC" });
  return id;
}

/** A tenant with a Stripe connection, sealed under the given deployment's keyring. */
async function connectedTenant(deployment: Bindings = env) {
  const tenantId = await newTenant();
  const credentials = { secretKey: `sk_live_${uniq(24)}`, webhookSecret: `whsec_${uniq(32)}` };
  const { row } = await connect(deployment, { tenantId, provider: "stripe", credentials, masked: {}, settings: {} });
  return { tenantId, id: row.id, credentials };
}

/** Reads credentials back from D1 with nothing cached, so the answer proves what the rows hold. */
async function readFresh(deployment: Bindings, c: { tenantId: string; id: string }) {
  forgetCachedDataKeys();
  const row = (await connectionRow(c.id))!;
  return openCredentials(deployment, {
    id: row.id,
    tenantId: row.tenant_id,
    credentialsCiphertext: row.credentials_ciphertext,
    keyVersion: row.key_version,
  });
}

async function rejection(p: Promise<unknown>): Promise<VaultError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  return err as VaultError;
}

beforeAll(() => seedIntegrationKeys(env));

describe("keyring", () => {
  it("reads every version from VAULT_MASTER_KEYS and makes the highest the active one", async () => {
    const ring = await keyring(env);
    expect(ring.activeVersion).toBe(2);
    expect(ring.versions).toEqual([1, 2]);
    expect(ring.key(1)).toBeDefined();
    expect(ring.key(3)).toBeUndefined();
    expect(await keyring({ VAULT_MASTER_KEYS: `7:${randomKey()}, 3:${randomKey()}` }).then((r) => r.activeVersion)).toBe(7);
    expect(keyring(env)).toBe(keyring(env)); // parsed once per isolate
  });

  it("refuses a missing or malformed secret with a 503 that never quotes the key material", async () => {
    const short = btoa("sixteen-byte-key");
    const cases = [
      "",
      "   ",
      "abc",
      `0:${randomKey()}`,
      `-1:${randomKey()}`,
      `1.5:${randomKey()}`,
      `1:${short}`,
      `1:${randomKey()}!`,
      `1:${randomKey()},1:${randomKey()}`,
      `x:${randomKey()}`,
    ];
    for (const value of cases) {
      const err = await rejection(keyring({ VAULT_MASTER_KEYS: value }));
      expect(statusOf(err), value).toBe(503);
      expect(err.message).toMatch(/^Vault not configured: VAULT_MASTER_KEYS /);
      if (value.includes(":")) expect(err.message).not.toContain(value.split(":")[1]!.slice(0, 12));
    }
    expect((await rejection(keyring({}))).message).toBe("Vault not configured: VAULT_MASTER_KEYS is not set");
  });
});

describe("maskSecret", () => {
  it("keeps a short vendor prefix and the last 4 characters", () => {
    expect(maskSecret("sk_live_51HqLyjWDarjtT1zdp7dcA1b2")).toBe("sk_…A1b2");
    expect(maskSecret("sk_test_abcdefgh")).toBe("sk_…efgh");
    expect(maskSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBe("…LaSw"); // "whsec_" + 4 would show 10
    expect(maskSecret("xkeysib-0123456789abcdef")).toBe("…cdef");
    expect(maskSecret("0123456789abcdef")).toBe("…cdef");
    expect(maskSecret("sk_12345678901")).toBe("…8901"); // the prefix would leave fewer than 8 hidden
  });

  it("hides very short secrets entirely and never shows more than 8 characters", () => {
    for (const s of ["", "a", "sk_abc", "12345678901"]) expect(maskSecret(s)).toBe("••••");
    for (let n = 0; n < 300; n++) {
      const secret = uniq(1 + (n % 60)) + (n % 3 ? "_" : "-") + uniq(n % 40);
      const mask = maskSecret(secret);
      const visible = mask.replace(/[…•]/g, "");
      expect(visible.length, secret).toBeLessThanOrEqual(8);
      expect(secret.length - visible.length, secret).toBeGreaterThanOrEqual(mask === "••••" ? 0 : 8);
      if (mask !== "••••") expect(secret.endsWith(mask.split("…")[1]!)).toBe(true);
    }
  });
});

describe("sealed credentials", () => {
  it("stores only ciphertext: no secret, nor its hex or base64, in the row", async () => {
    const c = await connectedTenant();
    const row = (await connectionRow(c.id))!;
    for (const secret of Object.values(c.credentials)) expectNoSecret(JSON.stringify(row), secret, "the D1 row");
    expect(row.key_version).toBe(1);
    // base64(iv 12 | ciphertext | tag 16), nothing else
    const sealed = atob(row.credentials_ciphertext);
    expect(sealed.length).toBe(12 + JSON.stringify(c.credentials).length + 16);
    expect(await readFresh(env, c)).toEqual(c.credentials);
  });

  it("uses a fresh IV every time it seals", async () => {
    const tenantId = await newTenant();
    const creds = { apiKey: `key_${uniq(20)}` };
    const a = await sealCredentials(env, tenantId, "con_same", creds);
    const b = await sealCredentials(env, tenantId, "con_same", creds);
    expect(a.ciphertext.slice(0, 16)).not.toBe(b.ciphertext.slice(0, 16));
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it("does not open a ciphertext copied to another tenant or another connection (AAD)", async () => {
    const victim = await connectedTenant();
    const thief = await connectedTenant();
    const stolen = (await connectionRow(victim.id))!;
    // The thief's tenant has its own data key, and the AAD names tenant and connection: every mix fails.
    for (const target of [
      { id: thief.id, tenantId: thief.tenantId },
      { id: victim.id, tenantId: thief.tenantId },
      { id: thief.id, tenantId: victim.tenantId },
    ]) {
      const err = await rejection(
        openCredentials(env, { ...target, credentialsCiphertext: stolen.credentials_ciphertext, keyVersion: stolen.key_version }),
      );
      expect(statusOf(err)).toBe(503);
    }
    // Same tenant, another connection id: the data key is right, the AAD is not.
    const sibling = await sealCredentials(env, victim.tenantId, "con_one", { apiKey: "x".repeat(20) });
    await rejection(
      openCredentials(env, {
        id: "con_two",
        tenantId: victim.tenantId,
        credentialsCiphertext: sibling.ciphertext,
        keyVersion: sibling.keyVersion,
      }),
    );
    expect(await readFresh(env, victim)).toEqual(victim.credentials);
  });

  it("refuses tampered and malformed ciphertexts", async () => {
    const c = await connectedTenant();
    const row = (await connectionRow(c.id))!;
    const bytes = Uint8Array.from(atob(row.credentials_ciphertext), (ch) => ch.charCodeAt(0));
    bytes[20]! ^= 1;
    const tampered = btoa(String.fromCharCode(...bytes));
    for (const ciphertext of [tampered, "not base64!", "", btoa("short")])
      await rejection(openCredentials(env, { id: c.id, tenantId: c.tenantId, credentialsCiphertext: ciphertext, keyVersion: 1 }));
    await rejection(
      openCredentials(env, { id: c.id, tenantId: c.tenantId, credentialsCiphertext: row.credentials_ciphertext, keyVersion: 2 }),
    );
  });
});

describe("tenant data keys", () => {
  it("are created on first use, once, even when first uses race", async () => {
    const tenantId = await newTenant();
    expect(await dataKeyRow(tenantId)).toBeNull();
    forgetCachedDataKeys();
    const keys = await Promise.all(Array.from({ length: 8 }, () => activeDataKey(env, tenantId)));
    const { results } = await env.DB.prepare("SELECT * FROM tenant_data_keys WHERE tenant_id = ?")
      .bind(tenantId)
      .all<DataKeyRaw>();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ version: 1, master_version: 2, rewrapped_at: null });
    expect(atob(results[0]!.wrapped_key)).toHaveLength(12 + 32 + 16);
    // Whichever racer's insert won, every racer now encrypts with the stored key.
    for (const [i, k] of keys.entries()) {
      const sealed = await sealCredentials(env, tenantId, `con_${i}`, { apiKey: `k${i}`.repeat(8) });
      forgetCachedDataKeys();
      expect(
        await openCredentials(env, { id: `con_${i}`, tenantId, credentialsCiphertext: sealed.ciphertext, keyVersion: k.version }),
      ).toEqual({ apiKey: `k${i}`.repeat(8) });
    }
  });

  it("do not unwrap when copied to another tenant's row", async () => {
    const a = await connectedTenant();
    const b = await connectedTenant();
    const wrapped = (await dataKeyRow(a.tenantId))!;
    await env.DB.prepare("UPDATE tenant_data_keys SET wrapped_key = ?, master_version = ? WHERE tenant_id = ?")
      .bind(wrapped.wrapped_key, wrapped.master_version, b.tenantId)
      .run();
    forgetCachedDataKeys();
    expect((await rejection(readFresh(env, b))).message).toMatch(/does not unwrap/);
  });
});

describe("rotateMasterKey", () => {
  it("rewraps rows from version 1 to 2 one at a time, and every row reads before, during and after", async () => {
    const rows = [
      await connectedTenant(beforeRotation),
      await connectedTenant(beforeRotation),
      await connectedTenant(beforeRotation),
    ];
    rows.sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1)); // the order rotation walks them in
    const ciphertexts = await Promise.all(rows.map(async (r) => (await connectionRow(r.id))!.credentials_ciphertext));
    for (const r of rows) {
      expect((await dataKeyRow(r.tenantId))!.master_version).toBe(1);
      expect(await readFresh(env, r)).toEqual(r.credentials);
      await rejection(readFresh(afterRetiringV1, r)); // v1 cannot be retired yet
    }

    const seen = new Set<string>();
    for (let step = 0; step < 1000; step++) {
      const report = await rotateMasterKey(env, { limit: 1 });
      expect(report.activeVersion).toBe(2);
      expect(report.rewrapped).toBeLessThanOrEqual(1);
      const versions = await Promise.all(rows.map(async (r) => (await dataKeyRow(r.tenantId))!.master_version));
      seen.add(versions.join(","));
      for (const r of rows) expect(await readFresh(env, r)).toEqual(r.credentials);
      if (report.rewrapped === 0) break;
    }
    expect(seen).toContain("2,1,1"); // one of ours rewrapped, the others not yet: still all readable
    expect(seen).toContain("2,2,1");

    for (const [i, r] of rows.entries()) {
      const key = (await dataKeyRow(r.tenantId))!;
      expect(key.master_version).toBe(2);
      expect(key.rewrapped_at).toBeGreaterThan(0);
      expect((await connectionRow(r.id))!.credentials_ciphertext).toBe(ciphertexts[i]); // ciphertexts never change
      expect(await readFresh(afterRetiringV1, r)).toEqual(r.credentials); // version 1 can now be removed
    }
    expect((await rotateMasterKey(env)).rewrapped).toBe(0); // running again is harmless
  });

  it("reports rows whose master version is missing or wrong, and rewraps the others", async () => {
    const lost = await connectedTenant({ ...env, VAULT_MASTER_KEYS: `1:${randomKey()},9:${randomKey()}` } as Bindings); // wrapped by a v9 we no longer have
    const forged = await connectedTenant({ ...env, VAULT_MASTER_KEYS: `1:${randomKey()}` } as Bindings); // "v1", but not our v1
    const fine = await connectedTenant(beforeRotation);

    const report = await rotateMasterKey(env);
    expect(report.skipped).toEqual(
      expect.arrayContaining([
        {
          tenantId: lost.tenantId,
          dataKeyVersion: 1,
          masterVersion: 9,
          reason: "master key version 9 is not in VAULT_MASTER_KEYS",
        },
        { tenantId: forged.tenantId, dataKeyVersion: 1, masterVersion: 1, reason: "does not unwrap with master key version 1" },
      ]),
    );
    expect(report.remainingOnOldVersions).toBeGreaterThanOrEqual(2);
    expect((await dataKeyRow(fine.tenantId))!.master_version).toBe(2);
    expect(await readFresh(afterRetiringV1, fine)).toEqual(fine.credentials);
    expect((await dataKeyRow(lost.tenantId))!.master_version).toBe(9); // left as it was
    expect((await rejection(readFresh(env, lost))).message).toMatch(
      /master key version 9, which VAULT_MASTER_KEYS does not hold/,
    );

    // Cleaning them up lets the report reach zero.
    await env.DB.prepare("DELETE FROM integration_connections WHERE tenant_id IN (?, ?)")
      .bind(lost.tenantId, forged.tenantId)
      .run();
    await env.DB.prepare("DELETE FROM tenant_data_keys WHERE tenant_id IN (?, ?)").bind(lost.tenantId, forged.tenantId).run();
    expect(await rotateMasterKey(env)).toMatchObject({ remainingOnOldVersions: 0, skipped: [] });
  });
});

/** Calls the app with a changed environment (e.g. no vault secret), the way a misconfigured deploy would run it. */
async function callWith(bindings: Bindings, path: string, key: string, method = "POST") {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://curbgate.test${path}`, { method, headers: { authorization: `Bearer ${key}` } }),
    bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const rotate = (key: string | null, query = "") => call(`/v1/admin/vault/rotate${query}`, { key, method: "POST" });

describe("POST /v1/admin/vault/rotate", () => {
  it("happy: a platform admin rewraps every row and gets the report", async () => {
    const c = await connectedTenant(beforeRotation);
    const res = await rotate(PLATFORM_ADMIN);
    expect(res.status).toBe(200);
    const report = await json(res);
    expect(report).toMatchObject({ activeVersion: 2, remainingOnOldVersions: 0, skipped: [] });
    expect(report.rewrapped).toBeGreaterThanOrEqual(1);
    expect((await dataKeyRow(c.tenantId))!.master_version).toBe(2);
    expect(await readFresh(afterRetiringV1, c)).toEqual(c.credentials);
  });

  it("happy: honours ?limit, and a platform_admin staff token may call it", async () => {
    const rows = [await connectedTenant(beforeRotation), await connectedTenant(beforeRotation)];
    const token = await signStaffJwt(env, { role: "platform_admin" });
    const first = await json(await rotate(token, "?limit=1"));
    expect(first).toMatchObject({ rewrapped: 1, remainingOnOldVersions: 1 });
    expect(await json(await rotate(token, "?limit=1"))).toMatchObject({ rewrapped: 1, remainingOnOldVersions: 0 });
    for (const r of rows) expect(await readFresh(env, r)).toEqual(r.credentials);
  });

  it("writes an audit entry", async () => {
    const res = await rotate(PLATFORM_ADMIN);
    const requestId = res.headers.get("x-request-id")!;
    let entry: { action: string; tenant_id: string; detail: string } | null = null;
    for (let i = 0; i < 50 && !entry; i++) {
      entry = await env.DB.prepare("SELECT * FROM audit_log WHERE request_id = ?").bind(requestId).first();
      if (!entry) await new Promise((r) => setTimeout(r, 20));
    }
    expect(entry).toMatchObject({ action: "vault.rotate", tenant_id: "demo" });
    expect(JSON.parse(entry!.detail)).toMatchObject({ activeVersion: 2 });
  });

  it("error: 422 for a bad limit; 503 when the vault is not configured", async () => {
    const body = await expectProblem(await rotate(PLATFORM_ADMIN, "?limit=0"), 422);
    expect(body.errors).toEqual([expect.objectContaining({ location: "query", path: "limit" })]);
    const missing = await expectProblem(
      await callWith({ ...env, VAULT_MASTER_KEYS: undefined } as Bindings, "/v1/admin/vault/rotate", PLATFORM_ADMIN),
      503,
    );
    expect(missing.detail).toBe("Vault not configured: VAULT_MASTER_KEYS is not set");
    const bad = await expectProblem(
      await callWith({ ...env, VAULT_MASTER_KEYS: "2:c2hvcnQ=" } as Bindings, "/v1/admin/vault/rotate", PLATFORM_ADMIN),
      503,
    );
    expect(bad.detail).toMatch(/^Vault not configured/);
    expect(bad.detail).not.toContain("c2hvcnQ");
  });

  it("security: 401 without a credential, 403 for every key without platform:admin", async () => {
    await expectProblem(await rotate(null), 401);
    const tenantAdmin = await signStaffJwt(env, { role: "tenant_admin" });
    for (const key of [DEMO_ADMIN, NO_SCOPES, OTHER_INTEGRATIONS_ADMIN, tenantAdmin]) {
      const body = await expectProblem(await rotate(key), 403);
      expect(body.detail).toContain("platform:admin");
    }
  });
});
