// The field mapping routes: happy, error and security cases for each, and a real IPS sync whose wire
// format follows the tenant's saved mapping. Each test that changes a mapping works in a tenant of its
// own; "rival" is a second tenant with every integrations scope, the attacker with the wrong tenant.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { connectorOf } from "../../../../src/vendors";
import { db } from "../../../../src/storage/db";
import { fieldMappings } from "../../../../src/storage/schema";
import { direct } from "../../direct";
import {
  INTEGRATIONS_READER,
  NO_SCOPES,
  OTHER_INTEGRATIONS_ADMIN,
  createZone,
  drainZone,
  expectProblem,
  flatZone,
  json,
  newPlate,
  openSession,
  seedIntegrationKeys,
} from "../../fixtures";
import { connectTo, creds, settled, sim, startSync, syncTenant } from "../../sync/fixtures";

type Tenant = { id: string; key: string };
type Mapping = {
  provider: string;
  entity: string;
  template: string | null;
  custom: boolean;
  mappings: { from: string; to: string; transform?: string }[];
  problems: unknown[];
  updatedAt: string | null;
};
let rival: Tenant;

const base = "/v1/integrations/ips/mappings";
const get = (key: string | null, path = base) => direct(path, { key });
const post = (path: string, key: string | null, body: unknown) => direct(path, { key, body });
const put = (key: string | null, body: unknown) => direct(base, { key, method: "PUT", body });
const ipsMapping = async (key: string) => (await json<{ data: Mapping[] }>(await get(key, `${base}?entity=sessions`))).data[0]!;
const auditRows = (tenantId: string, action: string) =>
  env.DB.prepare("SELECT actor, target, detail FROM audit_log WHERE tenant_id = ? AND action = ? ORDER BY at")
    .bind(tenantId, action)
    .all<{ actor: string; target: string; detail: string }>();

// The connector's default (test/unit/mapping checks it gives the documented IPS wire format).
const IPS_DEFAULT = connectorOf("ips")!.mappings!.sessions!.templates.default;
const without = (to: string, rows = IPS_DEFAULT) => rows.filter((m) => m.to !== to);
const lowerZone = [...without("zoneNumber"), { from: "zone", to: "zoneNumber", transform: "lowercase" }];

beforeAll(async () => {
  await seedIntegrationKeys(env);
  rival = await syncTenant("mrv");
});

describe("GET /v1/integrations/{provider}/fields", () => {
  it("lists Curbgate's fields and the provider's for each entity, the templates, and the transforms", async () => {
    const t = await syncTenant("mfl");
    const res = await get(t.key, "/v1/integrations/ips/fields");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.entities).toHaveLength(1);
    const sessions = body.entities[0];
    expect(sessions).toMatchObject({
      entity: "sessions",
      curbgateEntity: "session",
      direction: "outbound",
      templates: { default: IPS_DEFAULT },
    });
    expect(Object.keys(sessions.templates)).toEqual(["default", "no-state"]);
    expect(sessions.provider.find((f: any) => f.name === "licensePlate")).toEqual({
      name: "licensePlate",
      type: "string",
      required: true,
      description: "1-20 upper-case letters or digits",
      aliases: [],
    });
    expect(sessions.curbgate.find((f: any) => f.name === "startTime")).toMatchObject({
      type: "datetime",
      aliases: ["startAt", "start"],
    });
    expect(body.transforms.find((x: any) => x.name === "cents_to_dollars")).toEqual({
      name: "cents_to_dollars",
      accepts: ["money"],
      gives: "number",
      description: "Integer cents to a decimal amount: 475 → 4.75",
    });

    const stripe = await json(await get(t.key, "/v1/integrations/stripe/fields"));
    expect(stripe.entities[0]).toMatchObject({ entity: "payments", curbgateEntity: "payment", direction: "inbound" });
  });

  it("404 for a provider without an outbound connector, or not a provider id", async () => {
    const t = await syncTenant("mfe");
    await expectProblem(await get(t.key, "/v1/integrations/nosuch/fields"), 404);
    await expectProblem(await get(t.key, "/v1/integrations/NOT%20ONE/fields"), 404);
  });

  it("needs a credential with integrations:read; holds no tenant's data, so every tenant reads the same", async () => {
    await expectProblem(await get(null, "/v1/integrations/ips/fields"), 401);
    await expectProblem(await get(NO_SCOPES, "/v1/integrations/ips/fields"), 403);
    const mine = await (await get(INTEGRATIONS_READER, "/v1/integrations/ips/fields")).text();
    expect(await (await get(OTHER_INTEGRATIONS_ADMIN, "/v1/integrations/ips/fields")).text()).toBe(mine);
  });
});

