// Healing a saved field mapping after fields vanished or were renamed (a provider's API moved on, or
// Curbgate's did). A row whose fields both still exist is kept as it is. A vanished field is looked for,
// in this order: a field that declares the old name among its `aliases`; a field whose name is the same
// once case and separators are ignored; the single closest name by edit distance (at least 0.75 alike).
// A row still unresolved, or whose repaired fields no longer fit its transform, is dropped. Required
// targets left empty are filled from the default template where it can. Every change says why.
import type { FieldDefinition, FieldMapping } from "./types";
import { typeProblem } from "./transforms";
import { byName, type Sides } from "./validate";

export interface HealChange {
  /** The row's index in the mapping before healing; null for a row added from the default template. */
  row: number | null;
  before: FieldMapping | null;
  after: FieldMapping | null;
  reason: string;
}

export interface Healed {
  mappings: FieldMapping[];
  changes: HealChange[];
}

const SIMILAR_ENOUGH = 0.75;

/** "start_time", "StartTime" and "start-time" all become "starttime". */
export const normalisedName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(prev[j]! + 1, next[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = next;
  }
  return prev[b.length]!;
}

export const similarity = (a: string, b: string) => {
  const [x, y] = [normalisedName(a), normalisedName(b)];
  return x.length + y.length === 0 ? 1 : 1 - editDistance(x, y) / Math.max(x.length, y.length);
};

type Found = { field: FieldDefinition; why: string } | { field: null; why: string };

/** Where a vanished field went, among `fields` not in `taken`. */
export function findRenamed(name: string, fields: readonly FieldDefinition[], taken: ReadonlySet<string>, label: string): Found {
  const free = fields.filter((d) => !taken.has(d.name));
  const declared = free.find((d) => d.aliases?.includes(name));
  if (declared) return { field: declared, why: `"${name}" is now "${declared.name}" (declared as its former name)` };
  const same = free.filter((d) => [d.name, ...(d.aliases ?? [])].some((n) => normalisedName(n) === normalisedName(name)));
  if (same.length === 1)
    return { field: same[0]!, why: `"${name}" matches "${same[0]!.name}" when case and separators are ignored` };
  const scored = free
    .map((d) => ({ d, score: similarity(name, d.name) }))
    .filter((s) => s.score >= SIMILAR_ENOUGH)
    .sort((p, q) => q.score - p.score);
  if (scored.length && (scored.length === 1 || scored[0]!.score > scored[1]!.score))
    return {
      field: scored[0]!.d,
      why: `"${name}" is closest to "${scored[0]!.d.name}" (${Math.round(scored[0]!.score * 100)}% alike)`,
    };
  if (scored.length)
    return {
      field: null,
      why: `"${name}" is gone from ${label} and is equally like ${scored
        .filter((s) => s.score === scored[0]!.score)
        .map((s) => `"${s.d.name}"`)
        .join(" and ")}`,
    };
  return { field: null, why: `"${name}" is gone from ${label} and no field declares or resembles it` };
}

export function healMappings(mappings: readonly FieldMapping[], sides: Sides, defaults: readonly FieldMapping[]): Healed {
  const source = byName(sides.source);
  const target = byName(sides.target);
  const taken = new Set<string>();
  const kept: (FieldMapping | null)[] = mappings.map(() => null);
  const changes: HealChange[] = [];
  const drop = (row: number, reason: string) => changes.push({ row, before: mappings[row]!, after: null, reason });

  // Intact rows first, so a repaired row never takes a target an intact one fills.
  mappings.forEach((m, row) => {
    if (!source.has(m.from) || !target.has(m.to)) return;
    if (taken.has(m.to)) return drop(row, `"${m.to}" is already filled by an earlier row`);
    taken.add(m.to);
    kept[row] = m;
  });
  mappings.forEach((m, row) => {
    if (kept[row] || (source.has(m.from) && target.has(m.to) && taken.has(m.to))) return;
    const from: Found = source.has(m.from)
      ? { field: source.get(m.from)!, why: "" }
      : findRenamed(m.from, sides.source, new Set(), sides.sourceLabel);
    const to: Found = target.has(m.to)
      ? { field: target.get(m.to)!, why: "" }
      : findRenamed(m.to, sides.target, taken, sides.targetLabel);
    const why = [from.why, to.why].filter(Boolean).join("; ");
    if (!from.field || !to.field) return drop(row, why);
    const misfit = typeProblem(from.field.type, to.field.type, m.transform);
    if (misfit) return drop(row, `${why}, but ${misfit}`);
    const after: FieldMapping = { ...m, from: from.field.name, to: to.field.name };
    taken.add(after.to);
    kept[row] = after;
    changes.push({ row, before: m, after, reason: why });
  });

  const healed = kept.filter((m): m is FieldMapping => m !== null);
  for (const d of sides.target) {
    if (!d.required || taken.has(d.name)) continue;
    const fallback = defaults.find(
      (m) => m.to === d.name && source.has(m.from) && !typeProblem(source.get(m.from)!.type, d.type, m.transform),
    );
    if (!fallback) continue;
    healed.push(fallback);
    taken.add(d.name);
    changes.push({
      row: null,
      before: null,
      after: fallback,
      reason: `"${d.name}" is required by ${sides.targetLabel}; restored from the default template`,
    });
  }
  return { mappings: healed, changes };
}
