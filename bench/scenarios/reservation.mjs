// Holding spaces in BENCHRES, a garage of RESERVE_CAPACITY spaces, under contention: every request is a
// new plate asking for a 60-minute hold (POST /v1/zones/BENCHRES/reservations). The first requests are
// granted (201) until the garage is full; from then on each is refused with 409, an intended status. Both
// are the same step in the zone's object (lapse, count, compare, insert or refuse), so the row measures
// the decision every contended request waits for. Holds lapse after 10 minutes and are retaken by the
// next round. After the load, `check` reads the zone: exactly full, never over.
import { call } from "../lib/http.mjs";
import { RESERVE_CAPACITY, ZONES } from "../lib/settings.mjs";

export function reservationScenario(base, appKey, runTag) {
  let n = 0;
  return {
    id: "reserve",
    title: `POST /v1/zones/{code}/reservations (${RESERVE_CAPACITY} spaces, full → 409)`,
    method: "POST",
    path: `/v1/zones/${ZONES.reserve}/reservations`,
    headers: { authorization: `Bearer ${appKey}`, "content-type": "application/json" },
    allowed: [409],
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ plate: `R${runTag}${n++}`, state: "CT", minutes: 60 }) }),
    /** Null when the garage ended the load exactly full (held + confirmed + occupied = capacity); else why not. */
    async check() {
      const res = await call(base, "GET", `/v1/zones/${ZONES.reserve}/reservations?limit=1`, { key: appKey });
      if (res.status !== 200) return `reserve: listing the zone answered ${res.status}`;
      const { capacity, occupied, held, confirmed } = res.json.usage;
      const taken = held + confirmed + occupied;
      if (taken > capacity) return `reserve: OVERSOLD, ${taken} spaces taken of ${capacity}`;
      if (taken < capacity) return `reserve: ${taken} of ${capacity} spaces taken after the load; the garage should be full`;
      return null;
    },
  };
}
