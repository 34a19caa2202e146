// Issuing a citation with a 1 MB photo through the AIMS route (POST /api/aims/citations, the Stamford
// guide's body): base64 decoding, the magic-byte check, SHA-256, an R2 put, a plate check in the zone's
// object, and one D1 batch. Every request is a new citation number and a new plate (NO_RECORD, so the
// issue is never refused), in the demo zone A1.
import { readFileSync } from "node:fs";
import { call, expectStatus } from "../lib/http.mjs";
import { fail } from "../lib/print.mjs";

export const PHOTO_BYTES = 1024 * 1024;
export const CONNECTIONS = 4;

/**
 * A real JPEG of exactly `size` bytes: the test fixture's image with comment (COM) segments after its
 * start-of-image marker, which every decoder skips. The evidence check reads the bytes, so the photo is
 * a genuine JPEG, only a large one.
 */
export function jpegOfSize(size) {
  const image = readFileSync(new URL("../../test/fixtures/evidence/plate.jpg", import.meta.url));
  const segments = [];
  let room = size - image.length;
  while (room > 0) {
    const payload = Math.min(65_533, room - 4);
    if (payload < 0) fail("jpegOfSize: cannot pad by fewer than 4 bytes");
    const seg = Buffer.alloc(4 + payload, 0x20);
    seg.writeUInt16BE(0xfffe, 0);
    seg.writeUInt16BE(payload + 2, 2);
    segments.push(seg);
    room -= seg.length;
  }
  return Buffer.concat([image.subarray(0, 2), ...segments, image.subarray(2)]);
}

export function citationScenario(base, officerKey, runTag) {
  const photo = jpegOfSize(PHOTO_BYTES).toString("base64");
  let n = 0;
  // The photo is the body's tail, written once; only the head changes per request, so the load
  // generator joins strings instead of serialising 1.4 MB each time.
  const tail = `,"evidence":[{"type":"PHOTO","mimeType":"image/jpeg","base64Data":"${photo}"}]}`;
  const body = (i) =>
    JSON.stringify({
      citationNumber: `BENCH-${runTag}-${i}`,
      licensePlate: `C${runTag}${i}`.slice(0, 10),
      state: "CT",
      violation: { code: "PKG-001", description: "Expired Meter", fineAmount: 25.0 },
      location: { zoneNumber: "A1", address: "123 Main Street", latitude: 41.0534, longitude: -73.5387 },
      officer: { id: "officer_123", name: "Officer Smith", badge: "PS-456" },
      timestamp: new Date().toISOString(),
    }).slice(0, -1) + tail;
  const headers = { authorization: `Bearer ${officerKey}`, "content-type": "application/json" };
  return {
    id: "citation1mb",
    title: "POST /api/aims/citations, 1 MB photo",
    // Four handhelds at once, not 32: 32 bodies of 1.4 MB in flight measure the allocator, not the route.
    // Graceful, so no request is cut off with its work still queued in workerd when the next row starts.
    connections: CONNECTIONS,
    graceful: true,
    method: "POST",
    path: "/api/aims/citations",
    headers,
    setupRequest: (req) => ({ ...req, body: body(n++) }),
    check: async () => {
      const r = await expectStatus(
        call(base, "POST", "/api/aims/citations", { key: officerKey, body: JSON.parse(body(n++)) }),
        201,
        "citation",
      );
      if (r.evidence?.[0]?.bytes !== PHOTO_BYTES) fail(`citation: unexpected answer ${JSON.stringify(r).slice(0, 500)}`);
    },
  };
}
