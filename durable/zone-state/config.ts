// The zone's configuration inside its object, and every rules version a session was sold under: a
// session keeps its rulesVersion, so an extension or a refund is priced as the session was bought
// even after the city changes the zone's rates (test/worker/routes/sessions/consistency.test.ts).
import type { StoredSession } from "../../src/domain/sessions";
import type { ZoneRules } from "../../src/domain/types";
import type { ZoneConfig } from "./contract";

export class ZoneConfigStore {
  private config: ZoneConfig | null;

  /** Reads the `config` table, which ZoneStore creates: construct it after the store. */
  constructor(private readonly sql: SqlStorage) {
    const saved = this.get("zone");
    this.config = saved ? (JSON.parse(saved) as ZoneConfig) : null;
  }

  /** Null until the route layer configures the object from D1 (callZone). */
  get current(): ZoneConfig | null {
    return this.config;
  }

  /** Installs the zone's rules; an older version never overwrites a newer one. */
  configure(config: ZoneConfig): void {
    if (this.config && this.config.version > config.version) return;
    this.config = config;
    this.set("zone", JSON.stringify(config));
    this.set(`rules:${config.version}`, JSON.stringify(config.rules));
  }

  /** The rules a session was priced under (older versions are kept for as long as their sessions). */
  rulesFor(s: StoredSession): ZoneRules | null {
    const current = this.config;
    if (!current) return null;
    if (s.rulesVersion === undefined || s.rulesVersion === current.version) return current.rules;
    const saved = this.get(`rules:${s.rulesVersion}`);
    return saved ? (JSON.parse(saved) as ZoneRules) : current.rules;
  }

  private get(k: string): string | null {
    const rows = this.sql.exec<{ v: string }>("SELECT v FROM config WHERE k = ?", k).toArray();
    return rows[0]?.v ?? null;
  }
  private set(k: string, v: string) {
    this.sql.exec("INSERT INTO config (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v", k, v);
  }
}
