// ZoneState: one Durable Object per tenant+zone. It owns the zone's live sessions and permits,
// answers plate checks from its own SQLite (never D1), and ships session history to D1 through
// an outbox drained by its alarm, so a D1 outage delays history but never loses it.
import { DurableObject } from "cloudflare:workers";
import { checkDuration, extensionCents, priceCents, proRatedRefund } from "../src/domain/pricing";
import { normalizePlate, plateKey } from "../src/domain/plates";
import { rateAt } from "../src/domain/rules";
import type { PermitView, Verdict, ZoneRules } from "../src/domain/types";
import { evaluatePlate } from "../src/domain/verdict";
import type { Bindings } from "../src/env";
import { upsertSessionHistory } from "../src/storage/session-history";
import { randomToken } from "../src/auth/crypto";
import { newSessionId, SESSION_TOKEN_LENGTH } from "../src/domain/session-id";
import { type ReminderRequest, reminderText } from "../src/domain/reminders";
import { ApiError } from "../src/http/problem";
import { sendMessage } from "../src/sync/services";
import { ReminderStore, type ReminderView } from "./zone-reminders";
import { type StoredSession, ZoneStore } from "./zone-store";

export const FINISHED_RETENTION_MS = 24 * 60 * 60 * 1000;
const OUTBOX_BATCH = 100;
const MAX_FLUSH_BACKOFF_MS = 5 * 60 * 1000;
const REMINDER_BATCH = 50;

export type ZoneFailure = { ok: false; status: 404 | 409 | 422; detail: string; field?: string; unconfigured?: true };
export type ZoneResult<T> = { ok: true; value: T } | ZoneFailure;

export interface ZoneConfig {
  tenantId: string;
  rules: ZoneRules;
  version: number;
  capacity: number | null;
}
export interface PlateQuery {
  plate: string;
  state: string | null;
}
export interface CheckOutcome {
  verdict: Verdict;
  zone: { code: string; name: string; timezone: string; rateCentsPerHour: number };
}
export interface StartSessionInput extends PlateQuery {
  minutes: number;
  startMs: number;
  idempotency?: { key: string; fingerprint: string };
  /** Text or email the driver this long before the session ends (and again after each extension). */
  reminder?: ReminderRequest;
}
export interface SeedSession extends PlateQuery {
  startMs: number;
  minutes: number;
  amountCents: number;
}

const fail = (status: ZoneFailure["status"], detail: string, field?: string): ZoneFailure => ({ ok: false, status, detail, field });
const NOT_CONFIGURED: ZoneFailure = { ...fail(404, "Zone not found"), unconfigured: true };
const NO_SESSION = fail(404, "Session not found");

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

