// POST /api/ips/violations: the Stamford guide's violation report, accepted verbatim (the contract
// fixture), idempotent on violationId, evidence URLs copied into R2 or kept with the reason, every
// change in one D1 batch with its domain event, and audited. Bad input changes nothing.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { call, createZone, expectProblem, flatZone, json, NO_SCOPES, newPlate, OFFICER, signStaffJwt } from "../../fixtures";
import { guideReport, MP4_HEAD, PLATE_JPG, PLATE_PNG, photo, report, serveWeb, sha256Hex } from "./reports";

type Recorded = {
  violationId: string;
  id: string;
  status: string;
  recordedAt: string;
  updatedAt: string;
  timestamp: string;
  licensePlate: string;
  state: string | null;
  zoneNumber: string;
  violationType: string;
  fineAmount: number | null;
  officerId: string | null;
  deviceId: string | null;
  evidence: {
    id: string;
    type: string;
    url: string;
    stored: boolean;
    contentType: string | null;
    bytes: number | null;
    sha256: string | null;
    reason: string | null;
  }[];
};

const post = (body: unknown, key: string | null = OFFICER) => call("/api/ips/violations", { key, body });
async function recorded(res: Response, status = 201): Promise<Recorded> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as Recorded;
}

const violationRows = (externalId: string) =>
  env.DB.prepare("SELECT * FROM violations WHERE tenant_id = 'demo' AND source = 'ips' AND external_id = ?")
    .bind(externalId)
    .all<Record<string, unknown>>()
    .then((r) => r.results);
const eventsOf = (id: string) =>
  env.DB.prepare("SELECT type, data FROM domain_events WHERE tenant_id = 'demo' AND subject = ? ORDER BY at")
    .bind(id)
    .all<{ type: string; data: string }>()
    .then((r) => r.results.map((e) => ({ type: e.type, data: JSON.parse(e.data) })));
const evidenceRows = (id: string) =>
  env.DB.prepare("SELECT * FROM evidence WHERE tenant_id = 'demo' AND owner_kind = 'violation' AND owner_id = ?")
    .bind(id)
    .all<Record<string, unknown>>()
    .then((r) => r.results);

