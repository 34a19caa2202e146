// Shared by the citation route tests: keys for each role, the real JPEG fixture, a zone whose verdict does
// not depend on the hour, and a snapshot of everything issuing writes (to prove a refusal wrote nothing).
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import photoFixture from "../../../fixtures/enforcement/aims-citation-photo.json";
import { ROLE_SCOPES } from "../../../../src/auth/principal";
import { addKey, ALL_DAYS, call, createZone, flatZone, json, newPlate, zoneObject } from "../../fixtures";

/** tenant_admin's scopes on the demo tenant: may uphold, dismiss, pay and edit violation codes. */
export const ENFORCEMENT_ADMIN = "cg_test_demo_enforcement_admin";
/** The viewer role's scopes: reads citations, issues nothing. */
export const VIEWER = "cg_test_demo_viewer";
/** Every citation scope, on the other tenant: the attacker with the right scopes and the wrong city. */
export const OTHER_ENFORCEMENT_ADMIN = "cg_test_other_enforcement_admin";

export async function seedCitationKeys() {
  await addKey(env, ENFORCEMENT_ADMIN, "demo", [...ROLE_SCOPES.tenant_admin]);
  await addKey(env, VIEWER, "demo", [...ROLE_SCOPES.viewer]);
  await addKey(env, OTHER_ENFORCEMENT_ADMIN, "other", [...ROLE_SCOPES.tenant_admin]);
}

/** test/fixtures/evidence/plate.jpg, as the photo fixture carries it. */
export const PLATE_JPG_BASE64: string = photoFixture.evidence[0]!.base64Data;
export const PLATE_JPG = Uint8Array.from(atob(PLATE_JPG_BASE64), (ch) => ch.charCodeAt(0));
export const PLATE_JPG_SHA256 = "5f0f1968f1fabf37b0189218656bfa90b3b38bdf531573ab8c69e76fb00e5dfd";

export const toBase64 = (bytes: Uint8Array) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};

export const hex = async (bytes: Uint8Array | ArrayBuffer) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

/** A zone enforced at every hour, so a plate with no record is NO_RECORD (citable) whenever the test runs. */
export async function enforcedZone() {
  return (await createZone(flatZone({ enforcement: [{ days: ALL_DAYS, start: "00:00", end: "24:00" }] }))).code;
}

const MIN = 60_000;
/** Puts a session straight into a zone's object (sessions cannot be sold in the past through the API). */
export async function sessionInZone(zone: string, plate: string, startMs: number, minutes: number) {
  await zoneObject(env, zone).importSessions(
    [{ plate, state: "CT", startMs, minutes, amountCents: minutes * 4 }],
    Date.now(),
    false,
  );
}
export const ago = (minutes: number) => Date.now() - minutes * MIN;

export const newNumber = () => `T-${newPlate()}`;

/** A native citation body for a plate nothing protects, in the given zone. */
export const citationBody = (zone: string, extra: Record<string, unknown> = {}): Record<string, any> & { plate: string } => ({
  plate: newPlate(),
  state: "CT",
  zone,
  violationCode: "PKG-001",
  ...extra,
});

export async function issue(body: Record<string, unknown>, key?: string) {
  const res = await call("/v1/citations", { key, body });
  if (res.status !== 201) throw new Error(`citation issue failed: ${res.status} ${await res.text()}`);
  return json(res);
}

async function count(sql: string) {
  return (await env.DB.prepare(sql).first<{ n: number }>())!.n;
}

/** Everything issuing writes for the demo tenant: rows in each table, and evidence objects in R2. */
export async function writes() {
  const listed = await env.BLOBS.list({ prefix: "tenants/demo/evidence/" });
  return {
    citations: await count("SELECT count(*) AS n FROM citations WHERE tenant_id = 'demo'"),
    evidence: await count("SELECT count(*) AS n FROM evidence WHERE tenant_id = 'demo'"),
    transitions: await count("SELECT count(*) AS n FROM citation_transitions WHERE tenant_id = 'demo'"),
    events: await count("SELECT count(*) AS n FROM domain_events WHERE tenant_id = 'demo' AND type LIKE 'citation.%'"),
    audits: await count(
      "SELECT count(*) AS n FROM audit_log WHERE tenant_id = 'demo' AND action IN ('citation.issue', 'citation.override')",
    ),
    blobs: listed.objects.length,
  };
}

/** Runs `fn` and asserts it wrote nothing that issuing writes. */
export async function expectNothingWritten(fn: () => Promise<unknown>) {
  const before = await writes();
  await fn();
  expect(await writes()).toEqual(before);
}
