// IPS's enforcement webhooks end to end, signed and delivered through the worker's webhook route and
// queue consumer: violation.created and violation.updated create or update the same record as
// POST /api/ips/violations (evidence copied or kept with the reason), and enforcement.start_shift and
// end_shift record the officers' shifts staff read at GET /v1/officers/shifts.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  addKey,
  call,
  createZone,
  expectProblem,
  flatZone,
  json,
  NO_SCOPES,
  newPlate,
  OFFICER,
  PLATFORM_ADMIN,
  seedIntegrationKeys,
  signStaffJwt,
  uniq,
} from "../fixtures";
import { PLATE_JPG, photo, report, serveWeb, sha256Hex } from "../routes/violations/reports";
import * as d from "../webhooks/deliveries";
import { citation } from "./sync-vendors";

const SECRET = `ips_wh_${uniq(20)}`;
const OTHER_VIOLATIONS = "cg_test_other_violations_reader";
const MIN = 60_000;

type EventRow = { id: string; status: string; effect: string | null; last_error: string | null };
type Shift = {
  id: string;
  officerId: string;
  officerName: string | null;
  deviceId: string | null;
  zones: string[] | null;
  source: string;
  startedAt: string;
  endedAt: string | null;
  onShift: boolean;
};

/** Delivers one signed IPS event and waits until the consumer has finished with it (processed, or failed once). */
async function deliver(type: string, data: Record<string, unknown>, timestamp = new Date().toISOString()) {
  const body = JSON.stringify({ id: `evt_${uniq(16)}`, type, timestamp, data });
  const headers = await d.signParkingVendor("IPS")(SECRET, body, "");
  const res = await call("/v1/webhooks/demo/ips", { key: null, body, headers });
  if (res.status !== 200) throw new Error(`delivery: ${res.status} ${await res.text()}`);
  const { id } = await json<{ id: string }>(res);
  for (let i = 0; i < 800; i++) {
    const row = await env.DB.prepare("SELECT id, status, effect, last_error FROM webhook_events WHERE id = ?")
      .bind(id)
      .first<EventRow>();
    if (row && ["processed", "unhandled", "failed"].includes(row.status))
      return { ...row, effect: row.effect === null ? null : JSON.parse(row.effect) };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`event ${id} not settled`);
}

const violationOf = async (id: string) => json(await call(`/v1/violations/${id}`));
const eventTypes = async (id: string) =>
  (
    await env.DB.prepare("SELECT type FROM domain_events WHERE subject = ? ORDER BY at").bind(id).all<{ type: string }>()
  ).results.map((r) => r.type);
const shifts = async (query: string, key: string = OFFICER) => {
  const res = await call(`/v1/officers/shifts?${query}`, { key });
  if (res.status !== 200) throw new Error(`shifts: ${res.status} ${await res.text()}`);
  return json<{ data: Shift[]; nextCursor: string | null }>(res);
};

