// ZoneState: one Durable Object per tenant+zone. It owns the zone's live sessions and permits, answers
// plate checks from its own SQLite (never D1), and ships session history to D1 through an outbox, so a
// D1 outage delays history but never loses it. A thin shell: the session arithmetic is pure
// (src/domain/sessions.ts); expiry, the outbox and reminders are modules that each report when they
// next need to run, and the one alarm wakes at the earliest (wake.ts).
import { DurableObject } from "cloudflare:workers";
import { randomToken } from "../../src/lib/ids";
import { plateKey } from "../../src/domain/plates";
import type { Refund } from "../../src/domain/pricing";
import type { ReminderRequest, ReminderView } from "../../src/domain/reminders";
import { newSessionId, SESSION_TOKEN_LENGTH } from "../../src/domain/session-id";
import { endedSession, extendedSession, newSession, paidSession } from "../../src/domain/sessions";
import type { SeedSession, StoredSession } from "../../src/domain/sessions";
import type { PermitView, ZoneRules } from "../../src/domain/types";
import type { Bindings } from "../../src/env";
import { CONNECTORS } from "../../src/vendors";
import { checkPlates } from "./checks";
import { ZoneConfigStore } from "./config";
import { fail, NO_SESSION, NOT_CONFIGURED, refusal } from "./contract";
import type { CheckOutcome, PaymentInput, PaymentResult, PlateQuery, Extended, Started } from "./contract";
import type { StartSessionInput, ZoneConfig, ZoneResult } from "./contract";
import { importSeeded } from "./bulk-import";
import { SessionExpiry } from "./expiry";
import { HistoryOutbox } from "./outbox";
import { ZoneReminders } from "./reminders";
import { ZoneStore } from "./store";
import { wakeAtEarliest } from "./wake";

export type { CheckOutcome, PlateQuery, StartSessionInput, ZoneConfig, ZoneFailure, ZoneResult } from "./contract";

export class ZoneState extends DurableObject<Bindings> {
  private readonly store: ZoneStore;
  private readonly config: ZoneConfigStore;
  private readonly outbox: HistoryOutbox;
  private readonly reminders: ZoneReminders;
  private readonly expiry: SessionExpiry;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.outbox = new HistoryOutbox(sql);
    this.store = new ZoneStore(sql, () => this.config.current?.rules.code ?? "", this.outbox);
    this.config = new ZoneConfigStore(sql);
    this.reminders = new ZoneReminders(sql);
    this.expiry = new SessionExpiry(ctx.storage, this.store);
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

  async startSession(input: StartSessionInput, nowMs: number): Promise<ZoneResult<Started>> {
    const terms = this.config.current;
    if (!terms) return NOT_CONFIGURED;
    // A retried request gets the first response back unchanged; the same key with another body is refused.
    const idem = input.idempotency;
    const prior = idem ? this.store.replay<StoredSession>(idem.key, idem.fingerprint) : null;
    if (prior === "conflict") return fail(422, "This Idempotency-Key was used with a different request", "Idempotency-Key");
    if (prior) return { ok: true, value: { session: prior, replayed: true, reminder: this.reminders.view(prior.id) } };
    // Only the same vehicle's overlapping session conflicts (sessions.ts); its plate key finds every candidate.
    const id = newSessionId(terms.rules.code, randomToken(SESSION_TOKEN_LENGTH));
    const opened = newSession(terms, input, this.store.sessionsByKey(plateKey(input.plate)), id, nowMs);
    if (!opened.ok) return refusal(opened);
    const { session } = opened;
    this.ctx.storage.transactionSync(() => {
      this.store.putSession(session);
      if (input.reminder) this.reminders.put(session.id, input.reminder);
      if (idem) this.store.remember(idem.key, idem.fingerprint, JSON.stringify(session), nowMs);
    });
    await this.wake(nowMs);
    return { ok: true, value: { session, replayed: false, reminder: this.reminders.view(session.id) } };
  }

  /** Buys more time; the session's reminder (if any) moves with the end time, or `reminder` replaces it. */
  async extendSession(id: string, minutes: number, nowMs: number, reminder?: ReminderRequest): Promise<ZoneResult<Extended>> {
    const s = this.config.current && this.store.session(id);
    if (!s || !this.config.current) return NO_SESSION;
    // Sold at the terms in force now, within the vehicle's stay (its other sessions share the plate key).
    const extended = extendedSession(this.config.current, s, minutes, nowMs, this.store.sessionsByKey(plateKey(s.plate)));
    if (!extended.ok) return refusal(extended, "Only a running session can be extended");
    this.ctx.storage.transactionSync(() => {
      this.store.putSession(extended.session);
      if (reminder) this.reminders.put(id, reminder);
    });
    await this.wake(nowMs);
    const { session, chargedCents } = extended;
    return { ok: true, value: { session, chargedCents, reminder: this.reminders.view(id) } };
  }

  async endSession(id: string, nowMs: number): Promise<ZoneResult<{ session: StoredSession; refund: Refund }>> {
    const [s, rules] = this.sessionAndRules(id);
    if (!s || !rules) return NO_SESSION;
    const ended = endedSession(rules, s, nowMs);
    if (!ended.ok) return refusal(ended);
    this.ctx.storage.transactionSync(() => {
      this.store.putSession(ended.session);
      this.reminders.remove(id);
    });
    await this.wake(nowMs);
    return { ok: true, value: { session: ended.session, refund: ended.refund } };
  }

  /** A provider confirmed a payment (webhook effect). Applied once per payment key: a replay answers the first result. */
  async applyPayment(
    id: string,
    payment: PaymentInput,
    nowMs: number,
  ): Promise<ZoneResult<PaymentResult & { duplicate: boolean }>> {
    const [s, rules] = this.sessionAndRules(id);
    if (!s || !rules) return NO_SESSION;
    const key = `payment:${payment.key}`;
    const seen = this.store.idempotent(key);
    if (seen) return { ok: true, value: { ...(JSON.parse(seen.response) as PaymentResult), duplicate: true } };
    const result = paidSession(rules, s, payment, nowMs);
    this.ctx.storage.transactionSync(() => {
      this.store.putSession(result.session);
      this.store.remember(key, "payment", JSON.stringify(result), nowMs);
    });
    await this.wake(nowMs);
    return { ok: true, value: { ...result, duplicate: false } };
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

  stats(nowMs: number) {
    return { configured: this.config.current !== null, ...this.store.counts(nowMs), outbox: this.outbox.size() };
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
    const reports = [this.expiry.nextWakeMs(rules, nowMs), this.outbox.nextWakeMs(nowMs), this.reminders.nextWakeMs(nowMs)];
    await wakeAtEarliest(this.ctx.storage, nowMs, reports, afterAlarm);
  }

  /** The session and the rules it was bought under, which its extensions and refunds are priced with. */
  private sessionAndRules(id: string): [StoredSession | null, ZoneRules | null] {
    const s = this.config.current && this.store.session(id);
    return s ? [s, this.config.rulesFor(s)] : [null, null];
  }
}
