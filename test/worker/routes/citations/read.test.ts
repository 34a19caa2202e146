// GET /v1/citations/{id} and GET /v1/citations: the detail with its evidence and history, search filters,
// cursor paging, and tenancy.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../../../src/dev/seed";
import { call, expectProblem, json, NO_SCOPES, OFFICER, signStaffJwt, uniq } from "../../fixtures";
import {
  citationBody,
  ENFORCEMENT_ADMIN,
  enforcedZone,
  issue,
  OTHER_ENFORCEMENT_ADMIN,
  seedCitationKeys,
  VIEWER,
} from "./helpers";

const HOUR = 3_600_000;
let zone: string;
const made: any[] = [];
const list = async (query: string, key = OFFICER) => {
  const res = await call(`/v1/citations?zone=${zone}&${query}`, { key });
  expect(res.status).toBe(200);
  return json<{ data: any[]; nextCursor: string | null }>(res);
};
const numbers = (page: { data: any[] }) => page.data.map((c) => c.number);

beforeAll(async () => {
  await seedCitationKeys();
  zone = await enforcedZone();
  const now = Date.now();
  const specs = [
    {
      number: `RD-${uniq(5)}-A`,
      plate: `RDA${uniq(4)}`,
      violationCode: "PKG-001",
      officer: { id: "officer_1" },
      issuedAt: now - 5 * HOUR,
    },
    {
      number: `RD-${uniq(5)}-B`,
      plate: `RDB${uniq(4)}`,
      violationCode: "PKG-004",
      officer: { id: "officer_2" },
      issuedAt: now - 4 * HOUR,
    },
    {
      number: `RD-${uniq(5)}-C`,
      plate: `RDC${uniq(4)}`,
      violationCode: "PKG-001",
      officer: { id: "officer_1" },
      issuedAt: now - 3 * HOUR,
    },
    {
      number: `XX-${uniq(5)}-D`,
      plate: `RDD${uniq(4)}`,
      violationCode: "PKG-003",
      officer: { id: "officer_2" },
      issuedAt: now - 2 * HOUR,
    },
    {
      number: `XX-${uniq(5)}-E`,
      plate: `RDE${uniq(4)}`,
      violationCode: "PKG-001",
      officer: { id: "officer_3" },
      issuedAt: now - HOUR,
    },
  ];
  for (const s of specs) made.push(await issue({ ...citationBody(zone), ...s, issuedAt: new Date(s.issuedAt).toISOString() }));
  expect((await call(`/v1/citations/${made[1].id}/void`, { body: { reason: "wrong code" } })).status).toBe(200);
});

describe("GET /v1/citations/{id}", () => {
  it("answers the citation with its evidence and its history", async () => {
    const c = await json(await call(`/v1/citations/${made[1].id}`));
    expect(c).toMatchObject({
      id: made[1].id,
      status: "voided",
      violationCode: "PKG-004",
      fineCents: 10000,
      amountDueCents: 0,
      allowedActions: [],
    });
    expect(c.evidence).toEqual([]);
    expect(c.transitions.map((t: any) => t.action)).toEqual(["issue", "void"]);
  });

  it("a viewer reads (key and token); no key 401; no scope 403; another tenant's id 404", async () => {
    const path = `/v1/citations/${made[0].id}`;
    expect((await call(path, { key: VIEWER })).status).toBe(200);
    expect((await call(path, { key: await signStaffJwt(env, { role: "viewer", sub: "usr_demo_viewer" }) })).status).toBe(200);
    await expectProblem(await call(path, { key: null }), 401);
    await expectProblem(await call(path, { key: NO_SCOPES }), 403);
    await expectProblem(await call(path, { key: OTHER_ENFORCEMENT_ADMIN }), 404);
    await expectProblem(await call("/v1/citations/cit_notanid"), 404);
  });
});

