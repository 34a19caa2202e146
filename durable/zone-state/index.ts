// ZoneState: one Durable Object per tenant+zone. It owns the zone's live sessions and permits, answers
// plate checks from its own SQLite (never D1), and ships session history to D1 through an outbox, so a
// D1 outage delays history but never loses it. A thin shell: the session arithmetic is pure
// (src/domain/sessions.ts) and applied by sessions.ts; expiry, the outbox, reminders and the meters'
// alert events are modules that each report when they next need to run, and the one alarm wakes at the
// earliest (wake.ts). Meters' reports (meters.ts) live here too, beside the sessions they count with, and
// reservations (reservations.ts), which count both against the zone's capacity.
import { DurableObject } from "cloudflare:workers";
import { type MeterReport, occupiedSpaces } from "../../src/domain/meters";
import type { Reservation, ReservationStatus } from "../../src/domain/reservations";
import type { ReminderRequest, ReminderView } from "../../src/domain/reminders";
import type { SeedSession, StoredSession } from "../../src/domain/sessions";
import type { PermitView } from "../../src/domain/types";
import type { Bindings } from "../../src/env";
import { CONNECTORS } from "../../src/vendors";
import { checkPlates } from "./checks";
import { ZoneConfigStore } from "./config";
import { NO_SESSION, NOT_CONFIGURED } from "./contract";
import type { CheckOutcome, Extended, MeterRecorded, MeterView, PaymentInput, PlateQuery, RegisteredMeter } from "./contract";
import type { StartSessionInput, Started, ZoneConfig, ZoneResult } from "./contract";
import { importSeeded } from "./bulk-import";
import { SessionExpiry } from "./expiry";
import { ZoneMeters } from "./meters";
import { HistoryOutbox } from "./outbox";
import { ZoneReminders } from "./reminders";
import { type Held, type HoldInput, ZoneReservations } from "./reservations";
import { type Ended, type Paid, ZoneSessions } from "./sessions";
import { ZoneStore } from "./store";
import { wakeAtEarliest } from "./wake";

export type { CheckOutcome, PlateQuery, StartSessionInput, ZoneConfig, ZoneFailure, ZoneResult } from "./contract";

