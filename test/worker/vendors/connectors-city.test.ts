// The city's vendors against the provider simulator, through the real route, queue consumer, gate and
// call log: AIMS citations (client-credentials token, then one POST per citation), Parkeon meter
// configuration from the zones' rules, the GTCS daily reconciliation from recorded payments, Duncan
// collections placements. Then what each vendor's refusals, throttling and outages do to a job.
import { describe, expect, it } from "vitest";
import type { ConnectorContext } from "../../../src/sync/contract";
import { ALL_DAYS, WEEKDAYS, call, createZone, flatZone, localInstant } from "../fixtures";
import { connectTo, settled, sim, startSync, syncTenant } from "../sync/fixtures";
import {
  callRows,
  citation,
  connectionTestAndSecrets,
  contextFor,
  keyedOnce,
  recordedPayment,
  refusalTests,
  vendorCreds,
} from "./sync-vendors";

const TZ = "America/New_York"; // syncTenant's time zone

async function aimsToken(c: { clientId: string; clientSecret: string }): Promise<string> {
  const res = await sim("/aims/v1/oauth/token", {
    method: "POST",
    body: "grant_type=client_credentials",
    headers: {
      authorization: `Basic ${btoa(`${c.clientId}:${c.clientSecret}`)}`,
      "content-type": "application/x-www-form-urlencoded",
    },
  });
  return res.body.access_token;
}