let zone: string;
beforeAll(async () => {
  await seedIntegrationKeys(env);
  await addKey(env, OTHER_VIOLATIONS, "other", ["violations:read"]);
  const res = await call("/v1/integrations/connections", {
    key: PLATFORM_ADMIN,
    body: { provider: "ips", credentials: { apiKey: `ips_${uniq(20)}`, secretKey: `ips_sk_${uniq(20)}`, webhookSecret: SECRET } },
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`connect: ${res.status} ${await res.text()}`);
  zone = (await createZone(flatZone({ name: "Test IPS Webhook Street" }))).code;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("violation.created and violation.updated", () => {
  it("violation.created records the violation with its evidence copied; violation.updated changes the same record", async () => {
    const url = `https://ips-storage.com/photos/${uniq(8)}.jpg`;
    serveWeb({ [url]: photo() });
    const data = report(zone, { evidence: [{ type: "PHOTO", url, timestamp: new Date().toISOString() }] });
    const created = await deliver("violation.created", data);
    expect(created).toMatchObject({ status: "processed", last_error: null });
    expect(created.effect).toMatchObject({
      externalId: data.violationId,
      outcome: "created",
      evidence: [{ url, copyStatus: "stored" }],
    });
    const id = created.effect.violation as string;
    const v = await violationOf(id);
    expect(v).toMatchObject({ source: "ips", externalId: data.violationId, zone, status: "pending", fineCents: 2500 });
    expect(v.evidence[0]).toMatchObject({ copyStatus: "stored", sha256: await sha256Hex(PLATE_JPG), bytes: PLATE_JPG.length });

    const updated = await deliver("violation.updated", {
      ...data,
      status: "CANCELLED",
      description: "Driver had paid at the kiosk",
    });
    expect(updated.effect).toMatchObject({ violation: id, outcome: "updated", changed: ["description", "status"] });
    expect(await violationOf(id)).toMatchObject({ status: "cancelled", description: "Driver had paid at the kiosk" });
    expect(await eventTypes(id)).toEqual(["violation.created", "violation.updated"]);
    const audit = await env.DB.prepare("SELECT actor, action FROM audit_log WHERE target = ? ORDER BY at").bind(id).all();
    expect(audit.results).toEqual([
      { actor: "vendor:ips", action: "violation.create" },
      { actor: "vendor:ips", action: "violation.update" },
    ]);

    // Another delivery of the same content (a new event id) changes nothing.
    const again = await deliver("violation.updated", {
      ...data,
      status: "CANCELLED",
      description: "Driver had paid at the kiosk",
    });
    expect(again.effect).toMatchObject({ violation: id, outcome: "unchanged" });
    expect(await eventTypes(id)).toHaveLength(2);
  });

  it("violation.updated for a violation never seen creates it, and POST /api/ips/violations meets the same record", async () => {
    serveWeb({});
    const data = report(zone, { licensePlate: newPlate() });
    const first = await deliver("violation.updated", data);
    expect(first.effect).toMatchObject({ outcome: "created" });
    const res = await call("/api/ips/violations", { body: data });
    expect(res.status).toBe(200);
    expect(res.headers.get("idempotent-replayed")).toBe("true");
    expect((await json(res)).id).toBe(first.effect.violation);
  });

  it("keeps evidence it cannot fetch, with the reason", async () => {
    const url = `https://ips-storage.com/videos/${uniq(8)}.mp4`;
    serveWeb({ [url]: new TypeError("Network connection lost") });
    const row = await deliver("violation.created", report(zone, { evidence: [{ type: "VIDEO", url, duration: 30 }] }));
    expect(row.effect.evidence).toEqual([{ url, copyStatus: "not_copied", reason: expect.stringMatching(/^unreachable/) }]);
  });

  it("fails a delivery whose data is not a violation report, or names an unknown zone, naming the problem; nothing is recorded", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM violations").first<{ n: number }>();
    const bad = await deliver("violation.created", { ...report(zone), licensePlate: undefined });
    expect(bad).toMatchObject({
      status: "failed",
      last_error: "violation.created with invalid data.licensePlate: Invalid input: expected string, received undefined",
    });
    const unknown = await deliver("violation.created", report("NOPE9"));
    expect(unknown).toMatchObject({ status: "failed", last_error: "No zone NOPE9 in this city" });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM violations").first()).toEqual(before);
  });
});

describe("enforcement.start_shift and enforcement.end_shift", () => {
  it("start_shift puts the officer on shift (once, however often it comes); end_shift ends it", async () => {
    const officerId = `officer_${uniq(6)}`;
    const startedAt = new Date(Date.now() - 3 * 60 * MIN).toISOString();
    const start = {
      officerId,
      officerName: "Officer Smith",
      deviceId: "handheld_456",
      zones: [zone.toLowerCase(), "A1"],
      startedAt,
    };
    const started = await deliver("enforcement.start_shift", start);
    expect(started.effect).toMatchObject({ officerId, outcome: "started" });
    expect((await deliver("enforcement.start_shift", start)).effect).toMatchObject({
      shift: started.effect.shift,
      outcome: "unchanged",
    });

    const open = await shifts(`open=true&officer=${officerId}`);
    expect(open.data).toEqual([
      {
        id: started.effect.shift,
        officerId,
        officerName: "Officer Smith",
        deviceId: "handheld_456",
        zones: [zone, "A1"],
        source: "ips",
        startedAt,
        endedAt: null,
        onShift: true,
      },
    ]);

    // No endedAt in data: the envelope's timestamp is when it ended.
    const endedAt = new Date(Date.now() - 60 * MIN).toISOString();
    const ended = await deliver("enforcement.end_shift", { officerId }, endedAt);
    expect(ended.effect).toMatchObject({ shift: started.effect.shift, outcome: "ended" });
    expect((await deliver("enforcement.end_shift", { officerId }, endedAt)).effect).toMatchObject({ outcome: "unchanged" });
    expect((await shifts(`open=true&officer=${officerId}`)).data).toEqual([]);
    expect((await shifts(`open=false&officer=${officerId}`)).data).toEqual([
      expect.objectContaining({ id: started.effect.shift, endedAt, onShift: false }),
    ]);
  });

  it("copes with lost and late deliveries: an end with no start, a start while the last shift is open, a start older than a later one", async () => {
    const officerId = `officer_${uniq(6)}`;
    const now = Date.now();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * MIN).toISOString();
    const lonely = await deliver("enforcement.end_shift", { officerId, endedAt: at(600) });
    expect(lonely).toMatchObject({ status: "processed" });
    expect(lonely.effect).toMatchObject({ shift: null, note: "no shift started before this end" });

    // The morning shift's end was lost: the evening start ends it.
    const morning = await deliver("enforcement.start_shift", { officerId, startedAt: at(300) });
    const evening = await deliver("enforcement.start_shift", { officerId, startedAt: at(60) });
    // A start from between the two, delivered late, ends the morning shift and begins already ended at the evening start.
    const late = await deliver("enforcement.start_shift", { officerId, startedAt: at(120) });
    const all = (await shifts(`officer=${officerId}`)).data;
    expect(all.map((s) => [s.id, s.startedAt, s.endedAt])).toEqual([
      [evening.effect.shift, at(60), null],
      [late.effect.shift, at(120), at(60)],
      [morning.effect.shift, at(300), at(120)],
    ]);
  });

  it("fails a shift event without an officer, or with an unreadable time", async () => {
    expect(await deliver("enforcement.start_shift", { deviceId: "handheld_456" })).toMatchObject({
      status: "failed",
      last_error: "enforcement.start_shift without data.officerId",
    });
    expect(await deliver("enforcement.end_shift", { officerId: "officer_x", endedAt: "teatime" })).toMatchObject({
      status: "failed",
      last_error: "enforcement.end_shift without a readable data.endedAt",
    });
  });
});

describe("GET /v1/officers/shifts", () => {
  it("pages with nextCursor, latest start first", async () => {
    const officerId = `officer_${uniq(6)}`;
    for (const minutesAgo of [500, 400, 300]) {
      const startedAt = new Date(Date.now() - minutesAgo * MIN).toISOString();
      await deliver("enforcement.start_shift", { officerId, startedAt });
    }
    const first = await shifts(`officer=${officerId}&limit=2`);
    expect(first.data).toHaveLength(2);
    const second = await shifts(`officer=${officerId}&limit=2&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ nextCursor: null });
    const starts = [...first.data, ...second.data].map((s) => Date.parse(s.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(new Set(starts).size).toBe(3);
  });

  it("refuses bad queries (422), needs a credential (401) with violations:read (403); viewer staff may read; tenants see their own", async () => {
    for (const [q, path] of [
      ["open=yes", "open"],
      ["limit=0", "limit"],
      ["cursor=1.x", "cursor"],
    ])
      expect((await expectProblem(await call(`/v1/officers/shifts?${q}`), 422)).errors?.map((e) => e.path)).toEqual([path]);
    await expectProblem(await call("/v1/officers/shifts", { key: null }), 401);
    await expectProblem(await call("/v1/officers/shifts", { key: NO_SCOPES }), 403);
    const viewer = await signStaffJwt(env, { role: "viewer", sub: "usr_demo_viewer" });
    expect((await shifts("open=true", viewer)).data.length).toBeGreaterThan(0);
    expect((await shifts("", OTHER_VIOLATIONS)).data).toEqual([]);
  });
});

describe("citation.paid", () => {
  it("marks the named citation paid once: a replay, or the same payment again, changes nothing", async () => {
    const c = await citation("demo", { number: `IPS-PAID-${uniq(6)}` });
    const first = await deliver("citation.paid", { citationNumber: c.number, amount: 25.0, paymentReference: "ips_pay_123" });
    expect(first).toMatchObject({ status: "processed", effect: { citation: c.id, status: "paid" } });
    const again = await deliver("citation.paid", { citationNumber: c.number, amount: 25.0, paymentReference: "ips_pay_123" });
    expect(again).toMatchObject({ status: "processed", effect: { citation: c.id, status: "paid", duplicate: true } });

    const row = await env.DB.prepare("SELECT status, paid_at FROM citations WHERE id = ?")
      .bind(c.id)
      .first<{ status: string; paid_at: number }>();
    expect(row?.status).toBe("paid");
    const steps = await env.DB.prepare("SELECT action, actor, reason FROM citation_transitions WHERE citation_id = ?")
      .bind(c.id)
      .all();
    expect(steps.results).toEqual([{ action: "pay", actor: "vendor:ips", reason: "ips_pay_123 (2500 cents reported)" }]);
  });

  it("processes a voided or unknown citation with a note, and fails an event that names none", async () => {
    const voided = await citation("demo", { status: "voided" });
    expect(await deliver("citation.paid", { citationNumber: voided.number })).toMatchObject({
      status: "processed",
      effect: { status: "voided", note: expect.stringContaining("not payable") },
    });
    expect(await deliver("citation.paid", { citationNumber: "NO-SUCH-1" })).toMatchObject({
      status: "processed",
      effect: { citation: null, note: "no such citation" },
    });
    expect(await deliver("citation.paid", { amount: 25 })).toMatchObject({
      last_error: expect.stringContaining("citationNumber"),
    });
  });
});
