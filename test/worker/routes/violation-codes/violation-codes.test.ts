// /v1/violation-codes: the city's fines and escalation, read by anyone who reads citations and changed by
// enforcement admins only; citations take their fine from it at the issue time.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem, json, NO_SCOPES, OFFICER, uniq } from "../../fixtures";
import {
  citationBody,
  ENFORCEMENT_ADMIN,
  enforcedZone,
  issue,
  OTHER_ENFORCEMENT_ADMIN,
  seedCitationKeys,
  VIEWER,
} from "../citations/helpers";

const put = (code: string, body: unknown, key: string | null = ENFORCEMENT_ADMIN) =>
  call(`/v1/violation-codes/${code}`, { key, body, method: "PUT" });
const codeBody = { name: "Blocking a crosswalk", fineCents: 6000, escalateAfterDays: 14, lateFeeCents: 2500 };

beforeAll(seedCitationKeys);

describe("reading the table", () => {
  it("lists the demo city's codes by code, PKG-001 as the guide's $25 expired meter", async () => {
    const { data } = await json(await call("/v1/violation-codes"));
    expect(data.map((c: any) => c.code)).toEqual([...data.map((c: any) => c.code)].sort());
    expect(data.find((c: any) => c.code === "PKG-001")).toEqual({
      code: "PKG-001",
      name: "Expired meter",
      fineCents: 2500,
      escalateAfterDays: 30,
      lateFeeCents: 1500,
      active: true,
      updatedAt: expect.any(String),
    });
  });

  it("a viewer reads it; no key 401; no scope 403; another tenant sees only its own codes", async () => {
    expect((await call("/v1/violation-codes", { key: VIEWER })).status).toBe(200);
    await expectProblem(await call("/v1/violation-codes", { key: null }), 401);
    await expectProblem(await call("/v1/violation-codes", { key: NO_SCOPES }), 403);
    const own = `OTH-${uniq(4)}`;
    expect((await put(own, codeBody, OTHER_ENFORCEMENT_ADMIN)).status).toBe(201);
    const other = await json(await call("/v1/violation-codes", { key: OTHER_ENFORCEMENT_ADMIN }));
    expect(other.data.map((c: any) => c.code)).toEqual([own]);
    const demo = await json(await call("/v1/violation-codes"));
    expect(demo.data.map((c: any) => c.code)).not.toContain(own);
  });
});

describe("changing the table", () => {
  it("creates (201), then changes (200), audited with before and after", async () => {
    const code = `tst-${uniq(4)}`;
    const created = await put(code, codeBody);
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ code: code.toUpperCase(), ...codeBody, active: true });
    const changed = await put(code, { ...codeBody, fineCents: 6500, escalateAfterDays: null, active: false });
    expect(changed.status).toBe(200);
    expect(await json(changed)).toMatchObject({ fineCents: 6500, escalateAfterDays: null, lateFeeCents: 2500, active: false });
    const retired = await json(await call("/v1/violation-codes?active=false"));
    expect(retired.data.map((c: any) => c.code)).toContain(code.toUpperCase());
    for (let i = 0; i < 40; i++) {
      const rows = await env.DB.prepare(
        "SELECT detail FROM audit_log WHERE action = 'violation_code.put' AND target = ? ORDER BY at",
      )
        .bind(code.toUpperCase())
        .all<{ detail: string }>();
      if (rows.results.length === 2) {
        expect(JSON.parse(rows.results[1]!.detail)).toMatchObject({ before: { fineCents: 6000 }, after: { fineCents: 6500 } });
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("the changes were not audited");
  });

  it("a new fine applies to citations issued after it; earlier citations keep theirs", async () => {
    const code = `FIN-${uniq(4)}`;
    await put(code, codeBody);
    const zone = await enforcedZone();
    const before = await issue(citationBody(zone, { violationCode: code }));
    await put(code, { ...codeBody, fineCents: 7000 });
    const after = await issue(citationBody(zone, { violationCode: code }));
    expect([before.fineCents, after.fineCents]).toEqual([6000, 7000]);
    expect((await json(await call(`/v1/citations/${before.id}`))).fineCents).toBe(6000);
  });

  it("refuses a bad body with 422 naming each field", async () => {
    const p = await expectProblem(await put("PKG-777", { name: "", fineCents: -1, escalateAfterDays: 0 }), 422);
    expect(p.errors?.map((e) => e.path).sort()).toEqual(["escalateAfterDays", "fineCents", "name"]);
    await expectProblem(await put("not a code!", codeBody), 404);
  });

  it("only enforcement admins change it: an officer, a viewer and no key are refused", async () => {
    await expectProblem(await put("PKG-001", { ...codeBody, fineCents: 1 }, OFFICER), 403);
    await expectProblem(await put("PKG-001", { ...codeBody, fineCents: 1 }, VIEWER), 403);
    await expectProblem(await put("PKG-001", { ...codeBody, fineCents: 1 }, null), 401);
    const { data } = await json(await call("/v1/violation-codes"));
    expect(data.find((c: any) => c.code === "PKG-001").fineCents).toBe(2500);
  });
});
