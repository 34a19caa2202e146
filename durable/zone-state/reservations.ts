// Reservations inside one ZoneState: holds, confirmations, releases and lapses (src/domain/reservations.ts).
// This is where overselling is impossible. A hold's check (spaces occupied + holding < capacity) and its
// insert run in one synchronous transaction with no await between them, and the object runs one call at
// a time, so however many holds arrive at once each sees the ones granted before it: the object's
// equivalent of an atomic check-and-decrement script in Redis (docs/reservations.md). Capacity is never a
// counter that a lapse must give back (a key that expires without incrementing the count loses the space); it is
// counted from the rows each time, so a lapsed or released hold frees its space by no longer matching.
// Lapses are written lazily at every reservation call, and by the alarm at the earliest hold's expiry.
import { newHold, newReservationId, RESERVATION_TOKEN_LENGTH, spacesFree } from "../../src/domain/reservations";
import type { HoldRequest, Reservation, ReservationStatus } from "../../src/domain/reservations";
import { randomToken } from "../../src/lib/ids";
import { fail, type ZoneConfig, type ZoneFailure, type ZoneResult } from "./contract";
import type { ZoneStore } from "./store";
import type { WakeReport } from "./wake";

// Created beside the store's tables (store.ts); change it only by adding columns.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS reservations (
  id TEXT PRIMARY KEY, plate TEXT NOT NULL, state TEXT, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
  minutes INTEGER NOT NULL, price_cents INTEGER NOT NULL, status TEXT NOT NULL, hold_expires_ms INTEGER NOT NULL,
  payment_id TEXT, created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS reservations_status_hold ON reservations (status, hold_expires_ms);