describe("AIMS citations", () => {
  it("gets a token, then pushes each citation in the Stamford guide's shape, fine in dollars", async () => {
    const t = await syncTenant("aim");
    const c = vendorCreds.aims();
    await connectTo(t.key, "aims", c);
    const a = await citation(t.id, { fineCents: 2550 });
    const b = await citation(t.id, { plate: "ABC123", officerId: null, latitude: null, longitude: null });
    const job = await settled(
      t.key,
      "aims",
      (await startSync(t.key, "aims", { entity: "citations", direction: "push", params: { citationIds: [a.id, b.id] } })).id,
    );
    expect(job).toMatchObject({ status: "succeeded", result: { records: 2, detail: { created: 2, alreadyOnFile: [] } } });
    expect((await callRows(t.id)).results).toEqual([
      { method: "POST", path: "/v1/oauth/token", status: 200, idempotency_key: null },
      { method: "POST", path: "/v1/citations", status: 201, idempotency_key: `${job.id}:citation:${a.citationNumber}` },
      { method: "POST", path: "/v1/citations", status: 201, idempotency_key: `${job.id}:citation:${b.citationNumber}` },
    ]);
    const held = await sim(`/aims/v1/citations/${a.citationNumber}`, {
      headers: { authorization: `Bearer ${await aimsToken(c)}` },
    });
    expect(held.body).toMatchObject({
      id: job.result.detail.ids[0],
      citationNumber: a.citationNumber,
      licensePlate: "XYZ789",
      state: "CT",
      violation: { code: "PKG-001", description: "Expired Meter", fineAmount: 25.5 },
      location: { zoneNumber: "A1", address: "123 Main Street", latitude: 41.0534, longitude: -73.5387 },
      officer: { id: "officer_123", badge: "PS-456" },
      timestamp: "2026-05-01T12:15:00.000Z",
    });
    const bHeld = (
      await sim(`/aims/v1/citations/${b.citationNumber}`, { headers: { authorization: `Bearer ${await aimsToken(c)}` } })
    ).body;
    expect(bHeld.licensePlate).toBe("ABC123");
    expect(bHeld.officer?.id).toBeUndefined(); // no officer on the record: none sent

    // A later job with a citation AIMS already holds counts it as done.
    const again = await settled(
      t.key,
      "aims",
      (await startSync(t.key, "aims", { entity: "citations", direction: "push", params: { citationIds: [a.id] } })).id,
    );
    expect(again).toMatchObject({
      status: "succeeded",
      result: { records: 1, detail: { created: 0, alreadyOnFile: [a.citationNumber] } },
    });
  });

  it("fetches a new token once when AIMS stops honouring the one it gave", async () => {
    const t = await syncTenant("aik");
    await connectTo(t.key, "aims", vendorCreds.aims());
    const { connector, ctx: base } = await contextFor(t.id, "aims", "job_aimsTokenRevoked0001");
    let revoked = false;
    const ctx: ConnectorContext = {
      ...base,
      async call(req) {
        // AIMS forgets every token just before the first citation arrives (no other test file uses AIMS).
        if (req.path === "/v1/citations" && !revoked) {
          revoked = true;
          await sim("/_control/reset?provider=aims", { method: "POST" });
        }
        return base.call(req);
      },
    };
    const result = await connector.entities.citations!.run(ctx, {
      id: "job_aimsTokenRevoked0001",
      entity: "citations",
      direction: "push",
      since: null,
      params: { citationIds: [(await citation(t.id)).id] },
    });
    expect(result.detail).toMatchObject({ created: 1 });
    expect((await callRows(t.id)).results.map((r) => [r.path, r.status])).toEqual([
      ["/v1/oauth/token", 200],
      ["/v1/citations", 401],
      ["/v1/oauth/token", 200],
      ["/v1/citations", 201],
    ]);
  });

  it("without ids, pushes what was created since the job's since, but not what AIMS itself issued", async () => {
    const t = await syncTenant("ais");
    await connectTo(t.key, "aims", vendorCreds.aims());
    const old = await citation(t.id, { createdAt: Date.now() - 3_600_000 });
    const fresh = await citation(t.id);
    const fromAims = await citation(t.id, { source: "aims" });
    const since = new Date(Date.now() - 60_000).toISOString();
    const job = await settled(
      t.key,
      "aims",
      (await startSync(t.key, "aims", { entity: "citations", direction: "push", since })).id,
    );
    expect(job).toMatchObject({ status: "succeeded", result: { records: 1 } });
    const sent = (await callRows(t.id)).results.filter((r) => r.path === "/v1/citations").map((r) => r.idempotency_key);
    expect(sent).toEqual([`${job.id}:citation:${fresh.number}`]);
    expect(sent.join()).not.toContain(old.number);
    expect(sent.join()).not.toContain(fromAims.number);
  });

  it("a job whose citation ids are wrong fails at once, naming the problem, without calling AIMS", async () => {
    const t = await syncTenant("aib");
    await connectTo(t.key, "aims", vendorCreds.aims());
    const twice = (await citation(t.id)).id;
    for (const [citationIds, error] of [
      [[twice, twice], "invalid params: citationIds: a citation id appears twice"],
      [["nope"], "invalid params: citationIds[0]: a citation id (cit_…)"],
      [[], "invalid params: citationIds: Too small: expected array to have >=1 items"],
    ] as const) {
      const job = await settled(
        t.key,
        "aims",
        (await startSync(t.key, "aims", { entity: "citations", direction: "push", params: { citationIds } })).id,
      );
      expect(job).toMatchObject({ status: "failed", attempts: 1, lastError: error });
    }
    expect((await callRows(t.id)).results).toEqual([]);
  });
});