export class ZoneState extends DurableObject<Bindings> {
  private readonly store: ZoneStore;
  private readonly reminders: ReminderStore;
  private config: ZoneConfig | null = null;
  private flushFailures = 0;
  private reminderFailures = 0;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.store = new ZoneStore(ctx.storage.sql, () => this.config?.rules.code ?? "");
    this.reminders = new ReminderStore(ctx.storage.sql);
    const saved = this.store.getConfig("zone");
    this.config = saved ? (JSON.parse(saved) as ZoneConfig) : null;
  }

  /** Installs the zone's rules; an older version never overwrites a newer one. */
  configure(config: ZoneConfig): void {
    if (this.config && this.config.version > config.version) return;
    this.config = config;
    this.store.setConfig("zone", JSON.stringify(config));
    this.store.setConfig(`rules:${config.version}`, JSON.stringify(config.rules));
  }

  /** The rules a session was priced under (older versions are kept for as long as their sessions). */
  private rulesFor(s: StoredSession): ZoneRules | null {
    const current = this.config;
    if (!current) return null;
    if (s.rulesVersion === undefined || s.rulesVersion === current.version) return current.rules;
    const saved = this.store.getConfig(`rules:${s.rulesVersion}`);
    return saved ? (JSON.parse(saved) as ZoneRules) : current.rules;
  }

  check(query: PlateQuery, atMs: number): ZoneResult<CheckOutcome> {
    const rules = this.config?.rules;
    if (!rules) return NOT_CONFIGURED;
    return { ok: true, value: this.evaluate(rules, query, atMs) };
  }

  checkMany(queries: PlateQuery[], atMs: number): ZoneResult<CheckOutcome[]> {
    const rules = this.config?.rules;
    if (!rules) return NOT_CONFIGURED;
    // One indexed IN (...) lookup per table for the whole batch instead of two queries per plate.
    const plates = queries.map((q) => normalizePlate(q.plate));
    const keys = [...new Set(plates.map(plateKey))];
    const sessions = groupBy(this.store.sessionsByKeys(keys), (s) => plateKey(s.plate));
    const permits = groupBy(this.store.permitsByKeys(keys), (p) => plateKey(p.plate));
    const zone = { code: rules.code, name: rules.name, timezone: rules.timezone, rateCentsPerHour: rateAt(rules, atMs) };
    return {
      ok: true,
      value: queries.map((q, i) => {
        const key = plateKey(plates[i]!);
        const verdict = evaluatePlate({ rules, atMs, query: { plate: plates[i]!, state: q.state }, sessions: sessions.get(key) ?? [], permits: permits.get(key) ?? [] });
        return { verdict, zone };
      }),
    };
  }

  async startSession(input: StartSessionInput, nowMs: number): Promise<ZoneResult<{ session: StoredSession; replayed: boolean; reminder: ReminderView | null }>> {
    const rules = this.config?.rules;
    if (!rules) return NOT_CONFIGURED;
    const idem = input.idempotency;
    if (idem) {
      const seen = this.store.idempotent(idem.key);
      if (seen && seen.fingerprint !== idem.fingerprint)
        return fail(422, "This Idempotency-Key was used with a different request", "Idempotency-Key");
      if (seen) {
        const session = JSON.parse(seen.response) as StoredSession;
        return { ok: true, value: { session, replayed: true, reminder: this.reminders.view(session.id) } };
      }
    }
    const plate = normalizePlate(input.plate);
    const durationError = checkDuration(rules, input.minutes);
    if (durationError) return fail(422, durationError, "minutes");
    // Only an overlapping session conflicts: a booking for later must not block parking now.
    const endMs = input.startMs + input.minutes * 60_000;
    const running = this.store
      .sessionsByKey(plateKey(plate))
      .find((s) => s.plate === plate && s.status === "active" && s.endMs > input.startMs && s.startMs < endMs && (s.state === null || input.state === null || s.state === input.state));
    if (running) return fail(409, `Plate ${plate} already has session ${running.id} in this zone; extend it instead`);

    const session: StoredSession = {
      id: newSessionId(rules.code, randomToken(SESSION_TOKEN_LENGTH)),
      plate,
      state: input.state,
      zone: rules.code,
      startMs: input.startMs,
      endMs: input.startMs + input.minutes * 60_000,
      paidMinutes: input.minutes,
      amountCents: priceCents(rules, input.startMs, input.minutes),
      refundCents: 0,
      status: "active",
      endedAtMs: null,
      version: 1,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
      rulesVersion: this.config!.version,
    };
    this.ctx.storage.transactionSync(() => {
      this.store.putSession(session, plateKey(plate));
      if (input.reminder) this.reminders.put(session.id, input.reminder);
      if (idem) this.store.remember(idem.key, idem.fingerprint, JSON.stringify(session), nowMs);
    });
    await this.scheduleAlarm(nowMs);
    return { ok: true, value: { session, replayed: false, reminder: this.reminders.view(session.id) } };
  }

  /** Buys more time; the session's reminder (if any) moves with the end time, or `reminder` replaces it. */
  async extendSession(id: string, minutes: number, nowMs: number, reminder?: ReminderRequest): Promise<ZoneResult<{ session: StoredSession; chargedCents: number; reminder: ReminderView | null }>> {
    const s = this.config && this.store.session(id);
    const rules = s && this.rulesFor(s);
    if (!rules || !s) return NO_SESSION;
    if (s.status !== "active" || s.endMs <= nowMs) return fail(409, "Only a running session can be extended");
    const durationError = checkDuration(rules, minutes, s.paidMinutes);
    if (durationError) return fail(422, durationError, "minutes");
    const chargedCents = extensionCents(rules, s.startMs, s.paidMinutes, minutes);
    const next: StoredSession = {
      ...s,
      paidMinutes: s.paidMinutes + minutes,
      endMs: s.endMs + minutes * 60_000,
      amountCents: s.amountCents + chargedCents,
      version: s.version + 1,
      updatedAtMs: nowMs,
    };
    this.ctx.storage.transactionSync(() => {
      this.store.putSession(next, plateKey(next.plate));
      if (reminder) this.reminders.put(id, reminder);
    });
    await this.scheduleAlarm(nowMs);
    return { ok: true, value: { session: next, chargedCents, reminder: this.reminders.view(id) } };
  }

  async endSession(id: string, nowMs: number): Promise<ZoneResult<{ session: StoredSession; refund: ReturnType<typeof proRatedRefund> }>> {
    const s = this.config && this.store.session(id);
    const rules = s && this.rulesFor(s);
    if (!rules || !s) return NO_SESSION;
    if (s.status !== "active" || s.endMs <= nowMs) return fail(409, "The session has already finished");
    const refund = proRatedRefund(rules, { startMs: s.startMs, paidMinutes: s.paidMinutes, amountCents: s.amountCents }, nowMs);
    const next: StoredSession = {
      ...s,
      status: "ended",
      endMs: Math.max(s.startMs, nowMs),
      endedAtMs: nowMs,
      refundCents: refund.refundCents,
      version: s.version + 1,
      updatedAtMs: nowMs,
    };
    this.ctx.storage.transactionSync(() => {
      this.store.putSession(next, plateKey(next.plate));
      this.reminders.remove(id);
    });
    await this.scheduleAlarm(nowMs);
    return { ok: true, value: { session: next, refund } };
  }

  /**
   * A provider confirmed a payment for this session (webhook effect). Applied once per payment key:
   * adds to paidCents and, when the payment bought more time, extends the session within max stay.
   */
  async applyPayment(
    id: string,
    payment: { key: string; amountCents: number; extendMinutes?: number },
    nowMs: number,
  ): Promise<ZoneResult<{ session: StoredSession; extendedMinutes: number; duplicate: boolean; note?: string }>> {
    const s = this.config && this.store.session(id);
    const rules = s && this.rulesFor(s);
    if (!rules || !s) return NO_SESSION;
    const key = `payment:${payment.key}`;
    const seen = this.store.idempotent(key);
    if (seen) return { ok: true, value: { ...(JSON.parse(seen.response) as { session: StoredSession; extendedMinutes: number; note?: string }), duplicate: true } };

    let next: StoredSession = { ...s, paidCents: (s.paidCents ?? 0) + payment.amountCents, version: s.version + 1, updatedAtMs: nowMs };
    let extendedMinutes = 0;
    let note: string | undefined;
    if (payment.extendMinutes) {
      const problem = s.status !== "active" || s.endMs <= nowMs ? "the session has finished" : checkDuration(rules, payment.extendMinutes, s.paidMinutes);
      if (problem) note = `not extended: ${problem}`;
      else {
        extendedMinutes = payment.extendMinutes;
        next = {
          ...next,
          paidMinutes: s.paidMinutes + extendedMinutes,
          endMs: s.endMs + extendedMinutes * 60_000,
          amountCents: s.amountCents + extensionCents(rules, s.startMs, s.paidMinutes, extendedMinutes),
        };
      }
    }
    const result = { session: next, extendedMinutes, note };
    this.ctx.storage.transactionSync(() => {
      this.store.putSession(next, plateKey(next.plate));
      this.store.remember(key, "payment", JSON.stringify(result), nowMs);
    });
    await this.scheduleAlarm(nowMs);
    return { ok: true, value: { ...result, duplicate: false } };
  }

  getSession(id: string): ZoneResult<StoredSession & { reminder: ReminderView | null }> {
    const s = this.config && this.store.session(id);
    return s ? { ok: true, value: { ...s, reminder: this.reminders.view(id) } } : NO_SESSION;
  }

  listActive(limit: number, plate?: string): ZoneResult<StoredSession[]> {
    if (!this.config) return NOT_CONFIGURED;
    return { ok: true, value: this.store.activeSessions(limit, plate ? normalizePlate(plate) : undefined) };
  }

  putPermit(permit: PermitView): void {
    this.store.putPermit(permit, plateKey(permit.plate));
  }

  removePermit(id: string): boolean {
    return this.store.deletePermit(id);
  }

  stats(nowMs: number) {
    return { configured: this.config !== null, ...this.store.counts(nowMs), outbox: this.store.outboxSize() };
  }

  /** Bulk load for demo data and benchmarks; recordHistory=false keeps bulk fixtures out of D1. */
  async importSessions(rows: SeedSession[], nowMs: number, recordHistory: boolean): Promise<number> {
    const code = this.config?.rules.code;
    if (!code) return 0;
    const lastSeq = this.store.outboxLastSeq();
    this.ctx.storage.transactionSync(() => {
      for (const r of rows) {
        const plate = normalizePlate(r.plate);
        const s: StoredSession = {
          id: newSessionId(code, randomToken(SESSION_TOKEN_LENGTH)), plate, state: r.state, zone: code, startMs: r.startMs,
          endMs: r.startMs + r.minutes * 60_000, paidMinutes: r.minutes, amountCents: r.amountCents, refundCents: 0,
          status: "active", endedAtMs: null, version: 1, createdAtMs: nowMs, updatedAtMs: nowMs, rulesVersion: this.config?.version,
        };
        this.store.putSession(s, plateKey(plate));
      }
      if (!recordHistory) this.store.outboxDropAfter(lastSeq);
    });
    await this.scheduleAlarm(nowMs);
    return rows.length;
  }

  /** Expires lapsed sessions, purges old records, and drains the outbox to D1. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const rules = this.config?.rules;
    if (rules) {
      const lapsed = this.store.lapsedSessions(now - rules.graceMinutes * 60_000, 500);
      this.ctx.storage.transactionSync(() => {
        for (const s of lapsed)
          this.store.putSession({ ...s, status: "expired", version: s.version + 1, updatedAtMs: now }, plateKey(s.plate));
      });
      this.store.purgeFinished(now - FINISHED_RETENTION_MS);
      this.reminders.purge();
      await this.sendReminders(rules, now);
    }
    await this.flushOutbox();
    await this.scheduleAlarm(now, true);
  }

  /**
   * Hands each due reminder to sendMessage (a sync job on the tenant's messaging provider). Its dedupe
   * key names the session and end time, so two alarms racing queue one message. When nothing can send
   * it (no provider connected) it is given up for this end time; other failures wait for the next alarm.
   */
  private async sendReminders(rules: ZoneRules, now: number) {
    const tenantId = this.config!.tenantId;
    for (const r of this.reminders.due(now, REMINDER_BATCH)) {
      const { subject, text } = reminderText({ plate: r.plate, zoneCode: rules.code, zoneName: rules.name, timezone: rules.timezone, endMs: r.endMs });
      try {
        const job = await sendMessage(this.env, tenantId, { channel: r.channel, to: r.to, subject, text, purpose: "expiry_reminder", dedupeKey: `reminder:${r.sessionId}:${r.endMs}` });
        this.reminders.handled(r.sessionId, r.endMs, job.jobId, null);
        this.reminderFailures = 0;
      } catch (err) {
        if (err instanceof ApiError && (err.status === 409 || err.status === 422)) this.reminders.handled(r.sessionId, r.endMs, null, err.message);
        else {
          this.reminderFailures++;
          // The session id only: the contact is personal data and stays out of logs.
          console.warn(JSON.stringify({ level: "warn", msg: "reminder not queued", zone: rules.code, session: r.sessionId, attempt: this.reminderFailures, error: String(err) }));
          return;
        }
      }
    }
  }

  /** Drains the outbox to D1 now. Returns how many rows are still waiting. */
  async flushOutbox(): Promise<number> {
    if (!this.config) return 0;
    for (;;) {
      const batch = this.store.outboxBatch(OUTBOX_BATCH);
      if (batch.length === 0) break;
      try {
        await upsertSessionHistory(this.env.DB, this.config.tenantId, batch.map((b) => b.session));
      } catch (err) {
        this.flushFailures++;
        console.warn(JSON.stringify({ level: "warn", msg: "session history flush failed", zone: this.config.rules.code, attempt: this.flushFailures, error: String(err) }));
        break;
      }
      this.flushFailures = 0;
      this.store.outboxAck(batch[batch.length - 1]!.seq);
    }
    return this.store.outboxSize();
  }

  private async scheduleAlarm(nowMs: number, recompute = false) {
    const rules = this.config?.rules;
    if (!rules) return;
    const candidates: number[] = [nowMs + 60 * 60 * 1000]; // hourly housekeeping
    if (this.store.outboxSize() > 0)
      candidates.push(nowMs + (this.flushFailures ? Math.min(MAX_FLUSH_BACKOFF_MS, 1000 * 2 ** this.flushFailures) : 0));
    const nextEnd = this.store.nextActiveEndMs();
    if (nextEnd !== null) candidates.push(nextEnd + rules.graceMinutes * 60_000);
    const nextReminder = this.reminders.nextDueMs();
    if (nextReminder !== null) candidates.push(Math.max(nextReminder, this.reminderFailures ? nowMs + Math.min(MAX_FLUSH_BACKOFF_MS, 1000 * 2 ** this.reminderFailures) : 0));
    const next = Math.max(nowMs, Math.min(...candidates));
    const current = await this.ctx.storage.getAlarm();
    if (recompute || current === null || next < current) await this.ctx.storage.setAlarm(next);
  }

  private evaluate(rules: ZoneRules, query: PlateQuery, atMs: number): CheckOutcome {
    const plate = normalizePlate(query.plate);
    const key = plateKey(plate);
    const verdict = evaluatePlate({
      rules,
      atMs,
      query: { plate, state: query.state },
      sessions: this.store.sessionsByKey(key),
      permits: this.store.permitsByKey(key),
    });
    return { verdict, zone: { code: rules.code, name: rules.name, timezone: rules.timezone, rateCentsPerHour: rateAt(rules, atMs) } };
  }
}