describe("GET /v1/citations", () => {
  it("lists newest issue first", async () => {
    expect(numbers(await list(""))).toEqual(made.map((c) => c.number).reverse());
  });

  it("filters by status, plate, officer, violation code and issue time", async () => {
    expect(numbers(await list("status=voided"))).toEqual([made[1].number]);
    expect(numbers(await list(`plate=${made[2].plate.toLowerCase()}`))).toEqual([made[2].number]);
    expect(numbers(await list("officer=officer_1"))).toEqual([made[2].number, made[0].number]);
    expect(numbers(await list("violationCode=pkg-001&status=issued"))).toEqual([made[4].number, made[2].number, made[0].number]);
    const from = new Date(Date.parse(made[1].issuedAt)).toISOString();
    const to = new Date(Date.parse(made[3].issuedAt)).toISOString();
    expect(numbers(await list(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`))).toEqual([
      made[2].number,
      made[1].number,
    ]);
  });

  it("q matches the beginning of a number or of a plate (LIKE wildcards are literal)", async () => {
    expect(numbers(await list("q=XX-"))).toEqual([made[4].number, made[3].number]);
    expect(numbers(await list(`q=${made[0].number.slice(0, 8)}`))).toEqual([made[0].number]);
    expect(numbers(await list(`q=${made[3].plate.slice(0, 5).toLowerCase()}`))).toEqual([made[3].number]);
    expect(numbers(await list("q=%25"))).toEqual([]);
    expect(numbers(await list("q=XX_"))).toEqual([]);
  });

  it("pages with a cursor, each citation once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      seen.push(...numbers(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(made.map((c) => c.number).reverse());
  });

  it("a bad cursor or filter is 422", async () => {
    await expectProblem(await call("/v1/citations?cursor=nope"), 422);
    await expectProblem(await call("/v1/citations?status=lost"), 422);
  });

  it("another tenant's list holds none of these; no key 401; no scope 403", async () => {
    const other = await json(await call(`/v1/citations?zone=${zone}`, { key: OTHER_ENFORCEMENT_ADMIN }));
    expect(other.data).toEqual([]);
    await expectProblem(await call("/v1/citations", { key: null }), 401);
    await expectProblem(await call("/v1/citations", { key: NO_SCOPES }), 403);
    expect((await call(`/v1/citations?zone=${zone}`, { key: ENFORCEMENT_ADMIN })).status).toBe(200);
  });
});

describe("the demo city", () => {
  it("has a citation in every state, each with its photo and the history that led there; seeding again changes nothing", async () => {
    const page = await json<{ data: any[] }>(await call("/v1/citations?q=DEMO-2026-&limit=50"));
    const byStatus = new Map(page.data.map((c) => [c.status, c]));
    expect([...byStatus.keys()].sort()).toEqual(
      ["appealed", "dismissed", "escalated", "in_collections", "issued", "paid", "upheld", "voided"].sort(),
    );

    const collected = await json<any>(await call(`/v1/citations/${byStatus.get("in_collections").id}`));
    expect(collected.transitions.map((t: any) => `${t.action}:${t.from}->${t.to}`)).toEqual([
      "issue:null->issued",
      "escalate:issued->escalated",
      "collect:escalated->in_collections",
    ]);
    expect(collected.lateFeeCents).toBe(1500); // PKG-001's late fee, added once
    const [photo] = collected.evidence;
    const res = await call(photo.download);
    expect(res.status).toBe(200);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await res.arrayBuffer()));
    expect(Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")).toBe(photo.sha256);

    const voided = await json<any>(await call(`/v1/citations/${byStatus.get("voided").id}`));
    expect(voided.transitions.at(-1)).toMatchObject({
      action: "void",
      reason: expect.stringContaining("Permit"),
      actor: "system:demo",
    });

    const count = () =>
      env.DB.prepare(
        "SELECT (SELECT COUNT(*) FROM citations) + (SELECT COUNT(*) FROM citation_transitions) + (SELECT COUNT(*) FROM evidence) AS n",
      ).first();
    const before = await count();
    expect((await seedDemo(env)).citationsAdded).toBe(0);
    expect(await count()).toEqual(before);
  });
});
