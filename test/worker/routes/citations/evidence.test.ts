// Evidence out: a real JPEG goes up as base64 and comes back byte for byte, with its SHA-256, through the
// authorised route and through a signed link; links that are tampered with, expired, or for another
// tenant's file are refused.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { evidenceSignature } from "../../../../src/auth/evidence-urls";
import { call, expectProblem, json, NO_SCOPES, OFFICER } from "../../fixtures";
import {
  citationBody,
  enforcedZone,
  hex,
  issue,
  OTHER_ENFORCEMENT_ADMIN,
  PLATE_JPG,
  PLATE_JPG_BASE64,
  PLATE_JPG_SHA256,
  seedCitationKeys,
  VIEWER,
} from "./helpers";

let citation: { id: string; evidence: { id: string }[] };
let evidenceId: string;
const downloadPath = () => `/v1/citations/${citation.id}/evidence/${evidenceId}`;
const linkFor = async (key = OFFICER) => {
  const res = await call(`${downloadPath()}/url`, { key, method: "POST" });
  expect(res.status).toBe(200);
  return json<{ url: string; expiresAt: string }>(res);
};
/** The link as a path and query on the test host, fetched with no credential. */
const open = (url: string) => {
  const u = new URL(url);
  return call(`${u.pathname}${u.search}`, { key: null });
};

async function expectPlateJpg(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/jpeg");
  expect(res.headers.get("content-length")).toBe("2245");
  expect(res.headers.get("x-content-sha256")).toBe(PLATE_JPG_SHA256);
  expect(res.headers.get("cache-control")).toBe("private, no-store");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(bytes).toEqual(PLATE_JPG);
  expect(await hex(bytes)).toBe(PLATE_JPG_SHA256);
}

beforeAll(async () => {
  await seedCitationKeys();
  const zone = await enforcedZone();
  citation = await issue(
    citationBody(zone, { evidence: [{ type: "PHOTO", base64Data: PLATE_JPG_BASE64, mimeType: "image/jpeg" }] }),
  );
  evidenceId = citation.evidence[0]!.id;
});

describe("the authorised download", () => {
  it("gives back the same bytes, typed by their magic number, with the SHA-256 recorded at upload", async () => {
    await expectPlateJpg(await call(downloadPath()));
  });

  it("a viewer may download (citations:read)", async () => {
    await expectPlateJpg(await call(downloadPath(), { key: VIEWER }));
  });

  it("is audited after the response", async () => {
    await call(downloadPath());
    for (let i = 0; i < 40; i++) {
      const row = await env.DB.prepare("SELECT actor FROM audit_log WHERE action = 'citation.evidence.download' AND target = ?")
        .bind(citation.id)
        .first();
      if (row) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("no audit entry for the download");
  });

  it("no key 401, no scope 403, another tenant 404 (for the file and for a link to it)", async () => {
    await expectProblem(await call(downloadPath(), { key: null }), 401);
    await expectProblem(await call(downloadPath(), { key: NO_SCOPES }), 403);
    await expectProblem(await call(downloadPath(), { key: OTHER_ENFORCEMENT_ADMIN }), 404);
    await expectProblem(await call(`${downloadPath()}/url`, { key: OTHER_ENFORCEMENT_ADMIN, method: "POST" }), 404);
  });

  it("a file asked for under another citation is 404", async () => {
    const zone = await enforcedZone();
    const other = await issue(citationBody(zone));
    await expectProblem(await call(`/v1/citations/${other.id}/evidence/${evidenceId}`), 404);
  });
});

describe("the signed link", () => {
  it("works without a credential for 5 minutes and gives back the same bytes", async () => {
    const link = await linkFor();
    const expiresIn = Date.parse(link.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(4 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);
    expect(new URL(link.url).pathname).toBe(`/api/evidence/demo/${evidenceId}`);
    await expectPlateJpg(await open(link.url));
  });

  it("a viewer may get a link", async () => {
    await expectPlateJpg(await open((await linkFor(VIEWER)).url));
  });

  it("refuses a changed signature, expiry, file or tenant with 403", async () => {
    const u = new URL((await linkFor()).url);
    const signature = u.searchParams.get("signature")!;
    const expires = u.searchParams.get("expires")!;
    const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
    const variants = [
      `/api/evidence/demo/${evidenceId}?expires=${expires}&signature=${flipped}`,
      `/api/evidence/demo/${evidenceId}?expires=${Number(expires) + 3600}&signature=${signature}`,
      `/api/evidence/demo/evd_${"A".repeat(20)}?expires=${expires}&signature=${signature}`,
      `/api/evidence/other/${evidenceId}?expires=${expires}&signature=${signature}`,
      `/api/evidence/demo/${evidenceId}?expires=${expires}`,
      `/api/evidence/demo/${evidenceId}?signature=${signature}`,
      `/api/evidence/demo/${evidenceId}?expires=soon&signature=${signature}`,
    ];
    for (const path of variants) {
      const p = await expectProblem(await call(path, { key: null }), 403);
      expect(p.detail, path).toBe("This link is not valid");
    }
  });

  it("refuses an expired link with 403, even with a good signature", async () => {
    const expires = Math.floor(Date.now() / 1000) - 1;
    const signature = await evidenceSignature(env.JWT_SECRET!, { tenantId: "demo", evidenceId, expires });
    const p = await expectProblem(
      await call(`/api/evidence/demo/${evidenceId}?expires=${expires}&signature=${signature}`, { key: null }),
      403,
    );
    expect(p.detail).toContain("expired");
  });

  it("is not signed with JWT_SECRET itself: a MAC under the raw secret is refused", async () => {
    const expires = Math.floor(Date.now() / 1000) + 60;
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(env.JWT_SECRET!),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(
      await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`demo\n${evidenceId}\n${expires}`)),
    );
    const signature = btoa(String.fromCharCode(...mac))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    await expectProblem(
      await call(`/api/evidence/demo/${evidenceId}?expires=${expires}&signature=${signature}`, { key: null }),
      403,
    );
  });

  it("a link to another tenant's file cannot be made from this one: the other tenant's id in the path fails the signature", async () => {
    const u = new URL((await linkFor()).url);
    u.pathname = u.pathname.replace("/demo/", "/other/");
    await expectProblem(await open(u.toString()), 403);
  });
});
