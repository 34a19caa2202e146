// POST /v1/citations: issuing, retries by number, every refusal of bad input (and that it wrote nothing),
// the plate check at the issue time with its override, linking a violation, and a failed D1 batch.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { issueCitation } from "../../../../src/effects/citations";
import { citationById, insertCitation } from "../../../../src/storage/citations";
import { db } from "../../../../src/storage/db";
import { MAX_EVIDENCE_BYTES } from "../../../../src/domain/evidence";
import { call, expectProblem, issuePermit, json, NO_SCOPES, OFFICER, signStaffJwt, uniq } from "../../fixtures";
import {
  ago,
  citationBody,
  ENFORCEMENT_ADMIN,
  enforcedZone,
  expectNothingWritten,
  issue,
  newNumber,
  OTHER_ENFORCEMENT_ADMIN,
  PLATE_JPG_BASE64,
  PLATE_JPG_SHA256,
  seedCitationKeys,
  sessionInZone,
  toBase64,
  VIEWER,
  writes,
} from "./helpers";

const post = (body: unknown, key: string | null = OFFICER) => call("/v1/citations", { key, body });
const photo = (base64Data = PLATE_JPG_BASE64) => ({ type: "PHOTO", base64Data, mimeType: "image/jpeg" });

let zone: string;
beforeAll(async () => {
  await seedCitationKeys();
  zone = await enforcedZone();
});

