// SQL inside one ZoneState: live sessions and permits of one tenant's zone, and idempotency records.
// The schema also holds the config table (config.ts) and the history outbox (outbox.ts). Lookups go
// through the plate_key index, so a check costs the same with ten sessions or a hundred thousand.
import { plateKey } from "../../src/domain/plates";
import type { StoredSession } from "../../src/domain/sessions";
import type { PermitType, PermitView } from "../../src/domain/types";
import type { HistoryOutbox } from "./outbox";

// The schema of every deployed zone object: change it only by adding columns (see the constructor).
const SCHEMA = `
CREATE TABLE IF NOT EXISTS config (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, plate TEXT NOT NULL, plate_key TEXT NOT NULL, state TEXT,
  start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, paid_minutes INTEGER NOT NULL,
  amount_cents INTEGER NOT NULL, refund_cents INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL,
  ended_at_ms INTEGER, version INTEGER NOT NULL, created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL,
  rules_version INTEGER, paid_cents INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS sessions_plate_key ON sessions (plate_key);
CREATE INDEX IF NOT EXISTS sessions_status_end ON sessions (status, end_ms);
CREATE TABLE IF NOT EXISTS permits (
  id TEXT PRIMARY KEY, plate TEXT NOT NULL, plate_key TEXT NOT NULL, state TEXT, type TEXT NOT NULL,
  number TEXT NOT NULL, zones TEXT NOT NULL, valid_from_ms INTEGER NOT NULL, valid_until_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS permits_plate_key ON permits (plate_key);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, response TEXT NOT NULL, created_at_ms INTEGER NOT NULL);
`;

type Row = Record<string, SqlStorageValue>;

const chunks = (keys: string[], size = 100) =>
  Array.from({ length: Math.ceil(keys.length / size) }, (_, i) => keys.slice(i * size, i * size + size));
const placeholders = (part: string[]) => part.map(() => "?").join(",");

const toSession = (r: Row): StoredSession => ({
  id: r.id as string,
  plate: r.plate as string,
  state: (r.state as string | null) ?? null,
  zone: "", // filled by the caller, which knows its zone
  startMs: r.start_ms as number,
  endMs: r.end_ms as number,
  paidMinutes: r.paid_minutes as number,
  amountCents: r.amount_cents as number,
  refundCents: r.refund_cents as number,
  status: r.status as StoredSession["status"],
  endedAtMs: (r.ended_at_ms as number | null) ?? null,
  version: r.version as number,
  createdAtMs: r.created_at_ms as number,
  updatedAtMs: r.updated_at_ms as number,
  rulesVersion: (r.rules_version as number | null) ?? undefined,
  paidCents: (r.paid_cents as number | null) ?? 0,
});

const toPermit = (r: Row): PermitView => ({
  id: r.id as string,
  plate: r.plate as string,
  state: (r.state as string | null) ?? null,
  type: r.type as PermitType,
  number: r.number as string,
  zones: JSON.parse(r.zones as string) as string[],
  validFromMs: r.valid_from_ms as number,
  validUntilMs: r.valid_until_ms as number,
});

