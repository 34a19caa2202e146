import { holdsSpace, RESERVATION_CURRENCY, type Reservation, statusAt } from "../../domain/reservations";
import { iso } from "../common";

export function presentReservation(r: Reservation, zone: string, nowMs = Date.now()) {
  return {
    id: r.id,
    zone,
    plate: r.plate,
    state: r.state,
    status: statusAt(r, nowMs),
    from: iso(r.startMs),
    until: iso(r.endMs),
    minutes: r.minutes,
    priceCents: r.priceCents,
    currency: RESERVATION_CURRENCY as "USD",
    holdExpiresAt: iso(r.holdExpiresMs),
    holdsSpace: holdsSpace(r, nowMs),
    paymentId: r.paymentId,
    createdAt: iso(r.createdAtMs),
    updatedAt: iso(r.updatedAtMs),
  };
}