describe("Parkeon meter configuration", () => {
  it("sends each zone's rules to every meter in it: slots in dollars, maximum stay, grace, enforcement threshold", async () => {
    const t = await syncTenant("pkn");
    const c = vendorCreds.parkeon();
    await connectTo(t.key, "parkeon", c, { violationCode: "STF-12" });
    const flat = await createZone(flatZone(), t.key);
    const split = await createZone(
      flatZone({
        rateSlots: [
          { days: WEEKDAYS, start: "08:00", end: "18:00", rateCentsPerHour: 300 },
          { days: ["SAT", "SUN"], start: "08:00", end: "18:00", rateCentsPerHour: 125 },
        ],
        enforcement: [{ days: ALL_DAYS, start: "08:00", end: "18:00" }],
        graceMinutes: 10,
        maxStayMinutes: 240,
      }),
      t.key,
    );
    const job = await settled(t.key, "parkeon", (await startSync(t.key, "parkeon", { entity: "meters", direction: "push" })).id);
    expect(job).toMatchObject({ status: "succeeded", result: { records: 6, detail: { zones: 2, meters: 6, skipped: [] } } });
    expect(Object.values(job.result.detail.configVersions)).toEqual([1, 1, 1, 1, 1, 1]);
    const auth = { authorization: `Bearer ${c.apiKey}` };
    expect((await sim(`/parkeon/v2/meter-config/METER-${flat.code}-001`, { headers: auth })).body).toMatchObject({
      configVersion: 1,
      rates: [{ timeSlot: "00:00-24:00", rate: 2.4, maxDuration: 120, gracePeriod: 5, days: [...ALL_DAYS] }],
      enforcement: { enabled: true, alertThreshold: 300, violationCode: "STF-12" },
    });
    expect((await sim(`/parkeon/v2/meter-config/METER-${split.code}-003`, { headers: auth })).body).toMatchObject({
      rates: [
        { timeSlot: "08:00-18:00", rate: 3, maxDuration: 240, gracePeriod: 10, days: [...WEEKDAYS] },
        { timeSlot: "08:00-18:00", rate: 1.25, maxDuration: 240, gracePeriod: 10, days: ["SAT", "SUN"] },
      ],
      enforcement: { enabled: true, alertThreshold: 600 },
    });
    const puts = (await callRows(t.id)).results.filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(6);
    expect(puts.every((r) => r.idempotency_key!.startsWith(`${job.id}:meter:METER-`))).toBe(true);

    // A change to one zone, pushed for that zone only, reaches only its meters.
    expect(
      (
        await call(`/v1/zones/${flat.code}`, {
          key: t.key,
          method: "PUT",
          body: {
            ...flat,
            code: undefined,
            rateSlots: [{ days: ALL_DAYS, start: "00:00", end: "24:00", rateCentsPerHour: 275 }],
          },
        })
      ).status,
    ).toBe(200);
    const only = await settled(
      t.key,
      "parkeon",
      (await startSync(t.key, "parkeon", { entity: "meters", direction: "push", params: { zones: [flat.code.toLowerCase()] } }))
        .id,
    );
    expect(only.result).toMatchObject({ records: 3, detail: { zones: 1, configVersions: { [`METER-${flat.code}-002`]: 2 } } });
    expect((await sim(`/parkeon/v2/meter-config/METER-${flat.code}-002`, { headers: auth })).body.rates[0].rate).toBe(2.75);
    expect((await sim(`/parkeon/v2/meter-config/METER-${split.code}-002`, { headers: auth })).body.configVersion).toBe(1);
  });

  it("a job naming a zone the tenant does not have fails at once", async () => {
    const t = await syncTenant("pkb");
    await connectTo(t.key, "parkeon", vendorCreds.parkeon());
    const job = await settled(
      t.key,
      "parkeon",
      (await startSync(t.key, "parkeon", { entity: "meters", direction: "push", params: { zones: ["A1"] } })).id,
    );
    expect(job).toMatchObject({ status: "failed", lastError: "invalid params: no such zone: A1" }); // the demo tenant's A1 is not this tenant's
    expect((await callRows(t.id)).results).toEqual([]);
  });
});