/** The audit rows of a target; audit entries are written after the response, so this waits a little for them. */
async function auditOf(target: string, count: number) {
  for (let i = 0; ; i++) {
    const rows = (
      await env.DB.prepare("SELECT actor, action, detail FROM audit_log WHERE target = ? ORDER BY at").bind(target).all<{
        actor: string;
        action: string;
        detail: string;
      }>()
    ).results;
    if (rows.length >= count || i === 50) return rows;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const PHOTO_URL = guideReport.evidence[0]!.url;
const VIDEO_URL = guideReport.evidence[1]!.url;

let zone: string;
beforeAll(async () => {
  zone = (await createZone(flatZone({ name: "Test Violation Street" }))).code;
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("POST /api/ips/violations", () => {
  let first: Recorded;

  it("records the guide's report verbatim: 201, the fine in cents, the photo copied into R2 with its SHA-256, the unreachable video kept with the reason", async () => {
    const web = serveWeb({ [PHOTO_URL]: photo(), [VIDEO_URL]: new TypeError("Network connection lost") });
    first = await recorded(await post(guideReport));
    expect(web.mock.calls.map(([u]) => String(u))).toEqual([PHOTO_URL, VIDEO_URL]);
    expect(first).toMatchObject({
      violationId: "ips_viol_789",
      status: "PENDING",
      timestamp: "2024-01-01T12:15:00.000Z",
      licensePlate: "XYZ789",
      state: "CT",
      zoneNumber: "A1",
      violationType: "EXPIRED_METER",
      fineAmount: 25,
      officerId: "officer_123",
      deviceId: "handheld_456",
    });
    expect(first.id).toMatch(/^vio_[A-Za-z0-9]{20}$/);
    const [shot, video] = first.evidence;
    expect(shot).toMatchObject({
      type: "PHOTO",
      url: PHOTO_URL,
      stored: true,
      contentType: "image/jpeg",
      bytes: PLATE_JPG.length,
      sha256: await sha256Hex(PLATE_JPG),
      reason: null,
    });
    expect(video).toMatchObject({ type: "VIDEO", url: VIDEO_URL, stored: false, sha256: null, bytes: null });
    expect(video!.reason).toMatch(/^unreachable/);

    const blob = await env.BLOBS.get(`tenants/demo/evidence/${shot!.id}`);
    const bytes = new Uint8Array(await blob!.arrayBuffer());
    expect(await sha256Hex(bytes)).toBe(await sha256Hex(PLATE_JPG));
    expect(blob!.httpMetadata?.contentType).toBe("image/jpeg");

    const [row] = await violationRows("ips_viol_789");
    expect(row).toMatchObject({
      id: first.id,
      status: "pending",
      plate: "XYZ789",
      zone: "A1",
      fine_cents: 2500,
      observed_at: Date.parse("2024-01-01T12:15:00.000Z"),
      latitude: 41.0534,
      longitude: -73.5387,
      address: "123 Main Street, Stamford, CT",
      description: "Vehicle parked with expired meter - 15 minutes over",
      weather: "Clear",
      time_of_day: "Midday",
    });
    const events = await eventsOf(first.id);
    expect(events).toEqual([
      {
        type: "violation.created",
        data: expect.objectContaining({ id: first.id, externalId: "ips_viol_789", evidence: { stored: 1, notCopied: 1 } }),
      },
    ]);
    expect(await auditOf(first.id, 1)).toEqual([
      expect.objectContaining({ actor: "key:key_demo_officer", action: "violation.create" }),
    ]);
  });

  it("keeps each evidence item's timestamp and metadata (a video's duration among them), readable at GET /v1/violations/{id}", async () => {
    const got = await json(await call(`/v1/violations/${first.id}`));
    const byUrl = Object.fromEntries(got.evidence.map((e: any) => [e.sourceUrl, e]));
    expect(byUrl[PHOTO_URL]).toMatchObject({
      kind: "PHOTO",
      copyStatus: "stored",
      capturedAt: "2024-01-01T12:15:00.000Z",
      metadata: { gps: "41.0534,-73.5387", camera: "rear" },
    });
    expect(byUrl[VIDEO_URL]).toMatchObject({ kind: "VIDEO", copyStatus: "not_copied", metadata: { duration: 30 } });
  });

  it("answers the same report again with the record as it stands: 200, Idempotent-Replayed, nothing fetched or written", async () => {
    const web = serveWeb({});
    const res = await post(guideReport);
    expect(res.headers.get("idempotent-replayed")).toBe("true");
    const again = await recorded(res, 200);
    expect(again).toEqual(first);
    expect(web).not.toHaveBeenCalled();
    expect(await violationRows("ips_viol_789")).toHaveLength(1);
    expect(await eventsOf(first.id)).toHaveLength(1);
    expect(await evidenceRows(first.id)).toHaveLength(2);
  });

  it("updates the record from a report with other content: 200, evidence added (never removed), a violation.updated event naming the changes", async () => {
    const extra = "https://ips-storage.com/photos/violation_123_close.jpg";
    serveWeb({ [extra]: photo(PLATE_PNG, "image/png") });
    const changed = {
      ...guideReport,
      fineAmount: 35.5,
      status: "ISSUED",
      evidence: [{ type: "PHOTO", url: extra }],
    };
    const res = await post(changed);
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    const updated = await recorded(res, 200);
    expect(updated).toMatchObject({ id: first.id, status: "ISSUED", fineAmount: 35.5, recordedAt: first.recordedAt });
    expect(updated.evidence.map((e) => [e.url, e.stored, e.contentType])).toEqual([
      [PHOTO_URL, true, "image/jpeg"],
      [VIDEO_URL, false, null],
      [extra, true, "image/png"],
    ]);
    expect((await violationRows("ips_viol_789"))[0]).toMatchObject({ fine_cents: 3550, status: "issued" });
    const events = await eventsOf(first.id);
    expect(events.map((e) => e.type)).toEqual(["violation.created", "violation.updated"]);
    expect(events[1]!.data.changed).toEqual(["fineCents", "status", "evidence"]);
    expect((await auditOf(first.id, 2)).map((a) => a.action)).toEqual(["violation.create", "violation.update"]);

    // Without `status`, a later report keeps the one recorded.
    const kept = await recorded(await post({ ...changed, description: "Corrected" }), 200);
    expect(kept.status).toBe("ISSUED");
  });

  it("normalises the plate, the state, the zone and the type as the API does everywhere", async () => {
    const plate = newPlate();
    const body = report(zone.toLowerCase(), {
      licensePlate: `${plate.slice(0, 3).toLowerCase()}-${plate.slice(3)}`,
      state: "ct",
      violationType: "expired_meter",
    });
    const r = await recorded(await post(body));
    expect(r).toMatchObject({ licensePlate: plate, state: "CT", zoneNumber: zone, violationType: "EXPIRED_METER", evidence: [] });
  });

  it("needs only the violationId, timestamp, plate, zone and type; the rest is null", async () => {
    const body = {
      violationId: `ips_min_${Date.now()}`,
      timestamp: new Date().toISOString(),
      licensePlate: newPlate(),
      location: { zoneNumber: zone },
      violationType: "NO_PERMIT",
    };
    const r = await recorded(await post(body));
    expect(r).toMatchObject({ state: null, fineAmount: null, officerId: null, deviceId: null, evidence: [] });
  });

  it("refuses bad input with a problem naming the field, and records nothing", async () => {
    const web = serveWeb({});
    const base = () => report(zone);
    const cases: [string, Record<string, unknown>, number, string][] = [
      ["no violationId", { violationId: undefined }, 422, "violationId"],
      ["a violationId with spaces", { violationId: "ips viol" }, 422, "violationId"],
      ["no plate", { licensePlate: undefined }, 422, "licensePlate"],
      ["a plate with no letter or digit", { licensePlate: "--- " }, 422, "licensePlate"],
      ["a plate too long", { licensePlate: "A".repeat(21) }, 422, "licensePlate"],
      ["a bad state", { state: "Connecticut" }, 422, "state"],
      ["no zone", { location: { latitude: 41 } }, 422, "location.zoneNumber"],
      ["an unknown zone", { location: { zoneNumber: "NOPE9" } }, 422, "location.zoneNumber"],
      ["a latitude off the globe", { location: { zoneNumber: zone, latitude: 91 } }, 422, "location.latitude"],
      ["no type", { violationType: undefined }, 422, "violationType"],
      ["half a cent", { fineAmount: 25.005 }, 422, "fineAmount"],
      ["a negative fine", { fineAmount: -1 }, 422, "fineAmount"],
      ["a fine as text", { fineAmount: "25.00" }, 422, "fineAmount"],
      ["a timestamp that is no instant", { timestamp: "yesterday" }, 422, "timestamp"],
      ["a timestamp an hour ahead", { timestamp: new Date(Date.now() + 3_600_000).toISOString() }, 422, "timestamp"],
      [
        "evidence of another type",
        { evidence: [{ type: "AUDIO", url: "https://ips-storage.com/a.mp3" }] },
        422,
        "evidence.0.type",
      ],
      ["evidence without a URL", { evidence: [{ type: "PHOTO" }] }, 422, "evidence.0.url"],
      [
        "evidence at a non-http URL",
        { evidence: [{ type: "PHOTO", url: "ftp://ips-storage.com/a.jpg" }] },
        422,
        "evidence.0.url",
      ],
      [
        "more than ten evidence items",
        { evidence: Array.from({ length: 11 }, (_, i) => ({ type: "PHOTO", url: `https://ips-storage.com/${i}.jpg` })) },
        422,
        "evidence",
      ],
    ];
    for (const [what, change, status, path] of cases) {
      const body = { ...base(), ...change };
      const problem = await expectProblem(await post(body), status);
      expect(
        problem.errors?.map((e) => e.path),
        what,
      ).toContain(path);
      expect(await violationRows(String(body.violationId)), what).toEqual([]);
    }
    const notJson = await call("/api/ips/violations", { body: "{ not json" });
    expect((await expectProblem(notJson, 400)).detail).toMatch(/JSON/);
    expect(web).not.toHaveBeenCalled();
  });

  it("keeps evidence it cannot copy, with the reason: not https, not a public host, an error answer, too large, or not the bytes it claims", async () => {
    const u = (name: string) => `https://evidence.example.com/${name}`;
    const big = 10 * 1024 * 1024 + 1;
    const web = serveWeb({
      [u("gone.jpg")]: () => new Response("gone", { status: 410 }),
      [u("announced-huge.jpg")]: () => new Response("x", { headers: { "content-length": String(big) } }),
      // No Content-Length: the read stops as soon as it passes the limit.
      [u("streamed-huge.mp4")]: () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              controller.enqueue(new Uint8Array(1024 * 1024));
            },
          }),
        ),
      [u("page.jpg")]: () => new Response("<html>not a photo</html>", { headers: { "content-type": "image/jpeg" } }),
      [u("photo-as-video.mp4")]: photo(),
      [u("clip.mp4")]: () => new Response(MP4_HEAD),
    });
    const items: [string, string][] = [
      ["PHOTO", "http://evidence.example.com/plain.jpg"],
      ["PHOTO", "https://10.0.0.8/internal.jpg"],
      ["PHOTO", "https://evidence.local/x.jpg"],
      ["PHOTO", u("gone.jpg")],
      ["PHOTO", u("announced-huge.jpg")],
      ["VIDEO", u("streamed-huge.mp4")],
      ["PHOTO", u("page.jpg")],
      ["VIDEO", u("photo-as-video.mp4")],
      ["VIDEO", u("clip.mp4")],
    ];
    const r = await recorded(await post(report(zone, { evidence: items.map(([type, url]) => ({ type, url })) })));
    expect(r.evidence.map((e) => [e.url, e.stored, e.reason])).toEqual([
      [items[0]![1], false, "only https URLs are copied"],
      [items[1]![1], false, "IP-address hosts are not fetched"],
      [items[2]![1], false, "local host names are not fetched"],
      [items[3]![1], false, "the server answered HTTP 410"],
      [items[4]![1], false, `larger than 10485760 bytes (Content-Length ${big})`],
      [items[5]![1], false, "larger than 10485760 bytes"],
      [items[6]![1], false, "Evidence must be a JPEG, PNG or HEIC photo, or an MP4 or QuickTime video, by its bytes"],
      [items[7]![1], false, "The bytes are image/jpeg, not a video"],
      [items[8]![1], true, null],
    ]);
    expect(r.evidence[8]).toMatchObject({ contentType: "video/mp4", bytes: MP4_HEAD.length });
    // The refused URLs were never fetched.
    expect(web.mock.calls.map(([url]) => String(url))).toEqual(items.slice(3).map(([, url]) => url));
  });

  it("gives up on evidence that does not arrive within 5 s", { timeout: 15_000 }, async () => {
    const slow = "https://evidence.example.com/slow.jpg";
    vi.spyOn(globalThis, "fetch").mockImplementation(
      (_input, init) =>
        new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason), { once: true })),
    );
    const started = Date.now();
    const r = await recorded(await post(report(zone, { evidence: [{ type: "PHOTO", url: slow }] })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(r.evidence[0]).toMatchObject({ stored: false, reason: "no answer within 5 s" });
  });

  it("records one violation when two first reports of it race; the loser's copies are deleted from R2", async () => {
    const url = "https://evidence.example.com/race.jpg";
    serveWeb({ [url]: photo() });
    const body = report(zone, { evidence: [{ type: "PHOTO", url }] });
    const [a, b] = await Promise.all([post(body), post(body)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const [ra, rb] = [await json<Recorded>(a), await json<Recorded>(b)];
    expect(ra.id).toBe(rb.id);
    expect(ra.evidence).toEqual(rb.evidence);
    expect(await violationRows(body.violationId as string)).toHaveLength(1);
    expect(await eventsOf(ra.id)).toHaveLength(1);
    const kept = await evidenceRows(ra.id);
    expect(kept).toHaveLength(1);
    const blobs = await env.BLOBS.list({ prefix: "tenants/demo/evidence/", include: ["customMetadata"] } as R2ListOptions);
    const owned = blobs.objects.filter((o) => o.customMetadata?.owner === `violation:${ra.id}`).map((o) => o.key);
    expect(owned).toEqual([kept[0]!.r2_key]);
  });

  it("needs a credential (401) with violations:write (403): viewer staff may read violations, not report them", async () => {
    const body = report(zone);
    await expectProblem(await post(body, null), 401);
    await expectProblem(await post(body, NO_SCOPES), 403);
    const viewer = await signStaffJwt(env, { role: "viewer", sub: "usr_demo_viewer" });
    expect((await expectProblem(await post(body, viewer), 403)).detail).toContain("violations:write");
    expect(await violationRows(body.violationId as string)).toEqual([]);
  });
});
