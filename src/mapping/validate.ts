// Whether a field mapping can be saved: every row names fields that exist on its side, each transform
// fits the two field types, no target is filled twice, and every required target is filled. Every
// problem is reported, each with the row it belongs to (null for a required field no row fills).
import type { FieldDefinition, FieldMapping } from "./types";
import { typeProblem } from "./transforms";

export interface Sides {
  source: readonly FieldDefinition[];
  target: readonly FieldDefinition[];
  /** How the two sides are named in messages, e.g. "Curbgate session" and "ips sessions". */
  sourceLabel: string;
  targetLabel: string;
}

export interface MappingProblem {
  row: number | null;
  field: "from" | "to" | "transform" | null;
  message: string;
}

export const byName = (fields: readonly FieldDefinition[]) => new Map(fields.map((d) => [d.name, d]));

export function validateMappings(mappings: readonly FieldMapping[], sides: Sides): MappingProblem[] {
  const source = byName(sides.source);
  const target = byName(sides.target);
  const problems: MappingProblem[] = [];
  const filledBy = new Map<string, number>();
  mappings.forEach((m, row) => {
    const from = source.get(m.from);
    const to = target.get(m.to);
    if (!from) problems.push({ row, field: "from", message: `${sides.sourceLabel} has no field "${m.from}"` });
    if (!to) problems.push({ row, field: "to", message: `${sides.targetLabel} has no field "${m.to}"` });
    const first = filledBy.get(m.to);
    if (first !== undefined) problems.push({ row, field: "to", message: `"${m.to}" is already filled by row ${first}` });
    else filledBy.set(m.to, row);
    if (from && to) {
      const problem = typeProblem(from.type, to.type, m.transform);
      if (problem) problems.push({ row, field: "transform", message: problem });
    }
  });
  for (const d of sides.target)
    if (d.required && !filledBy.has(d.name))
      problems.push({ row: null, field: null, message: `"${d.name}" is required by ${sides.targetLabel} and no row fills it` });
  return problems;
}