describe("GET /v1/integrations/{provider}/mappings", () => {
  it("gives the default template until the tenant saves its own, then its own", async () => {
    const t = await syncTenant("mgt");
    const all = await json(await get(t.key));
    expect(all).toEqual({
      provider: "ips",
      data: [
        {
          provider: "ips",
          entity: "sessions",
          curbgateEntity: "session",
          direction: "outbound",
          template: "default",
          custom: false,
          mappings: IPS_DEFAULT,
          problems: [],
          updatedAt: null,
        },
      ],
    });
    expect((await put(t.key, { entity: "sessions", mappings: lowerZone })).status).toBe(200);
    expect(await ipsMapping(t.key)).toMatchObject({
      template: null,
      custom: true,
      mappings: lowerZone,
      problems: [],
      updatedAt: expect.any(String),
    });
  });

  it("422 for an entity the provider cannot map, 404 for an unknown provider", async () => {
    const t = await syncTenant("mge");
    const bad = await expectProblem(await get(t.key, `${base}?entity=permits`), 422);
    expect(bad.errors).toEqual([{ location: "query", path: "entity", message: "One of: sessions" }]);
    await expectProblem(await get(t.key, "/v1/integrations/nosuch/mappings"), 404);
  });

  it("another tenant never sees ours", async () => {
    const t = await syncTenant("mgs");
    await put(t.key, { entity: "sessions", mappings: lowerZone });
    for (const key of [rival.key, OTHER_INTEGRATIONS_ADMIN])
      expect(await ipsMapping(key)).toMatchObject({ custom: false, mappings: IPS_DEFAULT });
    await expectProblem(await get(null), 401);
    await expectProblem(await get(NO_SCOPES), 403);
  });
});

