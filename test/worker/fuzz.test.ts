// Issue 9: a seeded, bounded fuzz of every operation in /openapi.json. No answer may be a 5xx, and every
// error must be problem+json whose `status` is the HTTP status, with no stack trace. FUZZ_SEED=<n>
// replays a run.
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPES } from "../../src/auth/principal";
import { casesFor, type Credentials } from "./fuzz-cases";
import { breach, excerpt, send } from "./fuzz-http";
import { fuzzSeed, rngFor } from "./fuzz-random";
import { operationsOf } from "./fuzz-schema";
import { NO_SCOPES, OTHER_TENANT_ADMIN, addKey, call, createZone, flatZone, issuePermit, openSession, signStaffJwt } from "./fixtures";
import { SIM } from "./sync-fixtures";

const SEED = fuzzSeed();
const CASES_PER_OPERATION = 48;
/** Operations the sweep leaves alone, each with its reason. Keep this list tiny. */
const EXCLUDED: Record<string, string> = {};

const FUZZ_KEY = "cg_test_fuzz_every_scope";
// The simulator answers "no simulated provider" here before any fault another test file set, so a sync
// job the fuzz starts reaches neither a real vendor nor a simulated account someone else is counting.
const NOWHERE = { baseUrl: `${SIM}/fuzz-nowhere` };
const ZONE = "FUZZ-A";
const PLATE = "FUZZ123";

const doc = (await (await call("/openapi.json", { key: null })).json()) as any;
const operations = operationsOf(doc);
const fuzzed = new Set<string>();
const statuses = new Map<number, number>();
let credentials: Credentials;
let sessionId = "";
let permitId = "";
let zoneSerial = 0;

beforeAll(async () => {
  console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays this run); ${operations.length} operations x ${CASES_PER_OPERATION} cases`);
  await addKey(env, FUZZ_KEY, "demo", [...SCOPES], 1_000_000);
  await createZone(flatZone({ code: ZONE, maxStayMinutes: 600 }), FUZZ_KEY);
  await call("/v1/integrations/connections", { key: FUZZ_KEY, body: { provider: "stripe", credentials: { secretKey: "sk_test_fuzz" }, settings: NOWHERE } });
  sessionId = (await openSession({ plate: PLATE, zone: ZONE, minutes: 60 }, FUZZ_KEY)).id;
  permitId = (await issuePermit({ plate: "FUZZP1", zones: [ZONE] }, FUZZ_KEY)).id;
  const staff = await signStaffJwt(env);
  const forged = await signStaffJwt(env, { role: "platform_admin" }, { alg: "none" });
  credentials = {
    main: FUZZ_KEY,
    others: [["no credential", null], ["other tenant's admin", `Bearer ${OTHER_TENANT_ADMIN}`], ["key without scopes", `Bearer ${NO_SCOPES}`],
      ["staff JWT (tenant admin)", `Bearer ${staff}`], ["unsigned JWT (alg none)", `Bearer ${forged}`]],
  };
});

afterAll(() => console.log(`fuzz answers by status: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}x${n}`).join(" ")}`));

/** The fuzz's own zone, plate and records, and values that get a baseline past validation. */
function namedValues(path: string): Record<string, () => unknown> {
  const inTwoDays = () => new Date(Date.now() + 2 * 86_400_000).toISOString();
  // Connections are fuzzed on Paystack, so a mutation that drops `settings` never replaces the Stripe
  // connection the sync routes are fuzzed on (and its way to NOWHERE).
  const connecting: Record<string, () => unknown> =
    path === "/v1/integrations/connections" ? { provider: () => "paystack", credentials: () => ({ secretKey: "sk_test_fuzz" }) } : {};
  return {
    ...connecting,
    plate: () => PLATE, licensePlate: () => PLATE, zone: () => ZONE, zoneNumber: () => ZONE, zones: () => [ZONE], minutes: () => 30,
    code: path === "/v1/zones" ? () => `FZ${(zoneSerial++).toString(36)}` : () => ZONE,
    rateSlots: () => flatZone().rateSlots, enforcement: () => flatZone().enforcement, maxStayMinutes: () => 120, validUntil: inTwoDays,
    entity: () => "payments", template: () => "default", email: () => "admin@demo.test", password: () => "demo-admin-password",
    settings: () => NOWHERE,
    ...(path.startsWith("/v1/sessions/") && { id: () => sessionId }),
    ...(path.startsWith("/v1/permits/") && { id: () => permitId }),
  };
}

describe(`every operation in /openapi.json, ${CASES_PER_OPERATION} cases each (seed ${SEED})`, () => {
  for (const op of operations.filter((o) => !Object.hasOwn(EXCLUDED, o.key))) {
    it(`${op.method} ${op.path}`, async () => {
      fuzzed.add(op.key);
      const cases = casesFor({ doc, op, rng: rngFor(SEED, op.key), named: namedValues(op.path), credentials }, CASES_PER_OPERATION);
      expect(cases).toHaveLength(CASES_PER_OPERATION);
      const failures: string[] = [];
      for (const [i, c] of cases.entries()) {
        const res = await send(c);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const why = await breach(res);
        if (why) failures.push(`#${i} ${c.kind} [${c.credential}] ${c.method} ${c.url.slice(0, 160)} body ${excerpt(c.body)} -> ${why} (seed ${SEED})`);
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
