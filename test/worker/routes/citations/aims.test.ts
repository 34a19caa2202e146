// POST /api/aims/citations: the Stamford guide's AIMS citation body (docs/sources.md), accepted as written.
// The verbatim fixture's photo is the guide's truncated base64; the photo fixture is the same body with a
// real JPEG (test/fixtures/enforcement/README.md).
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import seedBody from "../../../fixtures/enforcement/aims-citation.json";
import photoBody from "../../../fixtures/enforcement/aims-citation-photo.json";
import { call, expectProblem, json, NO_SCOPES, OFFICER, signStaffJwt } from "../../fixtures";
import {
  enforcedZone,
  expectNothingWritten,
  hex,
  newNumber,
  OTHER_ENFORCEMENT_ADMIN,
  PLATE_JPG_SHA256,
  seedCitationKeys,
  VIEWER,
  writes,
} from "./helpers";

const aims = (body: unknown, key: string | null = OFFICER) => call("/api/aims/citations", { key, body });
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

beforeAll(seedCitationKeys);

describe("the guide's body, verbatim", () => {
  it("is accepted in shape; its truncated photo ('…' is not base64) is refused with 422 naming the field, and nothing is written", async () => {
    await expectNothingWritten(async () => {
      const p = await expectProblem(await aims(seedBody), 422);
      expect(p.errors).toEqual([{ location: "body", path: "evidence.0.base64Data", message: expect.stringContaining("base64") }]);
    });
  });

  it("without the '…', the guide's text is 18 bytes with a PNG signature: kept as image/png by its bytes, as sent, with the claim noted", async () => {
    const body = clone(seedBody);
    body.citationNumber = newNumber();
    body.evidence[0]!.base64Data = "iVBORw0KGgoAAAANSUhEUgAA";
    const res = await aims(body);
    expect(res.status).toBe(201);
    const out = await json(res);
    const bytes = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAA"), (c) => c.charCodeAt(0));
    expect(out.evidence).toEqual([
      {
        evidenceId: expect.stringMatching(/^evd_/),
        type: "PHOTO",
        mimeType: "image/png",
        declaredMimeType: "image/jpeg",
        bytes: 18,
        sha256: await hex(bytes),
      },
    ]);
    expect(out.notes).toContain(`Evidence ${out.evidence[0].evidenceId} was sent as image/jpeg; its bytes are image/png`);
  });

  it("with a real photo, issues the citation: the city's fine, the plate check at the guide's timestamp, the photo's SHA-256", async () => {
    const res = await aims(photoBody);
    expect(res.status).toBe(201);
    const out = await json(res);
    expect(out).toEqual({
      citationNumber: "AIMS-2024-000123",
      citationId: expect.stringMatching(/^cit_[A-Za-z0-9]{20}$/),
      status: "ISSUED",
      issuedAt: "2024-01-01T12:15:00.000Z",
      licensePlate: "XYZ789",
      state: "CT",
      zoneNumber: "A1",
      violation: { code: "PKG-001", description: "Expired Meter", fineAmount: 25 },
      fineAmount: 25,
      amountDue: 25,
      // 07:15 in Stamford on a Monday: before A1's enforcement hours. Not a refusal (docs/enforcement.md).
      plateCheck: { status: "NOT_ENFORCED", fuzzy: false, overridden: false },
      evidence: [
        {
          evidenceId: expect.stringMatching(/^evd_/),
          type: "PHOTO",
          mimeType: "image/jpeg",
          declaredMimeType: "image/jpeg",
          bytes: 2245,
          sha256: PLATE_JPG_SHA256,
        },
      ],
      notes: [],
    });
    const row = await env.DB.prepare(
      "SELECT source, officer_id, officer_name, officer_badge, address, latitude, fine_cents FROM citations WHERE number = ?",
    )
      .bind("AIMS-2024-000123")
      .first();
    expect(row).toEqual({
      source: "aims",
      officer_id: "officer_123",
      officer_name: "Officer Smith",
      officer_badge: "PS-456",
      address: "123 Main Street",
      latitude: 41.0534,
      fine_cents: 2500,
    });
  });

  it("the same citationNumber and body again answers 200 with the first citation, writing nothing", async () => {
    const first = await (await call(`/v1/citations?q=AIMS-2024-000123`)).json<any>();
    await expectNothingWritten(async () => {
      const res = await aims(photoBody);
      expect(res.status).toBe(200);
      expect(res.headers.get("idempotent-replayed")).toBe("true");
      const out = await json(res);
      expect(out.citationId).toBe(first.data[0].id);
      expect(out.notes).toContain("A retry: this is the citation first issued with this number");
    });
  });

  it("the same citationNumber with another body answers 409, writing nothing", async () => {
    const other = clone(photoBody);
    other.licensePlate = "XYZ788";
    await expectNothingWritten(async () => {
      const p = await expectProblem(await aims(other), 409);
      expect(p.detail).toContain("AIMS-2024-000123");
    });
  });
});

