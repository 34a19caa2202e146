// Issue 9: a seeded, bounded fuzz of every operation in /openapi.json. No answer may be a 5xx, every
// error must be problem+json whose `status` is the HTTP status, with no stack trace; signed webhooks with
// odd ids and sizes must be answered 2xx or 4xx; and canaries sent afterwards must still be processed,
// which is what proves that no poisoned delivery blocked its inbox. FUZZ_SEED=<n> replays a run.
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../../src/auth/principal";
import { VENDORS } from "../../../src/vendors";
import { inboxFor } from "../../../src/webhooks/ingest";
import { casesFor, type Credentials } from "./cases";
import { breach, excerpt, send } from "./http";
import { fuzzSeed, rngFor } from "./random";
import { operationsOf } from "./schema";
import { CANARIES, bounded, idPerShard, waitFor } from "./canaries";
import { deliver, oddDeliveries, webhookVendors, type OddDelivery, type Vendor } from "./webhooks";
import {
  NO_SCOPES,
  OTHER_TENANT_ADMIN,
  addKey,
  call,
  createZone,
  flatZone,
  issuePermit,
  openSession,
  signStaffJwt,
} from "../fixtures";
import { SIM } from "../sync/fixtures";

const SEED = fuzzSeed();
const CASES_PER_OPERATION = 48;
/** Operations the sweep leaves alone, each with its reason. Keep this list tiny. */
const EXCLUDED: Record<string, string> = {};
const CANARY_BOUND_MS = 20_000;

const FUZZ_KEY = "cg_test_fuzz_every_scope";
// The simulator answers "no simulated provider" here before any fault another test file set, so a sync
// job the fuzz starts reaches neither a real vendor nor a simulated account someone else is counting.
const NOWHERE = { baseUrl: `${SIM}/fuzz-nowhere` };
const ZONE = "FUZZ-A";
const PLATE = "FUZZ123";

const doc = (await (await call("/openapi.json", { key: null })).json()) as any;
const operations = operationsOf(doc);
const vendors = await webhookVendors();
const fuzzed = new Set<string>();
const statuses = new Map<number, number>();
let credentials: Credentials;
let sessionId = "";
let permitId = "";
let zoneSerial = 0;

beforeAll(async () => {
  console.log(
    `fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays this run); ${operations.length} operations x ${CASES_PER_OPERATION} cases`,
  );
  await addKey(env, FUZZ_KEY, "demo", [...SCOPES], 1_000_000);
  await createZone(flatZone({ code: ZONE, maxStayMinutes: 600 }), FUZZ_KEY);
  await call("/v1/integrations/connections", {
    key: FUZZ_KEY,
    body: { provider: "stripe", credentials: { secretKey: "sk_test_fuzz" }, settings: NOWHERE },
  });
  sessionId = (await openSession({ plate: PLATE, zone: ZONE, minutes: 60 }, FUZZ_KEY)).id;
  permitId = (await issuePermit({ plate: "FUZZP1", zones: [ZONE] }, FUZZ_KEY)).id;
  const staff = await signStaffJwt(env);
  const forged = await signStaffJwt(env, { role: "platform_admin" }, { alg: "none" });
  credentials = {
    main: FUZZ_KEY,
    others: [
      ["no credential", null],
      ["other tenant's admin", `Bearer ${OTHER_TENANT_ADMIN}`],
      ["key without scopes", `Bearer ${NO_SCOPES}`],
      ["staff JWT (tenant admin)", `Bearer ${staff}`],
      ["unsigned JWT (alg none)", `Bearer ${forged}`],
    ],
  };
});