describe("PUT /v1/integrations/{provider}/mappings", () => {
  it("saves a valid mapping and audits it", async () => {
    const t = await syncTenant("mpt");
    const res = await put(t.key, { entity: "sessions", mappings: lowerZone });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      entity: "sessions",
      custom: true,
      template: null,
      mappings: lowerZone,
      problems: [],
    });
    const row = await env.DB.prepare(
      "SELECT mappings, template FROM field_mappings WHERE tenant_id = ? AND provider = 'ips' AND entity = 'sessions'",
    )
      .bind(t.id)
      .first<{ mappings: string; template: string | null }>();
    expect({ mappings: JSON.parse(row!.mappings), template: row!.template }).toEqual({ mappings: lowerZone, template: null });
    const audits = (await auditRows(t.id, "integration.mappings.update")).results;
    expect(audits.map((a) => [a.actor, a.target, JSON.parse(a.detail)])).toEqual([
      [`key:key_${t.key}`, "ips:sessions", { mappings: lowerZone }],
    ]);
  });

  it("reports every problem at its row and saves nothing", async () => {
    const t = await syncTenant("mpe");
    const res = await put(t.key, {
      entity: "sessions",
      mappings: [
        { from: "id", to: "id" },
        { from: "plates", to: "licensePlate" },
        { from: "zone", to: "zoneNo" },
        { from: "amountCents", to: "status" },
        { from: "startTime", to: "startTime", transform: "cents_to_dollars" },
        { from: "endTime", to: "endTime" },
        { from: "state", to: "id" },
      ],
    });
    const p = await expectProblem(res, 422);
    expect(p.errors).toEqual([
      { location: "body", path: "mappings.1.from", message: 'Curbgate session has no field "plates"' },
      { location: "body", path: "mappings.2.to", message: 'ips sessions has no field "zoneNo"' },
      { location: "body", path: "mappings.3.transform", message: "a money field cannot fill a string field without a transform" },
      { location: "body", path: "mappings.4.transform", message: "cents_to_dollars reads money, not datetime" },
      { location: "body", path: "mappings.6.to", message: '"id" is already filled by row 0' },
      { location: "body", path: "mappings", message: '"zoneNumber" is required by ips sessions and no row fills it' },
      { location: "body", path: "mappings", message: '"amountCents" is required by ips sessions and no row fills it' },
    ]);
    expect(await ipsMapping(t.key)).toMatchObject({ custom: false });
    expect((await auditRows(t.id, "integration.mappings.update")).results).toEqual([]);
  });

  it("422 for malformed rows and unknown entities, 404 for an unknown provider", async () => {
    const t = await syncTenant("mpm");
    const shout = await expectProblem(
      await put(t.key, {
        entity: "sessions",
        mappings: [...IPS_DEFAULT, { from: "zone", to: "zoneNumber", transform: "shout" }],
      }),
      422,
    );
    expect(shout.errors!.map((e) => e.path)).toEqual(["mappings.8.transform"]);
    expect((await expectProblem(await put(t.key, { entity: "sessions", mappings: [] }), 422)).errors![0]!.path).toBe("mappings");
    expect(
      (await expectProblem(await put(t.key, { entity: "sessions", mappings: [{ from: "a..b", to: "id" }] }), 422)).errors![0]!
        .path,
    ).toBe("mappings.0.from");
    expect((await expectProblem(await put(t.key, { entity: "violations", mappings: IPS_DEFAULT }), 422)).errors).toEqual([
      { location: "body", path: "entity", message: "One of: sessions" },
    ]);
    await expectProblem(
      await direct("/v1/integrations/nosuch/mappings", {
        key: t.key,
        method: "PUT",
        body: { entity: "sessions", mappings: IPS_DEFAULT },
      }),
      404,
    );
  });

  it("needs integrations:write; a tenant's PUT changes its own mapping only", async () => {
    const t = await syncTenant("mps");
    await expectProblem(await put(INTEGRATIONS_READER, { entity: "sessions", mappings: lowerZone }), 403);
    await expectProblem(await put(null, { entity: "sessions", mappings: lowerZone }), 401);
    expect((await put(rival.key, { entity: "sessions", mappings: without("state") })).status).toBe(200);
    expect((await put(OTHER_INTEGRATIONS_ADMIN, { entity: "sessions", mappings: lowerZone })).status).toBe(200);
    expect(await ipsMapping(t.key)).toMatchObject({ custom: false, mappings: IPS_DEFAULT });
    expect((await ipsMapping(rival.key)).mappings).toEqual(without("state"));
    for (const key of [rival.key, OTHER_INTEGRATIONS_ADMIN]) await post(`${base}/reset`, key, { entity: "sessions" });
  });
});