describe("tenancy", () => {
  it("numbers are unique per tenant: another city files AIMS-2024-000123 as its own citation, at its own fine", async () => {
    const demo = await (await call("/v1/citations?q=AIMS-2024-000123")).json<any>();
    await expectProblem(await aims(photoBody, OTHER_ENFORCEMENT_ADMIN), 422); // no PKG-001 in that city yet
    const put = await call("/v1/violation-codes/PKG-001", {
      key: OTHER_ENFORCEMENT_ADMIN,
      method: "PUT",
      body: { name: "Expired meter", fineCents: 3000, escalateAfterDays: null },
    });
    expect(put.status).toBe(201);
    const res = await aims(photoBody, OTHER_ENFORCEMENT_ADMIN);
    expect(res.status).toBe(201);
    const out = await json(res);
    expect(out.citationId).not.toBe(demo.data[0].id);
    expect(out.fineAmount).toBe(30);
    expect(out.plateCheck.status).toBe("NO_RECORD"); // the other city's A1 is enforced at all hours
    const mine = await json(await call(`/v1/citations/${demo.data[0].id}`));
    expect(mine.fineCents).toBe(2500);
    await expectProblem(await call(`/v1/citations/${out.citationId}`), 404);
  });
});

describe("the fine is the city's", () => {
  it("a fineAmount that differs from the code's fine is noted, and the code's fine is charged", async () => {
    const body = clone(photoBody);
    body.citationNumber = newNumber();
    body.violation.fineAmount = 30;
    const out = await json(await aims(body));
    expect(out.fineAmount).toBe(25);
    expect(out.notes).toEqual(["The fine is the city's PKG-001 fine (25.00); the device sent 30.00"]);
  });

  it("an unknown violation code or zone is a 422 naming the guide's field, writing nothing", async () => {
    for (const [mutate, path] of [
      [(b: typeof photoBody) => (b.violation.code = "PKG-404"), "violation.code"],
      [(b: typeof photoBody) => (b.location.zoneNumber = "NOPE1"), "location.zoneNumber"],
    ] as const) {
      const body = clone(photoBody);
      body.citationNumber = newNumber();
      mutate(body);
      await expectNothingWritten(async () => {
        const p = await expectProblem(await aims(body), 422);
        expect(p.errors?.map((e) => e.path)).toEqual([path]);
      });
    }
  });

  it("a timestamp more than 5 minutes ahead is a 422 on `timestamp`", async () => {
    const body = clone(photoBody);
    body.citationNumber = newNumber();
    body.timestamp = new Date(Date.now() + 10 * 60_000).toISOString();
    const p = await expectProblem(await aims(body), 422);
    expect(p.errors?.map((e) => e.path)).toEqual(["timestamp"]);
  });
});

describe("safe issuing through the AIMS route", () => {
  it("a paid plate is refused with 409 naming the status; `override.reason` issues it, audited", async () => {
    const zone = await enforcedZone();
    const res = await call("/v1/sessions", { key: "cg_demo_app", body: { plate: "AIMS55", zone, minutes: 60 } });
    expect(res.status).toBe(201);
    const body = {
      ...clone(photoBody),
      citationNumber: newNumber(),
      licensePlate: "AIMS55",
      timestamp: new Date().toISOString(),
    };
    body.location.zoneNumber = zone;
    const p = await expectProblem(await aims(body), 409);
    expect(p).toMatchObject({ checkStatus: "ACTIVE", errors: [{ path: "override.reason" }] });
    const out = await json(await aims({ ...body, override: { reason: "Parked across a driveway" } }));
    expect(out.plateCheck).toEqual({ status: "ACTIVE", fuzzy: false, overridden: true });
  });
});

describe("body size and security", () => {
  it("a body over 16 MiB is a 413 problem; the lookup route keeps 64 KiB", async () => {
    const before = await writes();
    const body = { ...clone(photoBody), citationNumber: newNumber(), pad: "x".repeat(16 * 1024 * 1024) };
    const p = await expectProblem(await aims(body), 413);
    expect(p.detail).toBe(`Bodies are limited to ${16 * 1024 * 1024} bytes`);
    expect(await writes()).toEqual(before);
  });

  it("no key 401, a key without citations:write 403, a viewer's token 403", async () => {
    await expectProblem(await aims(photoBody, null), 401);
    await expectProblem(await aims(photoBody, NO_SCOPES), 403);
    await expectProblem(await aims(photoBody, VIEWER), 403);
    await expectProblem(await aims(photoBody, await signStaffJwt(env, { role: "viewer", sub: "usr_demo_viewer" })), 403);
  });
});