afterAll(() =>
  console.log(
    `fuzz answers by status: ${[...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}x${n}`)
      .join(" ")}`,
  ),
);

/** The fuzz's own zone, plate and records, and values that get a baseline past validation. */
function namedValues(path: string): Record<string, () => unknown> {
  const inTwoDays = () => new Date(Date.now() + 2 * 86_400_000).toISOString();
  // Connections are fuzzed on Paystack, so a mutation that drops `settings` never replaces the Stripe
  // connection the sync routes are fuzzed on (and its way to NOWHERE).
  const connecting: Record<string, () => unknown> =
    path === "/v1/integrations/connections"
      ? { provider: () => "paystack", credentials: () => ({ secretKey: "sk_test_fuzz" }) }
      : {};
  return {
    ...connecting,
    plate: () => PLATE,
    licensePlate: () => PLATE,
    zone: () => ZONE,
    zoneNumber: () => ZONE,
    zones: () => [ZONE],
    minutes: () => 30,
    code: path === "/v1/zones" ? () => `FZ${(zoneSerial++).toString(36)}` : () => ZONE,
    rateSlots: () => flatZone().rateSlots,
    enforcement: () => flatZone().enforcement,
    maxStayMinutes: () => 120,
    validUntil: inTwoDays,
    entity: () => "payments",
    template: () => "default",
    email: () => "admin@demo.test",
    password: () => "demo-admin-password",
    settings: () => NOWHERE,
    ...(path.startsWith("/v1/sessions/") && { id: () => sessionId }),
    ...(path.startsWith("/v1/permits/") && { id: () => permitId }),
  };
}

describe(`every operation in /openapi.json, ${CASES_PER_OPERATION} cases each (seed ${SEED})`, () => {
  for (const op of operations.filter((o) => !Object.hasOwn(EXCLUDED, o.key))) {
    it(`${op.method} ${op.path}`, async () => {
      fuzzed.add(op.key);
      const cases = casesFor(
        { doc, op, rng: rngFor(SEED, op.key), named: namedValues(op.path), credentials },
        CASES_PER_OPERATION,
      );
      expect(cases).toHaveLength(CASES_PER_OPERATION);
      const failures: string[] = [];
      for (const [i, c] of cases.entries()) {
        const res = await send(c);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const why = await breach(res);
        if (why)
          failures.push(
            `#${i} ${c.kind} [${c.credential}] ${c.method} ${c.url.slice(0, 160)} body ${excerpt(c.body)} -> ${why} (seed ${SEED})`,
          );
      }
      expect(failures, failures.join("\n")).toEqual([]);
    });
  }

  it("fuzzed exactly the operations the document lists", () => {
    const listed = new Set(operations.map((o) => o.key));
    for (const key of Object.keys(EXCLUDED)) expect(listed, `excluded ${key} is no longer in the document`).toContain(key);
    expect(Object.keys(EXCLUDED).length).toBeLessThanOrEqual(2);
    expect(new Set([...fuzzed, ...Object.keys(EXCLUDED)])).toEqual(listed);
    expect(listed.size).toBeGreaterThan(15); // the document itself did not shrink to nothing
  });
});

/** Deliveries the worker acknowledged with an event id: each must later leave `received`. */
const accepted: { provider: string; label: string; id: string }[] = [];

async function fuzzDeliveries(v: Vendor, cases: OddDelivery[]): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    const { path, res } = await deliver(v, c.body);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const text = await res.clone().text();
    const why =
      (await breach(res)) ??
      (c.expect !== undefined && res.status !== c.expect
        ? `expected ${c.expect}, got ${res.status}: ${text.slice(0, 120)}`
        : null);
    if (why) failures.push(`${v.provider} ${c.label}: POST ${path} body ${excerpt(c.body)} -> ${why}`);
    else if (res.status === 200 && typeof JSON.parse(text).id === "string")
      accepted.push({ provider: v.provider, label: c.label, id: JSON.parse(text).id });
  }
  return failures;
}

