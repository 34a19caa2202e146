// Session changes inside one ZoneState: each is the pure arithmetic (src/domain/sessions.ts) and the
// writes that go with it (the session, its reminder, its idempotency record), in one transaction. The
// object (index.ts) wakes its alarm after each change, so expiry, history and reminders follow.
import { plateKey } from "../../src/domain/plates";
import type { Refund } from "../../src/domain/pricing";
import type { ReminderRequest } from "../../src/domain/reminders";
import { newSessionId, SESSION_TOKEN_LENGTH } from "../../src/domain/session-id";
import { endedSession, extendedSession, newSession, paidSession } from "../../src/domain/sessions";
import type { StoredSession } from "../../src/domain/sessions";
import type { ZoneRules } from "../../src/domain/types";
import { randomToken } from "../../src/lib/ids";
import type { ZoneConfigStore } from "./config";
import { fail, NO_SESSION, NOT_CONFIGURED, refusal } from "./contract";
import type { Extended, PaymentInput, PaymentResult, StartSessionInput, Started, ZoneResult } from "./contract";
import type { ZoneReminders } from "./reminders";
import type { ZoneStore } from "./store";

export type Ended = { session: StoredSession; refund: Refund };
export type Paid = PaymentResult & { duplicate: boolean };

export class ZoneSessions {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly store: ZoneStore,
    private readonly config: ZoneConfigStore,
    private readonly reminders: ZoneReminders,
  ) {}

  start(input: StartSessionInput, nowMs: number): ZoneResult<Started> {
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
    this.storage.transactionSync(() => {
      this.store.putSession(session);
      if (input.reminder) this.reminders.put(session.id, input.reminder);
      if (idem) this.store.remember(idem.key, idem.fingerprint, JSON.stringify(session), nowMs);
    });
    return { ok: true, value: { session, replayed: false, reminder: this.reminders.view(session.id) } };
  }

  /** Buys more time; the session's reminder (if any) moves with the end time, or `reminder` replaces it. */
  extend(id: string, minutes: number, nowMs: number, reminder?: ReminderRequest): ZoneResult<Extended> {
    const s = this.config.current && this.store.session(id);
    if (!s || !this.config.current) return NO_SESSION;
    // Sold at the terms in force now, within the vehicle's stay (its other sessions share the plate key).
    const extended = extendedSession(this.config.current, s, minutes, nowMs, this.store.sessionsByKey(plateKey(s.plate)));
    if (!extended.ok) return refusal(extended, "Only a running session can be extended");
    this.storage.transactionSync(() => {
      this.store.putSession(extended.session);
      if (reminder) this.reminders.put(id, reminder);
    });
    const { session, chargedCents } = extended;
    return { ok: true, value: { session, chargedCents, reminder: this.reminders.view(id) } };
  }

  end(id: string, nowMs: number): ZoneResult<Ended> {
    const [s, rules] = this.sessionAndRules(id);
    if (!s || !rules) return NO_SESSION;
    const ended = endedSession(rules, s, nowMs);
    if (!ended.ok) return refusal(ended);
    this.storage.transactionSync(() => {
      this.store.putSession(ended.session);
      this.reminders.remove(id);
    });
    return { ok: true, value: { session: ended.session, refund: ended.refund } };
  }

  /** A provider confirmed a payment (webhook effect). Applied once per payment key: a replay answers the first result. */
  pay(id: string, payment: PaymentInput, nowMs: number): ZoneResult<Paid> {
    const [s, rules] = this.sessionAndRules(id);
    if (!s || !rules) return NO_SESSION;
    const key = `payment:${payment.key}`;
    const seen = this.store.idempotent(key);
    if (seen) return { ok: true, value: { ...(JSON.parse(seen.response) as PaymentResult), duplicate: true } };
    const result = paidSession(rules, s, payment, nowMs);
    this.storage.transactionSync(() => {
      this.store.putSession(result.session);
      this.store.remember(key, "payment", JSON.stringify(result), nowMs);
    });
    return { ok: true, value: { ...result, duplicate: false } };
  }

  /** The session and the rules it was bought under, which its extensions and refunds are priced with. */
  private sessionAndRules(id: string): [StoredSession | null, ZoneRules | null] {
    const s = this.config.current && this.store.session(id);
    return s ? [s, this.config.rulesFor(s)] : [null, null];
  }
}