describe("GTCS daily reconciliation", () => {
  it("reports one local day (23 hours on the spring-forward Sunday) with totals that add up to the cent", async () => {
    const t = await syncTenant("gtc");
    const c = vendorCreds.gtcs();
    await connectTo(t.key, "gtcs", c);
    const at = (ymd: string, hhmm: string) => localInstant(TZ, ymd, hhmm);
    const first = await recordedPayment(t.id, { amountCents: 475, feeCents: 25, at: at("2026-03-08", "00:30") });
    const second = await recordedPayment(t.id, {
      amountCents: 1000,
      feeCents: 50,
      at: at("2026-03-08", "23:30"),
      refundCents: 250,
      refundAt: at("2026-03-08", "23:45"),
    });
    await recordedPayment(t.id, { amountCents: 999, feeCents: 0, at: at("2026-03-07", "23:59") }); // the day before
    await recordedPayment(t.id, { amountCents: 999, feeCents: 0, at: at("2026-03-09", "00:00") }); // the day after
    await recordedPayment(t.id, { amountCents: 700, feeCents: 0, at: at("2026-03-08", "12:00"), currency: "EUR" });
    const job = await settled(
      t.key,
      "gtcs",
      (await startSync(t.key, "gtcs", { entity: "reconciliation", direction: "push", params: { date: "2026-03-08" } })).id,
    );
    expect(job).toMatchObject({
      status: "succeeded",
      result: {
        records: 3,
        detail: {
          date: "2026-03-08",
          currency: "USD",
          version: 1,
          totalCents: 1225,
          feeCents: 75,
          netCents: 1150,
          otherCurrencies: 1,
        },
      },
    });
    const held = await sim(`/gtcs/api/gtcs/reconciliation?from=${new Date(at("2026-03-08", "00:00")).toISOString()}`, {
      headers: { authorization: `Bearer ${c.apiKey}` },
    });
    expect(held.body).toMatchObject({
      reconciliationId: job.result.detail.reconciliationId,
      reportPeriod: { from: "2026-03-08T05:00:00.000Z", to: "2026-03-09T03:59:59.999Z" },
      transactions: [
        {
          transactionId: first,
          amount: 4.75,
          type: "PARKING_PAYMENT",
          paymentMethod: "CREDIT_CARD",
          accountingCode: "4100-PARKING-REVENUE",
        },
        { transactionId: second, amount: 10, type: "PARKING_PAYMENT" },
        { transactionId: expect.stringMatching(/^teller:ref_/), amount: -2.5, type: "REFUND" },
      ],
      summary: { totalRevenue: 12.25, totalTransactions: 3, processingFees: 0.75, netRevenue: 11.5 },
    });

    // A corrected day (a late payment) is sent again and replaces the report.
    await recordedPayment(t.id, { amountCents: 200, feeCents: 10, at: at("2026-03-08", "15:00") });
    const corrected = await settled(
      t.key,
      "gtcs",
      (await startSync(t.key, "gtcs", { entity: "reconciliation", direction: "push", params: { date: "2026-03-08" } })).id,
    );
    expect(corrected.result).toMatchObject({
      records: 4,
      detail: { reconciliationId: job.result.detail.reconciliationId, version: 2, totalCents: 1425 },
    });
  });

  it("reports yesterday by default, and an empty day as an empty report", async () => {
    const t = await syncTenant("gty");
    await connectTo(t.key, "gtcs", vendorCreds.gtcs());
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(
      new Date(),
    );
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const job = await settled(
      t.key,
      "gtcs",
      (await startSync(t.key, "gtcs", { entity: "reconciliation", direction: "push" })).id,
    );
    expect(job).toMatchObject({
      status: "succeeded",
      result: { records: 0, detail: { date: yesterday, totalCents: 0, feeCents: 0, netCents: 0 } },
    });
    const bad = await settled(
      t.key,
      "gtcs",
      (await startSync(t.key, "gtcs", { entity: "reconciliation", direction: "push", params: { date: "2026-02-30" } })).id,
    );
    expect(bad).toMatchObject({ status: "failed", lastError: "invalid params: date is not a calendar date" });
  });

  it("never reports another tenant's payments", async () => {
    const mine = await syncTenant("gtm");
    const theirs = await syncTenant("gtt");
    await connectTo(mine.key, "gtcs", vendorCreds.gtcs());
    await recordedPayment(theirs.id, { amountCents: 5000, feeCents: 100, at: localInstant(TZ, "2026-04-02", "10:00") });
    const job = await settled(
      mine.key,
      "gtcs",
      (await startSync(mine.key, "gtcs", { entity: "reconciliation", direction: "push", params: { date: "2026-04-02" } })).id,
    );
    expect(job.result).toMatchObject({ records: 0, detail: { totalCents: 0 } });
  });
});