describe("issuing", () => {
  it("issues with the code's fine, a generated number, the plate check, the evidence and the first transition", async () => {
    const body = citationBody(zone, { evidence: [photo()], location: { address: "1 Test St" } });
    const res = await post(body);
    expect(res.status).toBe(201);
    const c = await json(res);
    expect(c).toMatchObject({
      id: expect.stringMatching(/^cit_[A-Za-z0-9]{20}$/),
      number: expect.stringMatching(/^DEMO-\d{4}-[0-9A-HJKMNP-TV-Z]{8}$/),
      source: "native",
      status: "issued",
      plate: body.plate,
      zone,
      violationCode: "PKG-001",
      description: "Expired meter",
      fineCents: 2500,
      lateFeeCents: 0,
      amountDueCents: 2500,
      officer: { id: "key:key_demo_officer", name: null, badge: null },
      location: { address: "1 Test St", latitude: null, longitude: null },
      plateCheck: { status: "NO_RECORD", fuzzy: false, overrideReason: null },
      allowedActions: ["pay", "void", "appeal", "escalate"],
      version: 1,
    });
    expect(c.evidence).toEqual([
      expect.objectContaining({
        type: "PHOTO",
        contentType: "image/jpeg",
        bytes: 2245,
        sha256: PLATE_JPG_SHA256,
        download: `/v1/citations/${c.id}/evidence/${c.evidence[0].id}`,
      }),
    ]);
    expect(c.transitions).toEqual([
      { action: "issue", from: null, to: "issued", reason: null, actor: "key:key_demo_officer", at: c.createdAt },
    ]);

    const event = await env.DB.prepare("SELECT type, data FROM domain_events WHERE subject = ?")
      .bind(c.id)
      .first<{ type: string; data: string }>();
    expect(event!.type).toBe("citation.issued");
    expect(JSON.parse(event!.data)).toMatchObject({
      number: c.number,
      fineCents: 2500,
      checkStatus: "NO_RECORD",
      overridden: false,
      evidence: [{ sha256: PLATE_JPG_SHA256 }],
    });
    const audit = await env.DB.prepare("SELECT actor, action FROM audit_log WHERE target = ?").bind(c.id).all();
    expect(audit.results).toEqual([{ actor: "key:key_demo_officer", action: "citation.issue" }]);
    const stored = await env.BLOBS.head(`tenants/demo/evidence/${c.evidence[0].id}`);
    expect(stored?.size).toBe(2245);
  });

  it("a given number is kept; the same number and body again answers 200 with the first citation, another body 409", async () => {
    const body = citationBody(zone, { number: newNumber(), evidence: [photo()] });
    const first = await issue(body);
    expect(first.number).toBe(body.number);
    await expectNothingWritten(async () => {
      const again = await post(body);
      expect(again.status).toBe(200);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect((await json(again)).id).toBe(first.id);
      const p = await expectProblem(await post({ ...body, violationCode: "PKG-002" }), 409);
      expect(p).toMatchObject({ citationId: first.id });
    });
  });

  it("two requests racing with one number: one citation, the other 409, and only the winner's photo stays in R2", async () => {
    const number = newNumber();
    const before = await writes();
    const responses = await Promise.all([
      post(citationBody(zone, { number, evidence: [photo()] })),
      post(citationBody(zone, { number, evidence: [photo()] })),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    const after = await writes();
    expect(after.citations - before.citations).toBe(1);
    expect(after.blobs - before.blobs).toBe(1);
  });
});

describe("the batch's own guards (what a race past the checks meets)", () => {
  /** A copy of an issued citation under a new id, ready to insert again. */
  async function copyOf(id: string) {
    const row = (await citationById(db(env.DB), "demo", id))!;
    return { ...row, id: `cit_${uniq(20)}` };
  }
  const batch = (citation: Awaited<ReturnType<typeof copyOf>>, violationId?: string) =>
    insertCitation(db(env.DB), {
      citation,
      evidence: [],
      reason: null,
      actor: "system:test",
      requestId: null,
      violationId,
      event: { tenantId: "demo", type: "citation.issued", subject: citation.id, data: {}, at: Date.now() },
      audits: [{ tenantId: "demo", actor: "system:test", action: "citation.issue", target: citation.id }],
    });

  it("a number already taken fails the whole batch and says so", async () => {
    const first = await issue(citationBody(zone));
    await expectNothingWritten(async () => expect(await batch(await copyOf(first.id))).toBe("number_taken"));
  });

  it("a violation already cited fails the whole batch and says so", async () => {
    const body = citationBody(zone);
    const now = Date.now();
    const violationId = `vio_${uniq(20)}`;
    await env.DB.prepare(
      "INSERT INTO violations (id, tenant_id, source, status, plate, zone, violation_type, observed_at, created_at, updated_at) VALUES (?, 'demo', 'native', 'pending', ?, ?, 'EXPIRED_METER', ?, ?, ?)",
    )
      .bind(violationId, body.plate, zone, now, now, now)
      .run();
    const first = await issue({ ...body, violationId });
    const second = { ...(await copyOf(first.id)), number: newNumber() };
    await expectNothingWritten(async () => expect(await batch(second, violationId)).toBe("violation_taken"));
  });
});

describe("bad input is refused and nothing is written", () => {
  const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0];
  const cases: [string, number, string, () => Record<string, unknown>][] = [
    ["not base64", 422, "evidence.0.base64Data", () => ({ evidence: [photo("not*base64")] })],
    ["base64url, not base64", 422, "evidence.0.base64Data", () => ({ evidence: [photo("_-8A")] })],
    ["an empty photo", 422, "evidence.0.base64Data", () => ({ evidence: [photo("")] })],
    ["a GIF", 415, "evidence.0.base64Data", () => ({ evidence: [photo(btoa("GIF89a\u0001\u0000\u0001\u0000"))] })],
    ["text sent as image/jpeg", 415, "evidence.0.base64Data", () => ({ evidence: [photo(btoa("hello, this is not a photo"))] })],
    [
      "a good photo, then a bad one (the first is not stored either)",
      415,
      "evidence.1.base64Data",
      () => ({ evidence: [photo(), photo(btoa("%PDF-1.7"))] }),
    ],
    [
      "an MP4 sent as a PHOTO",
      415,
      "evidence.0.base64Data",
      () => ({
        evidence: [photo(toBase64(new Uint8Array([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 0, 0])))],
      }),
    ],
    [
      "a photo one byte over the limit",
      413,
      "evidence.0.base64Data",
      () => {
        const big = new Uint8Array(MAX_EVIDENCE_BYTES + 1);
        big.set(JPEG_HEAD);
        return { evidence: [photo(toBase64(big))] };
      },
    ],
    ["an unknown zone", 422, "zone", () => ({ zone: "NOPE9" })],
    ["an unknown violation code", 422, "violationCode", () => ({ violationCode: "PKG-404" })],
    ["an issue time 10 minutes ahead", 422, "issuedAt", () => ({ issuedAt: new Date(Date.now() + 10 * 60_000).toISOString() })],
    ["an unknown violation", 422, "violationId", () => ({ violationId: `vio_${"A".repeat(20)}` })],
    ["no plate", 422, "plate", () => ({ plate: undefined })],
  ];

  it.each(cases)("%s -> %i naming %s", async (_label, status, path, extra) => {
    await expectNothingWritten(async () => {
      const p = await expectProblem(await post(citationBody(zone, { number: newNumber(), ...extra() })), status);
      expect(p.errors?.map((e) => e.path)).toEqual([path]);
    });
  });

  it("a retired violation code -> 422", async () => {
    const code = `TST-${uniq(4)}`;
    const put = await call(`/v1/violation-codes/${code}`, {
      key: ENFORCEMENT_ADMIN,
      method: "PUT",
      body: { name: "Retired", fineCents: 100, escalateAfterDays: null, active: false },
    });
    expect(put.status).toBe(201);
    await expectNothingWritten(async () => {
      const p = await expectProblem(await post(citationBody(zone, { violationCode: code })), 422);
      expect(p.detail).toContain("retired");
    });
  });

  it("JSON that does not parse -> 400", async () => {
    await expectProblem(await call("/v1/citations", { body: "{not json" }), 400);
  });

  it("when the D1 batch fails after the photos were put, the photos are deleted and nothing is left", async () => {
    const failingDb = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "batch") return () => Promise.reject(new Error("D1 is down"));
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    await expectNothingWritten(async () => {
      const run = issueCitation(
        { ...env, DB: failingDb } as typeof env,
        {
          tenantId: "demo",
          source: "native",
          number: newNumber(),
          request: {},
          plate: `F${uniq(6)}`,
          state: "CT",
          zone,
          violationCode: "PKG-001",
          description: null,
          issuedAtMs: Date.now(),
          officer: { id: null, name: null, badge: null },
          deviceId: null,
          location: { address: null, latitude: null, longitude: null },
          violationId: null,
          evidence: [
            { type: "PHOTO", base64Data: PLATE_JPG_BASE64 },
            { type: "PHOTO", base64Data: PLATE_JPG_BASE64 },
          ],
          overrideReason: null,
          fields: {
            issuedAt: "issuedAt",
            zone: "zone",
            violationCode: "violationCode",
            evidence: "evidence",
            override: "override.reason",
            violationId: "violationId",
          },
        },
        { actor: "system:test", requestId: null },
      );
      await expect(run).rejects.toThrow(/D1 is down/);
    });
  });
});

