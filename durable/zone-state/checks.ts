// Plate checks, one plate or a camera sweep, through one path: the records for every plate key are
// looked up once, then each query gets evaluatePlate. The lookup is the only part that differs by
// size: a single plate keeps the two indexed `plate_key = ?` reads; a batch reads each table with one
// IN (...) for all its keys instead of two queries per plate. D1 is never touched.
import { normalizePlate, plateKey } from "../../src/domain/plates";
import { rateAt } from "../../src/domain/rules";
import type { LiveSession, PermitView, ZoneRules } from "../../src/domain/types";
import { evaluatePlate } from "../../src/domain/verdict";
import type { CheckOutcome, PlateQuery } from "./contract";
import type { ZoneStore } from "./store";

interface Records {
  sessions(key: string): LiveSession[];
  permits(key: string): PermitView[];
}

export function checkPlates(store: ZoneStore, rules: ZoneRules, queries: readonly PlateQuery[], atMs: number): CheckOutcome[] {
  const zone = { code: rules.code, name: rules.name, timezone: rules.timezone, rateCentsPerHour: rateAt(rules, atMs) };
  const plates = queries.map((q) => normalizePlate(q.plate));
  const keys = plates.map(plateKey);
  const found = keys.length === 1 ? onePlate(store) : manyPlates(store, keys);
  return queries.map((q, i) => ({
    verdict: evaluatePlate({ rules, atMs, query: { plate: plates[i]!, state: q.state }, sessions: found.sessions(keys[i]!), permits: found.permits(keys[i]!) }),
    zone,
  }));
}

const onePlate = (store: ZoneStore): Records => ({ sessions: (key) => store.sessionsByKey(key), permits: (key) => store.permitsByKey(key) });

function manyPlates(store: ZoneStore, keys: string[]): Records {
  const unique = [...new Set(keys)];
  const sessions = groupBy(store.sessionsByKeys(unique), (s) => plateKey(s.plate));
  const permits = groupBy(store.permitsByKeys(unique), (p) => plateKey(p.plate));
  return { sessions: (key) => sessions.get(key) ?? [], permits: (key) => permits.get(key) ?? [] };
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