describe("Duncan Solutions collections", () => {
  it("places each unpaid citation once, with what the driver owes now", async () => {
    const t = await syncTenant("dun");
    const c = vendorCreds.duncan();
    await connectTo(t.key, "duncan", c);
    const handed = { status: "in_collections" as const, escalatedAt: Date.now() - 1000, collectionsAt: Date.now() };
    const late = await citation(t.id, { ...handed, lateFeeCents: 1500 });
    const plain = await citation(t.id, handed);
    const job = await settled(
      t.key,
      "duncan",
      (await startSync(t.key, "duncan", { entity: "citations", direction: "push", params: { citationIds: [late.id, plain.id] } }))
        .id,
    );
    expect(job).toMatchObject({ status: "succeeded", result: { records: 2, detail: { placed: 2, alreadyPlaced: [] } } });
    await keyedOnce("duncan", job.id, 2);
    const held = await sim(`/duncan/v1/collections/placements/${late.citationNumber}`, {
      headers: { authorization: `Bearer ${c.apiKey}` },
    });
    expect(job.result.detail.placementIds).toContain(held.body.placementId);
    expect(held.body).toMatchObject({
      licensePlate: "XYZ789",
      amountDueCents: 4000,
      balanceCents: 4000,
      currency: "USD",
      noticesSent: 0,
      zoneNumber: "A1",
      status: "PLACED",
    });
    const again = await settled(
      t.key,
      "duncan",
      (await startSync(t.key, "duncan", { entity: "citations", direction: "push", params: { citationIds: [plain.id] } })).id,
    );
    expect(again.result).toMatchObject({ detail: { placed: 0, alreadyPlaced: [plain.citationNumber] } });
    // Only citations handed to collections are placed; one still merely issued is named as skipped.
    const notHanded = await citation(t.id);
    const skipped = await settled(
      t.key,
      "duncan",
      (await startSync(t.key, "duncan", { entity: "citations", direction: "push", params: { citationIds: [notHanded.id] } })).id,
    );
    expect(skipped).toMatchObject({
      status: "succeeded",
      result: { records: 0, detail: { placed: 0, skipped: [notHanded.id] } },
    });
  });
});

connectionTestAndSecrets(
  [
    ["aims", { environment: "sandbox" }],
    ["parkeon", { environment: "sandbox" }],
    ["gtcs", { status: "ok", environment: "sandbox" }],
    ["duncan", { environment: "sandbox", placements: 0 }],
  ],
  async (t) => {
    await settled(
      t.key,
      "aims",
      (
        await startSync(t.key, "aims", {
          entity: "citations",
          direction: "push",
          params: { citationIds: [(await citation(t.id)).id] },
        })
      ).id,
    );
  },
);

refusalTests([
  {
    provider: "aims",
    entity: "citations",
    direction: "push",
    params: async (t) => ({ citationIds: [(await citation(t.id)).id, (await citation(t.id)).id] }),
    appliedOnce: (_c, job) => keyedOnce("aims", job.id, 2),
  },
  {
    provider: "parkeon",
    entity: "meters",
    direction: "push",
    params: async (t) => ({ zones: [(await createZone(flatZone(), t.key)).code] }),
    appliedOnce: (_c, job) => keyedOnce("parkeon", job.id, 3),
  },
  {
    provider: "gtcs",
    entity: "reconciliation",
    direction: "push",
    params: async (t) => {
      await recordedPayment(t.id, {
        amountCents: 300 + Math.floor(Math.random() * 100),
        feeCents: 15,
        at: localInstant(TZ, "2026-04-15", "09:00"),
      });
      return { date: "2026-04-15" };
    },
    appliedOnce: (_c, job) => keyedOnce("gtcs", job.id, 1),
  },
  {
    provider: "duncan",
    entity: "citations",
    direction: "push",
    params: async (t) => ({
      citationIds: [(await citation(t.id, { status: "in_collections", escalatedAt: Date.now(), collectionsAt: Date.now() })).id],
    }),
    appliedOnce: (_c, job) => keyedOnce("duncan", job.id, 1),
  },
]);