CREATE INDEX IF NOT EXISTS reservations_status_end ON reservations (status, end_ms);
`;
/** Released, lapsed and finished reservations are kept this long for the list, then purged. */
export const RESERVATION_RETENTION_MS = 24 * 60 * 60 * 1000;

type Row = Record<string, SqlStorageValue>;
const toReservation = (r: Row): Reservation => ({
  id: r.id as string,
  plate: r.plate as string,
  state: (r.state as string | null) ?? null,
  startMs: r.start_ms as number,
  endMs: r.end_ms as number,
  minutes: r.minutes as number,
  priceCents: r.price_cents as number,
  status: r.status as ReservationStatus,
  holdExpiresMs: r.hold_expires_ms as number,
  paymentId: (r.payment_id as string | null) ?? null,
  createdAtMs: r.created_at_ms as number,
  updatedAtMs: r.updated_at_ms as number,
});

export type HoldInput = HoldRequest & { idempotency?: { key: string; fingerprint: string } };
export type Held = { reservation: Reservation; replayed: boolean };

export class ZoneReservations {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly store: ZoneStore,
    /** Spaces occupied now, as the zone's occupancy counts them (live sessions, metered spaces). */
    private readonly occupied: (nowMs: number) => number,
  ) {
    storage.sql.exec(SCHEMA);
  }

  hold(config: ZoneConfig, input: HoldInput, nowMs: number): ZoneResult<Held> {
    const idem = input.idempotency;
    const key = idem && `reservation:${idem.key}`;
    const prior = key && idem ? this.store.replay<Reservation>(key, idem.fingerprint) : null;
    if (prior === "conflict") return fail(422, "This Idempotency-Key was used with a different request", "Idempotency-Key");
    if (prior) return { ok: true, value: { reservation: this.get(prior.id) ?? prior, replayed: true } };
    if (config.capacity === null) return fail(409, `Zone ${config.rules.code} has no capacity set, so it takes no reservations`);
    const id = newReservationId(config.rules.code, randomToken(RESERVATION_TOKEN_LENGTH));
    const made = newHold(config.rules, input, id, nowMs);
    if (!made.ok) return fail(422, made.message, made.reason === "start" ? "from" : "minutes");
    const capacity = config.capacity;
    // From here to the insert nothing awaits: the check and the insert are one step of the object.
    return this.storage.transactionSync((): ZoneResult<Held> => {
      this.lapse(nowMs);
      if (spacesFree(capacity, this.occupied(nowMs), this.holding(nowMs)) === 0) return this.full(capacity, nowMs);
      this.put(made.reservation);
      if (key && idem) this.store.remember(key, idem.fingerprint, JSON.stringify(made.reservation), nowMs);
      return { ok: true, value: { reservation: made.reservation, replayed: false } };
    });
  }

  /** A payment in the ledger confirms a hold; the same payment again answers the confirmed reservation. */
  confirm(id: string, paymentId: string, paidCents: number, nowMs: number): ZoneResult<Reservation> {
    this.lapse(nowMs);
    const r = this.get(id);
    if (!r) return NO_RESERVATION;
    if (r.status === "confirmed")
      return r.paymentId === paymentId
        ? { ok: true, value: r }
        : fail(409, `Reservation ${id} is already confirmed by another payment`);
    if (r.status !== "held") return fail(409, `Reservation ${id} is ${r.status}; only a held reservation can be confirmed`);
    if (paidCents < r.priceCents)
      return fail(409, `The payment covers ${paidCents} of the ${r.priceCents} cents due`, "paymentId");
    const confirmed: Reservation = { ...r, status: "confirmed", paymentId, updatedAtMs: nowMs };
    this.put(confirmed);
    return { ok: true, value: confirmed };
  }

  /** Releases a hold; releasing it again answers the same. A confirmed (paid) reservation is not cancelled here. */
  cancel(id: string, nowMs: number): ZoneResult<Reservation> {
    this.lapse(nowMs);
    const r = this.get(id);
    if (!r) return NO_RESERVATION;
    if (r.status === "released") return { ok: true, value: r };
    if (r.status !== "held") return fail(409, `Reservation ${id} is ${r.status}; only a held reservation can be cancelled`);
    const released: Reservation = { ...r, status: "released", updatedAtMs: nowMs };
    this.put(released);
    return { ok: true, value: released };
  }

  find(id: string, nowMs: number): ZoneResult<Reservation> {
    this.lapse(nowMs);
    const r = this.get(id);
    return r ? { ok: true, value: r } : NO_RESERVATION;
  }

  /** Newest first, optionally of one status. */
  list(nowMs: number, limit: number, status?: ReservationStatus): Reservation[] {
    this.lapse(nowMs);
    const rows = status
      ? this.storage.sql.exec<Row>(
          "SELECT * FROM reservations WHERE status = ? ORDER BY created_at_ms DESC LIMIT ?",
          status,
          limit,
        )
      : this.storage.sql.exec<Row>("SELECT * FROM reservations ORDER BY created_at_ms DESC LIMIT ?", limit);
    return rows.toArray().map(toReservation);
  }

  /** What the zone's spaces are doing now: capacity, occupied, held, confirmed, free. */
  usage(config: ZoneConfig, nowMs: number) {
    this.lapse(nowMs);
    const n = (status: string, column: string) =>
      this.storage.sql
        .exec<{ n: number }>(`SELECT COUNT(*) AS n FROM reservations WHERE status = ? AND ${column} > ?`, status, nowMs)
        .one().n;
    const held = n("held", "hold_expires_ms");
    const confirmed = n("confirmed", "end_ms");
    const occupied = this.occupied(nowMs);
    const free = config.capacity === null ? 0 : spacesFree(config.capacity, occupied, held + confirmed);
    return { capacity: config.capacity, occupied, held, confirmed, free };
  }

  /** The alarm's part: write down lapsed holds and purge what finished a day ago. */
  run(nowMs: number) {
    this.lapse(nowMs);
    const before = nowMs - RESERVATION_RETENTION_MS;
    this.storage.sql.exec(
      "DELETE FROM reservations WHERE (status IN ('released', 'lapsed') AND updated_at_ms < ?) OR (status = 'confirmed' AND end_ms < ?)",
      before,
      before,
    );
  }

  /** When the earliest running hold lapses; null when none is held. */
  nextWakeMs(): WakeReport {
    const sql = "SELECT MIN(hold_expires_ms) AS m FROM reservations WHERE status = 'held'";
    return this.storage.sql.exec<{ m: number | null }>(sql).one().m ?? null;
  }

  /** Marks every hold whose expiry has passed as lapsed, so it stops counting. */
  private lapse(nowMs: number) {
    this.storage.sql.exec(
      "UPDATE reservations SET status = 'lapsed', updated_at_ms = hold_expires_ms WHERE status = 'held' AND hold_expires_ms <= ?",
      nowMs,
    );
  }

  /** Rows that take a space now: holdsSpace (src/domain/reservations.ts) in SQL. */
  private holding(nowMs: number): number {
    const sql = `SELECT
      (SELECT COUNT(*) FROM reservations WHERE status = 'held' AND hold_expires_ms > ?) +
      (SELECT COUNT(*) FROM reservations WHERE status = 'confirmed' AND end_ms > ?) AS n`;
    return this.storage.sql.exec<{ n: number }>(sql, nowMs, nowMs).one().n;
  }

  /** 409 with the capacity and when the earliest running hold lapses (a space may free up then). */
  private full(capacity: number, nowMs: number): ZoneFailure {
    const next = this.nextWakeMs();
    const extra: Record<string, string | number> = { capacity };
    if (next !== null && next > nowMs) extra.earliestHoldLapsesAt = new Date(next).toISOString();
    return { ...fail(409, `All ${capacity} spaces are occupied or reserved`), extra };
  }

  private get(id: string): Reservation | null {
    const row = this.storage.sql.exec<Row>("SELECT * FROM reservations WHERE id = ?", id).toArray()[0];
    return row ? toReservation(row) : null;
  }

  private put(r: Reservation) {
    this.storage.sql.exec(
      `INSERT INTO reservations (id, plate, state, start_ms, end_ms, minutes, price_cents, status, hold_expires_ms,
         payment_id, created_at_ms, updated_at_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, payment_id = excluded.payment_id, updated_at_ms = excluded.updated_at_ms`,
      r.id,
      r.plate,
      r.state,
      r.startMs,
      r.endMs,
      r.minutes,
      r.priceCents,
      r.status,
      r.holdExpiresMs,
      r.paymentId,
      r.createdAtMs,
      r.updatedAtMs,
    );
  }
}

export const NO_RESERVATION = fail(404, "Reservation not found");