describe("POST /v1/integrations/{provider}/mappings/test", () => {
  const sample = {
    id: "ses_A1_1",
    zone: "A1",
    plate: "ABC123",
    state: "CT",
    status: "active",
    startTime: "2026-05-01T12:00:00Z",
    endTime: "2026-05-01T13:00:00Z",
    amountCents: 475,
  };

  it("maps a sample through the tenant's current mapping, or through the rows given", async () => {
    const t = await syncTenant("mtt");
    const current = await json(await post(`${base}/test`, t.key, { entity: "sessions", sample }));
    expect(current).toEqual({
      entity: "sessions",
      mappings: IPS_DEFAULT,
      errors: [],
      problems: [],
      ok: true,
      output: {
        id: "ses_A1_1",
        licensePlate: "ABC123",
        state: "CT",
        zoneNumber: "A1",
        startTime: "2026-05-01T12:00:00Z",
        endTime: "2026-05-01T13:00:00Z",
        amountCents: 475,
        status: "ACTIVE",
      },
    });
    await put(t.key, { entity: "sessions", mappings: lowerZone });
    expect((await json(await post(`${base}/test`, t.key, { entity: "sessions", sample }))).output.zoneNumber).toBe("a1");

    const inbound = await json(
      await post("/v1/integrations/stripe/mappings/test", t.key, {
        entity: "payments",
        sample: { id: "pi_1", amount: 800, amount_received: 800, currency: "usd", status: "succeeded", created: 1_767_225_600 },
      }),
    );
    expect(inbound).toMatchObject({
      ok: true,
      output: {
        transactionId: "pi_1",
        amountCents: 800,
        currency: "USD",
        status: "succeeded",
        createdAt: "2026-01-01T00:00:00.000Z",
      },
    });
  });

  it("reports rows the sample cannot fill and rows that would not pass PUT, without saving anything", async () => {
    const t = await syncTenant("mte");
    const res = await json(
      await post(`${base}/test`, t.key, {
        entity: "sessions",
        sample: { ...sample, plate: null, amountCents: "4.75" },
        mappings: [...without("amountCents"), { from: "amountCents", to: "amountCents", transform: "cents_to_dollars" }],
      }),
    );
    expect(res.ok).toBe(false);
    expect(res.errors).toEqual([
      { row: 1, from: "plate", to: "licensePlate", message: "licensePlate is required, but plate is null" },
      { row: 7, from: "amountCents", to: "amountCents", message: "cents_to_dollars: expected whole cents" },
    ]);
    expect(res.problems).toEqual([
      { row: 7, field: "transform", message: "cents_to_dollars gives number, but the target is money" },
    ]);
    expect(await ipsMapping(t.key)).toMatchObject({ custom: false });
    await expectProblem(await post(`${base}/test`, t.key, { entity: "sessions" }), 422);
    await expectProblem(await post("/v1/integrations/nosuch/mappings/test", t.key, { entity: "sessions", sample }), 404);
  });

  it("tests against the caller's own mapping only; needs a credential with integrations:read", async () => {
    const t = await syncTenant("mts");
    await put(t.key, { entity: "sessions", mappings: lowerZone });
    for (const key of [rival.key, OTHER_INTEGRATIONS_ADMIN])
      expect((await json(await post(`${base}/test`, key, { entity: "sessions", sample }))).output.zoneNumber).toBe("A1");
    expect((await post(`${base}/test`, INTEGRATIONS_READER, { entity: "sessions", sample })).status).toBe(200);
    await expectProblem(await post(`${base}/test`, NO_SCOPES, { entity: "sessions", sample }), 403);
    await expectProblem(await post(`${base}/test`, null, { entity: "sessions", sample }), 401);
  });
});

describe("POST /v1/integrations/{provider}/mappings/apply-template", () => {
  it("saves a copy of a named template and audits it", async () => {
    const t = await syncTenant("mat");
    const res = await json(await post(`${base}/apply-template`, t.key, { entity: "sessions", template: "no-state" }));
    expect(res).toMatchObject({ template: "no-state", custom: true, mappings: without("state"), problems: [] });
    expect(await ipsMapping(t.key)).toMatchObject({ template: "no-state", mappings: without("state") });
    expect((await auditRows(t.id, "integration.mappings.template")).results.map((a) => JSON.parse(a.detail))).toEqual([
      { template: "no-state" },
    ]);
  });

  it("422 naming the templates there are; 404 for an unknown provider", async () => {
    const t = await syncTenant("mae");
    const p = await expectProblem(await post(`${base}/apply-template`, t.key, { entity: "sessions", template: "fancy" }), 422);
    expect(p.errors).toEqual([{ location: "body", path: "template", message: "One of: default, no-state" }]);
    await expectProblem(await post(`${base}/apply-template`, t.key, { entity: "sessions", template: "__proto__" }), 422);
    await expectProblem(await post(`${base}/apply-template`, t.key, { entity: "sessions" }), 422);
    await expectProblem(
      await post("/v1/integrations/nosuch/mappings/apply-template", t.key, { entity: "sessions", template: "default" }),
      404,
    );
  });

  it("needs integrations:write and changes the caller's tenant only", async () => {
    const t = await syncTenant("mas");
    await expectProblem(
      await post(`${base}/apply-template`, INTEGRATIONS_READER, { entity: "sessions", template: "no-state" }),
      403,
    );
    await expectProblem(await post(`${base}/apply-template`, null, { entity: "sessions", template: "no-state" }), 401);
    expect(
      (await post(`${base}/apply-template`, OTHER_INTEGRATIONS_ADMIN, { entity: "sessions", template: "no-state" })).status,
    ).toBe(200);
    expect(await ipsMapping(t.key)).toMatchObject({ custom: false, mappings: IPS_DEFAULT });
    await post(`${base}/reset`, OTHER_INTEGRATIONS_ADMIN, { entity: "sessions" });
  });
});