describe("a citation must be safe to issue: the plate check at the issue time", () => {
  const plates = () => `F${uniq(6)}`;
  const refusals: [string, (plate: string) => Promise<string>, string, boolean][] = [
    ["paid time running", async (plate) => (await sessionInZone(zone, plate, ago(10), 60), plate), "ACTIVE", false],
    ["in grace", async (plate) => (await sessionInZone(zone, plate, ago(62), 60), plate), "GRACE", false],
    ["permitted", async (plate) => (await issuePermit({ plate, zones: [zone] }), plate), "PERMITTED", false],
    [
      "matched only fuzzily (8 read as B)",
      async (plate) => {
        await sessionInZone(zone, `F8${plate.slice(2)}`, ago(10), 60);
        return `FB${plate.slice(2)}`;
      },
      "ACTIVE",
      true,
    ],
  ];

  it.each(refusals)("%s: 409 naming %s, then issued with override.reason, audited", async (_label, arrange, status, fuzzy) => {
    const plate = await arrange(plates());
    const body = citationBody(zone, { plate, number: newNumber(), evidence: [photo()] });
    await expectNothingWritten(async () => {
      const p = await expectProblem(await post(body), 409);
      expect(p).toMatchObject({
        checkStatus: status,
        matchType: fuzzy ? "fuzzy" : "exact",
        errors: [{ location: "body", path: "override.reason" }],
      });
      expect(p.detail).toContain(`is ${status}`);
      expect(p.detail).toContain("override.reason");
    });
    const reason = "Parked in front of a hydrant: no payment allows that";
    const c = await issue({ ...body, override: { reason } });
    expect(c.plateCheck).toEqual({ status, fuzzy, overrideReason: reason });
    expect(c.transitions[0]).toMatchObject({ action: "issue", reason });
    const audits = await env.DB.prepare("SELECT action, detail FROM audit_log WHERE target = ? ORDER BY action")
      .bind(c.id)
      .all<{ action: string; detail: string }>();
    expect(audits.results.map((a) => a.action)).toEqual(["citation.issue", "citation.override"]);
    expect(JSON.parse(audits.results[1]!.detail)).toMatchObject({ reason, checkStatus: fuzzy ? `${status}:fuzzy` : status });
  });

  it("an expired plate is cited without an override; an override nobody needed is not recorded", async () => {
    const plate = plates();
    await sessionInZone(zone, plate, ago(120), 60);
    const c = await issue(citationBody(zone, { plate, override: { reason: "just in case" } }));
    expect(c.plateCheck).toEqual({ status: "EXPIRED", fuzzy: false, overrideReason: null });
    const audits = await env.DB.prepare("SELECT action FROM audit_log WHERE target = ?").bind(c.id).all();
    expect(audits.results).toEqual([{ action: "citation.issue" }]);
  });

  it("the check is made at issuedAt, not now: a plate that was paid then is refused", async () => {
    const plate = plates();
    await sessionInZone(zone, plate, ago(90), 60); // paid from 90 to 30 minutes ago
    const p = await expectProblem(await post(citationBody(zone, { plate, issuedAt: new Date(ago(60)).toISOString() })), 409);
    expect(p).toMatchObject({ checkStatus: "ACTIVE" });
    expect((await issue(citationBody(zone, { plate }))).plateCheck.status).toBe("EXPIRED");
  });
});

