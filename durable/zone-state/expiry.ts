// Expiry and housekeeping. A session is marked expired only once its paid time and the zone's grace
// have run out (officers see GRACE until then); finished sessions and lapsed permits are purged a day
// later, so officers still see EXPIRED and overstay chains for that day (D1 history serves them after).
import { shortestGraceMinutes } from "../../src/domain/rules";
import { expiredSession, expiryDueMs, lapsedIfEndedByMs } from "../../src/domain/sessions";
import type { ZoneRules } from "../../src/domain/types";
import type { ZoneStore } from "./store";
import type { WakeReport } from "./wake";

export const FINISHED_RETENTION_MS = 24 * 60 * 60 * 1000;
const HOUSEKEEPING_MS = 60 * 60 * 1000;
const EXPIRY_BATCH = 500; // more than this waiting: the next wake is due at once and takes the rest

export class SessionExpiry {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly store: ZoneStore,
  ) {}

  run(rules: ZoneRules, nowMs: number) {
    // Candidates by the shortest grace of the day; each lapses by the grace of the slot it ended in.
    const lapsed = this.store
      .lapsedSessions(lapsedIfEndedByMs(rules, nowMs), EXPIRY_BATCH)
      .filter((s) => expiryDueMs(rules, s.endMs) <= nowMs);
    this.storage.transactionSync(() => {
      for (const s of lapsed) this.store.putSession(expiredSession(s, nowMs));
    });
    this.store.purgeFinished(nowMs - FINISHED_RETENTION_MS);
  }

  /** When the next active session lapses, and at least hourly for the purge. */
  nextWakeMs(rules: ZoneRules, nowMs: number): WakeReport {
    const nextEnd = this.store.nextActiveEndMs();
    const housekeeping = nowMs + HOUSEKEEPING_MS;
    if (nextEnd === null) return housekeeping;
    // A later end with a shorter grace (another time slot's) may lapse first: look again by the shortest
    // grace, but no more than once a minute while the first-ending session is still in a longer one.
    const due = expiryDueMs(rules, nextEnd);
    const early = nextEnd + shortestGraceMinutes(rules) * 60_000;
    return Math.min(housekeeping, early < due ? Math.min(due, Math.max(early, nowMs + 60_000)) : due);
  }
}