describe("POST /v1/integrations/{provider}/mappings/reset", () => {
  it("forgets the saved mapping: the default applies again", async () => {
    const t = await syncTenant("mrt");
    await put(t.key, { entity: "sessions", mappings: lowerZone });
    const res = await json(await post(`${base}/reset`, t.key, { entity: "sessions" }));
    expect(res).toMatchObject({ template: "default", custom: false, mappings: IPS_DEFAULT, updatedAt: null });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM field_mappings WHERE tenant_id = ?").bind(t.id).first("n")).toBe(0);
    expect((await auditRows(t.id, "integration.mappings.reset")).results.map((a) => JSON.parse(a.detail))).toEqual([
      { removed: true },
    ]);
    expect((await post(`${base}/reset`, t.key, { entity: "sessions" })).status).toBe(200); // nothing saved: still fine
  });

  it("422 for an unknown entity, 404 for an unknown provider", async () => {
    const t = await syncTenant("mre");
    await expectProblem(await post(`${base}/reset`, t.key, { entity: "nope" }), 422);
    await expectProblem(await post(`${base}/reset`, t.key, {}), 422);
    await expectProblem(await post("/v1/integrations/nosuch/mappings/reset", t.key, { entity: "sessions" }), 404);
  });

  it("needs integrations:write; another tenant's reset leaves ours", async () => {
    const t = await syncTenant("mrs");
    await put(t.key, { entity: "sessions", mappings: lowerZone });
    await expectProblem(await post(`${base}/reset`, INTEGRATIONS_READER, { entity: "sessions" }), 403);
    await expectProblem(await post(`${base}/reset`, null, { entity: "sessions" }), 401);
    for (const key of [rival.key, OTHER_INTEGRATIONS_ADMIN])
      expect((await post(`${base}/reset`, key, { entity: "sessions" })).status).toBe(200);
    expect(await ipsMapping(t.key)).toMatchObject({ custom: true, mappings: lowerZone });
  });
});

describe("POST /v1/integrations/{provider}/mappings/heal", () => {
  // A mapping saved against fields that have since been renamed or removed.
  const stale = [
    { from: "id", to: "id" },
    { from: "plate", to: "licencePlate" },
    { from: "state", to: "state" },
    { from: "zone", to: "zone_number" },
    { from: "startAt", to: "startTime" },
    { from: "endTime", to: "endTime" },
    { from: "amountCents", to: "amountCents" },
    { from: "meterId", to: "meter" },
  ];
  const saveStale = (tenantId: string) =>
    db(env.DB)
      .insert(fieldMappings)
      .values({ tenantId, provider: "ips", entity: "sessions", mappings: stale, template: "default", updatedAt: 1 });

  it("repairs renamed fields, drops what it cannot, restores required ones, says why, and saves", async () => {
    const t = await syncTenant("mht");
    await saveStale(t.id);
    const before = await ipsMapping(t.key);
    expect(before.problems.length).toBe(8);

    const dry = await json(await post(`${base}/heal`, t.key, { entity: "sessions", dryRun: true }));
    expect(dry.saved).toBe(false);
    expect((await ipsMapping(t.key)).mappings).toEqual(stale);

    const res = await json(await post(`${base}/heal`, t.key, { entity: "sessions" }));
    expect(res.changes).toEqual([
      {
        row: 1,
        before: stale[1],
        after: { from: "plate", to: "licensePlate" },
        reason: '"licencePlate" is closest to "licensePlate" (92% alike)',
      },
      {
        row: 3,
        before: stale[3],
        after: { from: "zone", to: "zoneNumber" },
        reason: '"zone_number" matches "zoneNumber" when case and separators are ignored',
      },
      {
        row: 4,
        before: stale[4],
        after: { from: "startTime", to: "startTime" },
        reason: '"startAt" is now "startTime" (declared as its former name)',
      },
      {
        row: 7,
        before: stale[7],
        after: null,
        reason:
          '"meterId" is gone from Curbgate session and no field declares or resembles it; "meter" is gone from ips sessions and no field declares or resembles it',
      },
      {
        row: null,
        before: null,
        after: { from: "status", to: "status", transform: "uppercase" },
        reason: '"status" is required by ips sessions; restored from the default template',
      },
    ]);
    expect(res.changes).toEqual(dry.changes);
    expect(res.saved).toBe(true);
    expect(res.mapping).toMatchObject({ template: null, custom: true, problems: [] });
    expect(new Set((await ipsMapping(t.key)).mappings.map((m) => JSON.stringify(m)))).toEqual(
      new Set(IPS_DEFAULT.map((m) => JSON.stringify(m))),
    );
    expect((await auditRows(t.id, "integration.mappings.heal")).results.map((a) => JSON.parse(a.detail).changes.length)).toEqual([
      5,
    ]);

    const again = await json(await post(`${base}/heal`, t.key, { entity: "sessions" }));
    expect(again).toMatchObject({ changes: [], saved: false });
    expect((await auditRows(t.id, "integration.mappings.heal")).results.length).toBe(1);
  });

  it("422 for an unknown entity or a non-boolean dryRun, 404 for an unknown provider", async () => {
    const t = await syncTenant("mhe");
    await expectProblem(await post(`${base}/heal`, t.key, { entity: "nope" }), 422);
    expect(
      (await expectProblem(await post(`${base}/heal`, t.key, { entity: "sessions", dryRun: "yes" }), 422)).errors![0]!.path,
    ).toBe("dryRun");
    await expectProblem(await post("/v1/integrations/nosuch/mappings/heal", t.key, { entity: "sessions" }), 404);
  });

  it("needs integrations:write; heals the caller's tenant only", async () => {
    const t = await syncTenant("mhs");
    await saveStale(t.id);
    await expectProblem(await post(`${base}/heal`, INTEGRATIONS_READER, { entity: "sessions" }), 403);
    await expectProblem(await post(`${base}/heal`, null, { entity: "sessions" }), 401);
    for (const key of [rival.key, OTHER_INTEGRATIONS_ADMIN])
      expect(await json(await post(`${base}/heal`, key, { entity: "sessions" }))).toMatchObject({ changes: [], saved: false });
    expect((await ipsMapping(t.key)).mappings).toEqual(stale);
  });
});