export class ZoneState extends DurableObject<Bindings> {
  private readonly store: ZoneStore;
  private readonly config: ZoneConfigStore;
  private readonly outbox: HistoryOutbox;
  private readonly reminders: ZoneReminders;
  private readonly expiry: SessionExpiry;
  private readonly meters: ZoneMeters;
  private readonly sessions: ZoneSessions;
  private readonly reservations: ZoneReservations;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.outbox = new HistoryOutbox(sql);
    this.store = new ZoneStore(sql, () => this.config.current?.rules.code ?? "", this.outbox);
    this.config = new ZoneConfigStore(sql);
    this.reminders = new ZoneReminders(sql);
    this.expiry = new SessionExpiry(ctx.storage, this.store);
    this.meters = new ZoneMeters(ctx.storage);
    this.sessions = new ZoneSessions(ctx.storage, this.store, this.config, this.reminders);
    // Spaces occupied now as the zone's occupancy counts them (liveCounts in src/storage/zone-state.ts).
    const occupied = (nowMs: number) =>
      occupiedSpaces(this.store.counts(nowMs).active, this.meters.occupiedSpaces(this.config.current, nowMs));
    this.reservations = new ZoneReservations(ctx.storage, this.store, occupied);
  }

  configure(config: ZoneConfig): void {
    this.config.configure(config);
  }

  /** A single check is a sweep of one: the same path, with the single plate's indexed lookups (checks.ts). */
  check(query: PlateQuery, atMs: number): ZoneResult<CheckOutcome> {
    const result = this.checkMany([query], atMs);
    return result.ok ? { ok: true, value: result.value[0]! } : result;
  }

  checkMany(queries: PlateQuery[], atMs: number): ZoneResult<CheckOutcome[]> {
    const config = this.config.current;
    if (!config) return NOT_CONFIGURED;
    return { ok: true, value: checkPlates(this.store, config, queries, atMs) };
  }

  startSession(input: StartSessionInput, nowMs: number): Promise<ZoneResult<Started>> {
    return this.woken(this.sessions.start(input, nowMs), nowMs);
  }

  /** Buys more time; the session's reminder (if any) moves with the end time, or `reminder` replaces it. */
  extendSession(id: string, minutes: number, nowMs: number, reminder?: ReminderRequest): Promise<ZoneResult<Extended>> {
    return this.woken(this.sessions.extend(id, minutes, nowMs, reminder), nowMs);
  }

  endSession(id: string, nowMs: number): Promise<ZoneResult<Ended>> {
    return this.woken(this.sessions.end(id, nowMs), nowMs);
  }

  /** A provider confirmed a payment (webhook effect). Applied once per payment key: a replay answers the first result. */
  applyPayment(id: string, payment: PaymentInput, nowMs: number): Promise<ZoneResult<Paid>> {
    return this.woken(this.sessions.pay(id, payment, nowMs), nowMs);
  }

  getSession(id: string): ZoneResult<StoredSession & { reminder: ReminderView | null }> {
    const s = this.config.current && this.store.session(id);
    return s ? { ok: true, value: { ...s, reminder: this.reminders.view(id) } } : NO_SESSION;
  }

  listActive(limit: number, plate?: string): ZoneResult<StoredSession[]> {
    if (!this.config.current) return NOT_CONFIGURED;
    return { ok: true, value: this.store.activeSessions(limit, plate) };
  }

  putPermit(permit: PermitView): void {
    this.store.putPermit(permit);
  }

  removePermit(id: string): boolean {
    return this.store.deletePermit(id);
  }

  /** A meter's report (meters.ts); an alert it newly raises is queued as a meter.alert event for D1. */
  reportMeter(report: MeterReport, nowMs: number): Promise<ZoneResult<MeterRecorded>> {
    const config = this.config.current;
    return this.woken(config ? { ok: true, value: this.meters.record(config, report, nowMs) } : NOT_CONFIGURED, nowMs);
  }

  meterViews(meters: RegisteredMeter[], nowMs: number): ZoneResult<MeterView[]> {
    const config = this.config.current;
    return config ? { ok: true, value: this.meters.views(config, meters, nowMs) } : NOT_CONFIGURED;
  }

  stats(nowMs: number) {
    const config = this.config.current;
    const meters = { meteredSpacesOccupied: this.meters.occupiedSpaces(config, nowMs) };
    return { configured: config !== null, ...this.store.counts(nowMs), ...meters, outbox: this.outbox.size() };
  }

  /** Holds a space if one is free (reservations.ts: the check and the insert are one step); 409 when full. */
  holdSpace(input: HoldInput, nowMs: number): Promise<ZoneResult<Held>> {
    const config = this.config.current;
    return this.woken(config ? this.reservations.hold(config, input, nowMs) : NOT_CONFIGURED, nowMs);
  }

  /** `paidCents`: what the ledger payment still holds (the route has checked it succeeded and whose it is). */
  confirmReservation(id: string, paymentId: string, paidCents: number, nowMs: number): Promise<ZoneResult<Reservation>> {
    return this.woken(
      this.configured(() => this.reservations.confirm(id, paymentId, paidCents, nowMs)),
      nowMs,
    );
  }

  cancelReservation(id: string, nowMs: number): Promise<ZoneResult<Reservation>> {
    return this.woken(
      this.configured(() => this.reservations.cancel(id, nowMs)),
      nowMs,
    );
  }

  getReservation(id: string, nowMs: number): ZoneResult<Reservation> {
    return this.configured(() => this.reservations.find(id, nowMs));
  }

  listReservations(nowMs: number, limit: number, status?: ReservationStatus) {
    const config = this.config.current;
    if (!config) return NOT_CONFIGURED;
    const value = { usage: this.reservations.usage(config, nowMs), data: this.reservations.list(nowMs, limit, status) };
    return { ok: true as const, value };
  }

  /** Bulk load for demo data and benchmarks; recordHistory=false keeps bulk fixtures out of D1. */
  async importSessions(rows: SeedSession[], nowMs: number, recordHistory: boolean): Promise<number> {
    const terms = this.config.current;
    if (!terms) return 0;
    importSeeded(this.ctx.storage, this.store, this.outbox, terms, rows, nowMs, recordHistory);
    await this.wake(nowMs);
    return rows.length;
  }

  /** Expires lapsed sessions, purges old records, sends due reminders, and drains the outbox to D1. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const config = this.config.current;
    if (config) {
      this.expiry.run(config.rules, now);
      await this.reminders.send(this.env, CONNECTORS, config.tenantId, config.rules, now);
      await this.meters.drainEvents(this.env.DB, config.rules.code);
      this.reservations.run(now);
    }
    await this.flushOutbox();
    await this.wake(now, true);
  }

  /** Drains the outbox to D1 now. Returns how many rows are still waiting. */
  async flushOutbox(): Promise<number> {
    const config = this.config.current;
    // env is read at call time: tests point the live object's D1 at a failing stand-in.
    return config ? this.outbox.drain(this.env.DB, config.tenantId, config.rules.code) : 0;
  }

  /** Asks each module when it next needs the alarm; `afterAlarm` sets it afresh, otherwise it only moves earlier. */
  private async wake(nowMs: number, afterAlarm = false) {
    const rules = this.config.current?.rules;
    if (!rules) return;
    const modules = [this.outbox, this.reminders, this.meters];
    const reports = [
      this.expiry.nextWakeMs(rules, nowMs),
      this.reservations.nextWakeMs(),
      ...modules.map((m) => m.nextWakeMs(nowMs)),
    ];
    await wakeAtEarliest(this.ctx.storage, nowMs, reports, afterAlarm);
  }

  private configured<T>(run: () => ZoneResult<T>): ZoneResult<T> {
    return this.config.current ? run() : NOT_CONFIGURED;
  }

  /** After a change: the alarm is moved earlier if a module now needs it sooner. */
  private async woken<T>(result: ZoneResult<T>, nowMs: number): Promise<ZoneResult<T>> {
    if (result.ok) await this.wake(nowMs);
    return result;
  }
}