export class ZoneStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly zone: () => string,
    private readonly outbox: HistoryOutbox,
  ) {
    sql.exec(SCHEMA);
    // Objects created by an earlier version of this schema gain the newer columns in place.
    const columns = new Set(
      sql
        .exec<{ name: string }>("PRAGMA table_info(sessions)")
        .toArray()
        .map((c) => c.name),
    );
    if (!columns.has("rules_version")) sql.exec("ALTER TABLE sessions ADD COLUMN rules_version INTEGER");
    if (!columns.has("paid_cents")) sql.exec("ALTER TABLE sessions ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0");
  }

  sessionsByKey(key: string): StoredSession[] {
    return this.sql.exec<Row>("SELECT * FROM sessions WHERE plate_key = ?", key).toArray().map(this.withZone);
  }
  permitsByKey(key: string): PermitView[] {
    return this.sql.exec<Row>("SELECT * FROM permits WHERE plate_key = ?", key).toArray().map(toPermit);
  }
  /** Batch form of the two lookups above (camera sweeps); SQLite caps bound variables, hence the chunks. */
  sessionsByKeys(keys: string[]): StoredSession[] {
    return chunks(keys).flatMap((part) =>
      this.sql
        .exec<Row>(`SELECT * FROM sessions WHERE plate_key IN (${placeholders(part)})`, ...part)
        .toArray()
        .map(this.withZone),
    );
  }
  permitsByKeys(keys: string[]): PermitView[] {
    return chunks(keys).flatMap((part) =>
      this.sql
        .exec<Row>(`SELECT * FROM permits WHERE plate_key IN (${placeholders(part)})`, ...part)
        .toArray()
        .map(toPermit),
    );
  }
  session(id: string): StoredSession | null {
    const row = this.sql.exec<Row>("SELECT * FROM sessions WHERE id = ?", id).toArray()[0];
    return row ? this.withZone(row) : null;
  }
  activeSessions(limit: number, plate?: string): StoredSession[] {
    const rows = plate
      ? this.sql.exec<Row>("SELECT * FROM sessions WHERE status = 'active' AND plate = ? ORDER BY end_ms LIMIT ?", plate, limit)
      : this.sql.exec<Row>("SELECT * FROM sessions WHERE status = 'active' ORDER BY end_ms LIMIT ?", limit);
    return rows.toArray().map(this.withZone);
  }

  /** Writes the session and queues its new version for D1; callers wrap it in a transaction with what goes with it. */
  putSession(s: StoredSession) {
    this.sql.exec(
      `INSERT INTO sessions (id, plate, plate_key, state, start_ms, end_ms, paid_minutes, amount_cents, refund_cents,
         status, ended_at_ms, version, created_at_ms, updated_at_ms, rules_version, paid_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
       ON CONFLICT (id) DO UPDATE SET end_ms = excluded.end_ms, paid_minutes = excluded.paid_minutes, paid_cents = excluded.paid_cents,
         amount_cents = excluded.amount_cents, refund_cents = excluded.refund_cents, status = excluded.status,
         ended_at_ms = excluded.ended_at_ms, version = excluded.version, updated_at_ms = excluded.updated_at_ms`,
      s.id,
      s.plate,
      plateKey(s.plate),
      s.state,
      s.startMs,
      s.endMs,
      s.paidMinutes,
      s.amountCents,
      s.refundCents,
      s.status,
      s.endedAtMs,
      s.version,
      s.createdAtMs,
      s.updatedAtMs,
      s.rulesVersion ?? null,
      s.paidCents ?? 0,
    );
    this.outbox.record(s);
  }

  putPermit(p: PermitView) {
    this.sql.exec(
      `INSERT INTO permits (id, plate, plate_key, state, type, number, zones, valid_from_ms, valid_until_ms)
       VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET plate = excluded.plate, plate_key = excluded.plate_key,
       state = excluded.state, type = excluded.type, number = excluded.number, zones = excluded.zones,
       valid_from_ms = excluded.valid_from_ms, valid_until_ms = excluded.valid_until_ms`,
      p.id,
      p.plate,
      plateKey(p.plate),
      p.state,
      p.type,
      p.number,
      JSON.stringify(p.zones),
      p.validFromMs,
      p.validUntilMs,
    );
  }
  deletePermit(id: string): boolean {
    return this.sql.exec("DELETE FROM permits WHERE id = ?", id).rowsWritten > 0;
  }

  /** Sessions whose paid time and grace have run out but are still marked active. */
  lapsedSessions(beforeMs: number, limit: number): StoredSession[] {
    return this.sql
      .exec<Row>("SELECT * FROM sessions WHERE status = 'active' AND end_ms <= ? ORDER BY end_ms LIMIT ?", beforeMs, limit)
      .toArray()
      .map(this.withZone);
  }
  nextActiveEndMs(): number | null {
    const row = this.sql.exec<{ m: number | null }>("SELECT MIN(end_ms) AS m FROM sessions WHERE status = 'active'").one();
    return row.m ?? null;
  }
  /** Finished sessions are kept a while so officers still see EXPIRED and overstay chains. */
  purgeFinished(beforeMs: number) {
    this.sql.exec("DELETE FROM sessions WHERE status != 'active' AND end_ms < ?", beforeMs);
    this.sql.exec("DELETE FROM permits WHERE valid_until_ms < ?", beforeMs);
    this.sql.exec("DELETE FROM idempotency WHERE created_at_ms < ?", beforeMs);
  }

  idempotent(key: string): { fingerprint: string; response: string } | null {
    return (
      this.sql
        .exec<{ fingerprint: string; response: string }>("SELECT fingerprint, response FROM idempotency WHERE key = ?", key)
        .toArray()[0] ?? null
    );
  }
  /** A retried request's first answer; "conflict" when its key came with another fingerprint; null when the key is new. */
  replay<T>(key: string, fingerprint: string): T | "conflict" | null {
    const seen = this.idempotent(key);
    if (!seen) return null;
    return seen.fingerprint === fingerprint ? (JSON.parse(seen.response) as T) : "conflict";
  }

  remember(key: string, fingerprint: string, response: string, nowMs: number) {
    this.sql.exec(
      "INSERT INTO idempotency (key, fingerprint, response, created_at_ms) VALUES (?,?,?,?)",
      key,
      fingerprint,
      response,
      nowMs,
    );
  }

  counts(nowMs: number) {
    return this.sql
      .exec<{ active: number; permits: number }>(
        "SELECT (SELECT COUNT(*) FROM sessions WHERE status = 'active' AND start_ms <= ? AND end_ms > ?) AS active, (SELECT COUNT(*) FROM permits) AS permits",
        nowMs,
        nowMs,
      )
      .one();
  }

  private withZone = (r: Row): StoredSession => ({ ...toSession(r), zone: this.zone() });
}
