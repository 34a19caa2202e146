// The zone's meters inside its object: each meter's last report (the registry in D1 says what a meter
// is and where; this says what it last reported), the alerts it shows, the spaces it says are taken, and
// meter.alert events on their way to D1. A report that newly raises an alert (fault, low battery) queues
// its event in the transaction that stores the report; the alarm drains the queue to D1 like the history
// outbox (outbox.ts), so a D1 outage delays an event but never loses it, and an alert that stays raised
// report after report is evented once. The plate check never reads these tables.
import { DEFAULT_METER_THRESHOLDS, meterAlerts, raisedAlerts, reportedAlerts } from "../../src/domain/meters";
import type { MeterAlert, MeterReport, MeterStatus, MeterThresholds } from "../../src/domain/meters";
import { newId } from "../../src/lib/ids";
import { log } from "../../src/lib/log";
import { insertEventsOnce, type DomainEvent } from "../../src/storage/domain-events";
import type { MeterRecorded, MeterView, RegisteredMeter, ZoneConfig } from "./contract";
import { retryDelayMs, type WakeReport } from "./wake";

// Created beside the store's tables (store.ts); change it only by adding columns.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meters (
  id TEXT PRIMARY KEY, status TEXT NOT NULL, reported_at_ms INTEGER NOT NULL, occupied INTEGER NOT NULL,
  alerts TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS meters_occupied ON meters (occupied, reported_at_ms);
CREATE TABLE IF NOT EXISTS meter_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL);
`;
const BATCH = 100;

type Row = { id: string; status: string; reported_at_ms: number; alerts: string };
type Last = { status: MeterStatus; reportedAtMs: number; alerts: MeterAlert[] };
type QueuedEvent = DomainEvent & { id: string };

export const thresholdsOf = (config: ZoneConfig): MeterThresholds => ({
  offlineMinutes: config.meterOfflineMinutes ?? DEFAULT_METER_THRESHOLDS.offlineMinutes,
  lowBatteryPercent: config.meterLowBatteryPercent ?? DEFAULT_METER_THRESHOLDS.lowBatteryPercent,
});

export class ZoneMeters {
  private failures = 0;

  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec(SCHEMA);
  }

  /** Keeps the report unless a later one is already kept (then `stale`, and nothing changes). */
  record(config: ZoneConfig, report: MeterReport, nowMs: number): MeterRecorded {
    const t = thresholdsOf(config);
    const previous = this.last(report.meterId);
    if (previous && previous.reportedAtMs > report.reportedAtMs) {
      return { view: this.view(report.meterId, previous, report.reportedAtMs, nowMs, t), raised: [], stale: true };
    }
    const alerts = reportedAlerts(report.status, t);
    const raised = raisedAlerts(previous?.alerts ?? [], alerts);
    this.storage.transactionSync(() => {
      this.storage.sql.exec(
        `INSERT INTO meters (id, status, reported_at_ms, occupied, alerts) VALUES (?,?,?,?,?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, reported_at_ms = excluded.reported_at_ms,
         occupied = excluded.occupied, alerts = excluded.alerts`,
        report.meterId,
        JSON.stringify(report.status),
        report.reportedAtMs,
        report.status.spaceOccupied ? 1 : 0,
        JSON.stringify(alerts),
      );
      for (const alert of raised) this.queue(config, report, alert);
    });
    const last = { status: report.status, reportedAtMs: report.reportedAtMs, alerts };
    return { view: this.view(report.meterId, last, report.reportedAtMs, nowMs, t), raised, stale: false };
  }

  /** The registry's meters with what each last reported (if anything) and the alerts each shows now. */
  views(config: ZoneConfig, meters: readonly RegisteredMeter[], nowMs: number): MeterView[] {
    const t = thresholdsOf(config);
    return meters.map((m) => this.view(m.id, this.last(m.id), m.registeredAtMs, nowMs, t));
  }

  /** Spaces whose meter last reported them taken, counting only meters that are not offline. */
  occupiedSpaces(config: ZoneConfig | null, nowMs: number): number {
    if (!config) return 0;
    const since = nowMs - thresholdsOf(config).offlineMinutes * 60_000;
    const sql = "SELECT COUNT(*) AS n FROM meters WHERE occupied = 1 AND reported_at_ms > ?";
    return this.storage.sql.exec<{ n: number }>(sql, since).one().n;
  }

  /** Sends the queued events to D1 until none is left or D1 refuses a batch (then the alarm backs off). */
  async drainEvents(d1: D1Database, zone: string): Promise<void> {
    for (;;) {
      const rows = this.storage.sql
        .exec<{ seq: number; payload: string }>("SELECT seq, payload FROM meter_events ORDER BY seq LIMIT ?", BATCH)
        .toArray();
      if (rows.length === 0) return;
      try {
        await insertEventsOnce(
          d1,
          rows.map((r) => JSON.parse(r.payload) as QueuedEvent),
        );
      } catch (err) {
        this.failures++;
        log.warn("meter event flush failed", { zone, attempt: this.failures, error: String(err) });
        return;
      }
      this.failures = 0;
      this.storage.sql.exec("DELETE FROM meter_events WHERE seq <= ?", rows[rows.length - 1]!.seq);
    }
  }

  /** At once while events wait, after a growing pause once D1 has refused them; null when none wait. */
  nextWakeMs(nowMs: number): WakeReport {
    const waiting = this.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM meter_events").one().n;
    if (waiting === 0) return null;
    return nowMs + (this.failures ? retryDelayMs(this.failures) : 0);
  }

  private queue(config: ZoneConfig, report: MeterReport, alert: MeterAlert) {
    const s = report.status;
    const event: QueuedEvent = {
      id: newId("evt"),
      tenantId: config.tenantId,
      type: "meter.alert",
      subject: report.meterId,
      data: {
        meterId: report.meterId,
        zone: config.rules.code,
        alert,
        operational: s.operational,
        batteryLevel: s.batteryPercent,
        reportedAt: new Date(report.reportedAtMs).toISOString(),
      },
      at: report.reportedAtMs,
    };
    this.storage.sql.exec("INSERT INTO meter_events (payload) VALUES (?)", JSON.stringify(event));
  }

  private last(id: string): Last | null {
    const row = this.storage.sql.exec<Row>("SELECT * FROM meters WHERE id = ?", id).toArray()[0];
    if (!row) return null;
    const status = JSON.parse(row.status) as MeterStatus;
    return { status, reportedAtMs: row.reported_at_ms, alerts: JSON.parse(row.alerts) as MeterAlert[] };
  }

  private view(id: string, last: Last | null, registeredAtMs: number, nowMs: number, t: MeterThresholds): MeterView {
    const kept = last && { status: last.status, reportedAtMs: last.reportedAtMs };
    return { id, last: kept, alerts: meterAlerts(kept, registeredAtMs, nowMs, t) };
  }
}
