// Plate checks, one plate or a camera sweep, through one path: the records for every plate key are
// looked up once, then each query gets evaluatePlate. The lookup is the only part that differs by
// size: a single plate keeps the two indexed `plate_key = ?` reads; a batch reads each table with one
// IN (...) for all its keys instead of two queries per plate. D1 is never touched.
import { plateKey } from "../../src/domain/plates";
import { rateAt } from "../../src/domain/rules";
import { evaluatePlate } from "../../src/domain/verdict";
import type { CheckOutcome, PlateQuery, ZoneConfig } from "./contract";
import type { ZoneStore } from "./store";

/** Where a check finds a plate key's records: the store itself for one plate, a prefetched batch for several. */
type PlateRecords = Pick<ZoneStore, "sessionsByKey" | "permitsByKey">;

export function checkPlates(store: ZoneStore, config: ZoneConfig, queries: readonly PlateQuery[], atMs: number): CheckOutcome[] {
  const { rules, stayGapMinutes } = config;
  const zone = { code: rules.code, name: rules.name, timezone: rules.timezone, rateCentsPerHour: rateAt(rules, atMs) };
  // Plates arrive normalised: the request schema (src/routes/common.ts) is the one place that does it.
  const keys = queries.map((q) => plateKey(q.plate));
  const found: PlateRecords = keys.length === 1 ? store : prefetched(store, keys);
  return queries.map((q, i) => ({
    verdict: evaluatePlate({
      rules,
      atMs,
      query: { plate: q.plate, state: q.state },
      sessions: found.sessionsByKey(keys[i]!),
      permits: found.permitsByKey(keys[i]!),
      stayGapMinutes,
    }),
    zone,
  }));
}

function prefetched(store: ZoneStore, keys: string[]): PlateRecords {
  const unique = [...new Set(keys)];
  const sessions = groupBy(store.sessionsByKeys(unique), (s) => plateKey(s.plate));
  const permits = groupBy(store.permitsByKeys(unique), (p) => plateKey(p.plate));
  return { sessionsByKey: (key) => sessions.get(key) ?? [], permitsByKey: (key) => permits.get(key) ?? [] };
}

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
