// What ZoneState's RPC methods take and answer. A failure carries the status the route layer answers
// with (src/storage/zone-state.ts turns it into a Failure), so nothing in the object throws HTTP errors.
import type { MeterAlert, MeterStatus } from "../../src/domain/meters";
import type { ReminderRequest, ReminderView } from "../../src/domain/reminders";
import type { SessionRefusal, StoredSession } from "../../src/domain/sessions";
import type { Verdict, ZoneRules } from "../../src/domain/types";

export type ZoneFailure = {
  ok: false;
  status: 404 | 409 | 422;
  detail: string;
  field?: string;
  unconfigured?: true;
  /** Members the problem+json carries besides its detail (e.g. when a new stay may begin). */
  extra?: Record<string, string | number>;
};
export type ZoneResult<T> = { ok: true; value: T } | ZoneFailure;

export interface ZoneConfig {
  tenantId: string;
  rules: ZoneRules;
  version: number;
  capacity: number | null;
  /** The tenant's minutes away that start a new stay (enforcement settings); absent: the zone's grace. */
  stayGapMinutes?: number;
  /** The tenant's meter alert thresholds (enforcement settings); absent: the defaults in src/domain/meters.ts. */
  meterOfflineMinutes?: number;
  meterLowBatteryPercent?: number;
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

/** What startSession and extendSession answer. */
export type Started = { session: StoredSession; replayed: boolean; reminder: ReminderView | null };
export type Extended = { session: StoredSession; chargedCents: number; reminder: ReminderView | null };
/** A vendor's confirmed payment for a session; `key` makes applying it idempotent. */
export type PaymentInput = { key: string; amountCents: number; extendMinutes?: number };
export type PaymentResult = { session: StoredSession; extendedMinutes: number; note?: string };

/** A meter as the registry in D1 knows it; the object holds the meter's reports, not the registry. */
export type RegisteredMeter = { id: string; registeredAtMs: number };
/** A meter's last report (null: it never reported) and the alerts it shows now. */
export type MeterView = { id: string; last: { status: MeterStatus; reportedAtMs: number } | null; alerts: MeterAlert[] };
/** What a report did: the alerts it newly raised (each queued as a meter.alert event); `stale`: a newer report is kept. */
export type MeterRecorded = { view: MeterView; raised: MeterAlert[]; stale: boolean };

export const fail = (status: ZoneFailure["status"], detail: string, field?: string): ZoneFailure => ({
  ok: false,
  status,
  detail,
  field,
});
export const NOT_CONFIGURED: ZoneFailure = { ...fail(404, "Zone not found"), unconfigured: true };
export const NO_SESSION = fail(404, "Session not found");

/** A change the session arithmetic refused, as the object answers it; `notRunning` is the operation's own words. */
export function refusal(r: SessionRefusal, notRunning = "The session has already finished"): ZoneFailure {
  switch (r.reason) {
    case "duration":
      return fail(422, r.message, "minutes");
    case "overlap":
      return fail(409, `Plate ${r.running.plate} already has session ${r.running.id} in this zone; extend it instead`);
    case "not-running":
      return fail(409, notRunning);
    case "max-stay": {
      const newStayAfter = new Date(r.newStayAfterMs).toISOString();
      const detail = `This would take the vehicle's stay, begun ${new Date(r.stayStartMs).toISOString()}, past the ${r.maxStayMinutes}-minute maximum stay; a new stay may begin after ${newStayAfter}`;
      return {
        ...fail(409, detail),
        extra: { maxStayMinutes: r.maxStayMinutes, stayStartedAt: new Date(r.stayStartMs).toISOString(), newStayAfter },
      };
    }
  }
}
