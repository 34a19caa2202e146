// The demo city's enforcement records: three violations as IPS handhelds would have reported them (one
// with a photo Curbgate holds and a video it could not fetch), and officer_123 (the Stamford integration
// guide's officer, docs/sources.md) on shift. Written through storage with fixed ids, so seeding again
// changes nothing.
import type { Bindings } from "../env";
import { db } from "../storage/db";
import { notCopiedEvidence, putEvidenceBlob } from "../storage/evidence";
import { insertShift } from "../storage/officer-shifts";
import { findViolation, saveViolation, type ViolationRow } from "../storage/violations";

const MIN = 60_000;
const DAY = 86_400_000;
const TENANT = "demo";

// test/fixtures/evidence/plate.png (96×64, made for Curbgate's tests): small enough to live here.
export const DEMO_PHOTO_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAGAAAABAEAAAAACQz/GRAAAABGdBTUEAALGPC/xhBQAAAAJiS0dE//8UqzHNAAAAB3RJTUUH6gwDEQI11S+/TQAAAIJJREFUaN7t2bsNgEAQQ0F+MXRM61DEBZa14wp2dHrR7e+7Ve867vQJ4wFP+oRVQP0LAKQBGgBYA5ztAA0AjAdoAGA6QAMAANUTcXoA6V2nBgCmAzQAMB2gAYDpAA0AAFSvP+L+PzKANKC9gf4XAEgDNAAwHaABgOkADWS3f1/6hLX9yIIH541VorIAAAAldEVYdGRhdGU6Y3JlYXRlADIwMjYtMTItMDNUMTc6MDI6NTMrMDA6MDDb95bdAAAAJXRFWHRkYXRlOm1vZGlmeQAyMDI2LTEyLTAzVDE3OjAyOjUzKzAwOjAwqqouYQAAAABJRU5ErkJggg==";
const DEMO_PHOTO = Uint8Array.from(atob(DEMO_PHOTO_BASE64), (c) => c.charCodeAt(0));

const violation = (
  v: Pick<ViolationRow, "id" | "externalId" | "status" | "plate" | "zone" | "violationType" | "fineCents" | "observedAt"> &
    Partial<ViolationRow>,
): ViolationRow => ({
  tenantId: TENANT,
  source: "ips",
  state: "CT",
  description: null,
  officerId: "officer_123",
  deviceId: "handheld_456",
  latitude: null,
  longitude: null,
  address: null,
  weather: null,
  timeOfDay: null,
  citationId: null,
  createdAt: v.observedAt + MIN,
  updatedAt: v.observedAt + MIN,
  ...v,
});

export const demoViolations = (now: number): ViolationRow[] => [
  // The demo session of XYZ789 in A1 ran out an hour and a half ago.
  violation({
    id: "vio_demoExpiredMeter0001",
    externalId: "ips_viol_demo_001",
    status: "pending",
    plate: "XYZ789",
    zone: "A1",
    violationType: "EXPIRED_METER",
    description: "Vehicle parked with expired meter",
    fineCents: 2500,
    observedAt: now - 15 * MIN,
    latitude: 41.0534,
    longitude: -73.5387,
    address: "123 Main Street, Stamford, CT",
    weather: "Clear",
    timeOfDay: "Midday",
  }),
  violation({
    id: "vio_demoNoPermit00000002",
    externalId: "ips_viol_demo_002",
    status: "issued",
    plate: "NOP5150",
    zone: "A2",
    violationType: "NO_PERMIT",
    fineCents: 5000,
    observedAt: now - DAY,
  }),
  violation({
    id: "vio_demoCancelled0000003",
    externalId: "ips_viol_demo_003",
    status: "cancelled",
    plate: "CTY4040",
    zone: "A2",
    violationType: "EXPIRED_METER",
    description: "Cancelled: the driver had paid at the kiosk",
    fineCents: 2500,
    observedAt: now - 2 * DAY,
  }),
];

/** Writes what is missing; returns how many violations it added. */
export async function seedDemoEnforcement(env: Bindings, now: number): Promise<number> {
  const database = db(env.DB);
  let added = 0;
  for (const v of demoViolations(now)) {
    if (await findViolation(database, TENANT, v.id)) continue;
    const owner = { tenantId: TENANT, kind: "violation" as const, id: v.id };
    const evidence =
      v.id === "vio_demoExpiredMeter0001"
        ? [
            await putEvidenceBlob(
              env,
              owner,
              {
                kind: "PHOTO",
                contentType: "image/png",
                bytes: DEMO_PHOTO,
                capturedAt: v.observedAt,
                sourceUrl: "https://ips-storage.com/photos/violation_demo_001.jpg",
              },
              v.createdAt,
            ),
            notCopiedEvidence(
              owner,
              {
                kind: "VIDEO",
                sourceUrl: "https://ips-storage.com/videos/violation_demo_001.mp4",
                error: "demo data: never fetched",
              },
              v.createdAt,
            ),
          ]
        : [];
    await saveViolation(database, {
      insert: v,
      evidence,
      event: {
        tenantId: TENANT,
        type: "violation.created",
        subject: v.id,
        data: { id: v.id, source: v.source, externalId: v.externalId },
        at: v.createdAt,
      },
    });
    added++;
  }
  await insertShift(database, {
    id: "shf_demoOfficer123Shift1",
    tenantId: TENANT,
    officerId: "officer_123",
    officerName: "Officer Smith",
    deviceId: "handheld_456",
    zones: ["A1", "A2"],
    source: "ips",
    startedAt: now - 2 * 60 * MIN,
    endedAt: null,
    updatedAt: now,
  });
  return added;
}