describe("linking a recorded violation", () => {
  async function violation(plate: string, status = "pending") {
    const id = `vio_${uniq(20)}`;
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO violations (id, tenant_id, source, status, plate, zone, violation_type, observed_at, created_at, updated_at) VALUES (?, 'demo', 'native', ?, ?, ?, 'EXPIRED_METER', ?, ?, ?)",
    )
      .bind(id, status, plate, zone, now, now, now)
      .run();
    return id;
  }

  it("marks the violation issued and links it in the same batch; a second citation of it is 409", async () => {
    const body = citationBody(zone);
    const violationId = await violation(body.plate);
    const c = await issue({ ...body, violationId });
    expect(c.violationId).toBe(violationId);
    const row = await env.DB.prepare("SELECT status, citation_id FROM violations WHERE id = ?").bind(violationId).first();
    expect(row).toEqual({ status: "issued", citation_id: c.id });
    const event = await env.DB.prepare("SELECT type FROM domain_events WHERE subject = ?").bind(violationId).first();
    expect(event).toEqual({ type: "violation.issued" });
    await expectNothingWritten(async () => {
      const p = await expectProblem(await post({ ...body, violationId }), 409);
      expect(p).toMatchObject({ violationStatus: "issued", citationId: c.id });
    });
  });

  it("a violation of another plate is 422", async () => {
    const violationId = await violation("OTHER1");
    await expectNothingWritten(async () => {
      const p = await expectProblem(await post({ ...citationBody(zone), violationId }), 422);
      expect(p.errors?.map((e) => e.path)).toEqual(["violationId"]);
    });
  });
});

describe("security", () => {
  it("no key 401; no citations:write 403; a viewer key or token 403", async () => {
    const body = citationBody(zone);
    await expectProblem(await post(body, null), 401);
    await expectProblem(await post(body, NO_SCOPES), 403);
    await expectProblem(await post(body, VIEWER), 403);
    await expectProblem(await post(body, await signStaffJwt(env, { role: "viewer", sub: "usr_demo_viewer" })), 403);
  });

  it("an officer's staff token may issue", async () => {
    const token = await signStaffJwt(env, { role: "officer", sub: "usr_demo_officer_x" });
    const c = await issue(citationBody(zone), token);
    expect(c.officer.id).toBe("user:usr_demo_officer_x");
  });

  it("another tenant sees neither the demo zone nor its violation codes", async () => {
    await expectNothingWritten(async () => {
      const p = await expectProblem(await post(citationBody(zone), OTHER_ENFORCEMENT_ADMIN), 422);
      expect(p.errors?.map((e) => e.path)).toEqual(["zone"]);
    });
  });
});