describe("signed webhooks with odd ids, types and sizes", () => {
  beforeAll(async () => {
    for (const v of vendors) {
      const res = await call("/v1/integrations/connections", {
        key: FUZZ_KEY,
        body: { provider: v.provider, credentials: v.credentials, settings: NOWHERE },
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`connect ${v.provider}: ${res.status} ${await res.text()}`);
    }
  });

  it("covers every provider that sends webhooks", () => {
    const senders = Object.values(VENDORS)
      .filter((p) => p.webhook)
      .map((p) => p.id);
    expect(vendors.map((v) => v.provider).sort()).toEqual(senders.sort());
  });

  for (const v of vendors) {
    it(`${v.provider}: every delivery is answered 2xx or 4xx problem+json`, async () => {
      const failures = await fuzzDeliveries(
        v,
        oddDeliveries(v).filter((c) => !c.loneSurrogate),
      );
      expect(failures, failures.join("\n")).toEqual([]);
    });
  }

  // Last, so that an inbox re-sending such an event over and over cannot slow the cases above; the
  // canaries still come after them. Bounded, because such an inbox can flood the runtime.
  it("every vendor: ids and types holding a lone UTF-16 surrogate are answered 2xx or 4xx problem+json", {
    timeout: 25_000,
  }, async () => {
    const unanswered = new Set(vendors.map((v) => v.provider));
    const runs = vendors.map(async (v) => {
      const failures = await fuzzDeliveries(
        v,
        oddDeliveries(v).filter((c) => c.loneSurrogate),
      );
      unanswered.delete(v.provider);
      return failures;
    });
    const failures = await bounded(
      15_000,
      Promise.all(runs).then((f) => f.flat()),
      () => [`no answers within 15 s for ${[...unanswered].join(", ")}`],
    );
    expect(failures, failures.join("\n")).toEqual([]);
  });
});

const api = async (path: string) =>
  (await send({ method: "GET", url: path, headers: { authorization: `Bearer ${FUZZ_KEY}` } })).json();

describe("after the fuzz", () => {
  it(`canaries in every inbox shard are processed within ${CANARY_BOUND_MS / 1000} s`, {
    timeout: CANARY_BOUND_MS + 10_000,
  }, async () => {
    const started = Date.now();
    const planned = CANARIES.flatMap((canary) =>
      idPerShard(canary.provider, canary.externalId).map((externalId) => ({ canary, externalId, id: "" })),
    );
    for (const canary of CANARIES)
      expect(planned.filter((p) => p.canary === canary).length, `${canary.provider} shards`).toBeGreaterThan(1);
    // Sent together, and bounded like the wait: a flooded runtime may not even acknowledge them.
    await waitFor(CANARY_BOUND_MS, planned, async () => {
      await Promise.all(
        planned
          .filter((p) => !p.id)
          .map(async (p) => {
            const { res } = await deliver(vendors.find((v) => v.provider === p.canary.provider)!, p.canary.body(p.externalId));
            const text = await res.text();
            expect(res.status, `${p.canary.provider} canary ${p.externalId}: ${text.slice(0, 200)}`).toBe(200);
            p.id = JSON.parse(text).id;
          }),
      );
      return planned.filter((p) => !p.id);
    });
    expect(
      planned.filter((p) => !p.id).map((p) => `${p.canary.provider} ${p.externalId}`),
      "canaries not acknowledged in time",
    ).toEqual([]);
    const status = async (id: string) => ((await api(`/v1/webhook-events/${id}`)) as { status: string }).status;
    const waiting = await waitFor(CANARY_BOUND_MS - (Date.now() - started), planned, async () => {
      const states = await Promise.all(planned.map((p) => status(p.id)));
      return planned.filter((_, i) => states[i] !== "processed");
    });
    expect(
      waiting.map((p) => `${p.canary.provider} ${p.externalId} (${p.id})`),
      `not processed within ${CANARY_BOUND_MS} ms (seed ${SEED})`,
    ).toEqual([]);
    const health = (await api("/v1/monitoring/webhooks")) as { byProvider: Record<string, Record<string, number>> };
    for (const canary of CANARIES)
      expect(health.byProvider[canary.provider]?.processed ?? 0, canary.provider).toBeGreaterThanOrEqual(
        planned.filter((p) => p.canary === canary).length,
      );
  });

  it("every delivery the fuzz got accepted has left `received`", { timeout: 15_000 }, async () => {
    expect(accepted.length).toBeGreaterThan(vendors.length); // the odd deliveries did reach the inboxes
    const waiting = await waitFor(5_000, accepted, async () => {
      const rows = await env.DB.prepare("SELECT id, status FROM webhook_events WHERE tenant_id = 'demo'").all<{
        id: string;
        status: string;
      }>();
      const status = new Map(rows.results.map((r) => [r.id, r.status]));
      return accepted.filter((a) => [undefined, "received", "processing"].includes(status.get(a.id)));
    });
    // A delivery listed here could not be queued, or waits behind one that cannot in the same inbox shard.
    expect(
      waiting.map((a) => `${a.provider} ${a.label} (${a.id})`),
      "accepted but never processed",
    ).toEqual([]);
  });

  it("every inbox shard has handed on everything it accepted", { timeout: 15_000 }, async () => {
    const shards = vendors.flatMap((v) =>
      idPerShard(v.provider, (s) => s).map((id) => ({ provider: v.provider, stub: inboxFor(env, "demo", v.provider, id) })),
    );
    const stuck = await waitFor(5_000, shards, async () => {
      const pending = await Promise.all(shards.map((s) => s.stub.pendingCount()));
      return shards.filter((_, i) => pending[i]! > 0);
    });
    expect(
      stuck.map((s) => `${s.provider} ${s.stub.id}`),
      "inbox shards still holding deliveries they cannot hand on",
    ).toEqual([]);
  });
});