describe("a real sync follows the saved mapping", () => {
  /** A tenant connected to IPS with one live session (in D1, so a push sends it). */
  async function ipsTenantWithSession(prefix: string, state?: string) {
    const t = await syncTenant(prefix);
    const c = creds.ips();
    await connectTo(t.key, "ips", c);
    const zone = await createZone(flatZone(), t.key);
    const session = await openSession({ plate: newPlate(), state, zone: zone.code, minutes: 60 }, t.key);
    await drainZone(env, zone.code, t.id);
    return { t, c, zone, session };
  }
  const push = async (key: string) =>
    settled(key, "ips", (await startSync(key, "ips", { entity: "sessions", direction: "push" })).id);

  it("changes what IPS receives, and the default comes back after a reset", async () => {
    const { t, c, zone, session } = await ipsTenantWithSession("msy", "CT");
    const held = async () =>
      (await sim(`/ips/smartcity/v2/sessions`, { headers: { authorization: `ApiKey ${c.apiKey}` } })).body.data.find(
        (s: any) => s.id === session.id,
      );

    await put(t.key, { entity: "sessions", mappings: without("state", lowerZone) });
    expect(await push(t.key)).toMatchObject({ status: "succeeded" });
    expect(await held()).toMatchObject({ zoneNumber: zone.code.toLowerCase(), state: null, licensePlate: session.plate });

    await post(`${base}/reset`, t.key, { entity: "sessions" });
    expect(await push(t.key)).toMatchObject({ status: "succeeded" });
    expect(await held()).toMatchObject({ zoneNumber: zone.code, state: "CT", licensePlate: session.plate });
  });

  it("a mapping a record cannot satisfy fails the job at once, naming the row, and sends nothing", async () => {
    const { t, session } = await ipsTenantWithSession("msf"); // no issuing state
    await put(t.key, { entity: "sessions", mappings: [...without("licensePlate"), { from: "state", to: "licensePlate" }] });
    const job = await push(t.key);
    expect(job).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: `field mapping failed for 1 value(s): record ${session.id} row 7 (state → licensePlate): licensePlate is required, but state is null`,
    });
    const calls = await env.DB.prepare("SELECT COUNT(*) AS n FROM integration_calls WHERE tenant_id = ?").bind(t.id).first("n");
    expect(calls).toBe(0);
  });
});
