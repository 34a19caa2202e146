// Licence plates as officers and cameras read them: normalised for storage, keyed so misreads meet.
import type { MatchType } from "./types";

/** Uppercase A–Z and 0–9 only ("abc-12 3" -> "ABC123"); "" when nothing is left. */
export function normalizePlate(raw: string): string {
  if (typeof raw !== "string") return "";
  // NFKD first so full-width digits and accented letters reduce to their ASCII base before stripping.
  return raw
    .normalize("NFKD")
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
}

// Characters a camera or a tired eye confuses, mapped to one representative per group.
const CONFUSABLE: Record<string, string> = { O: "0", Q: "0", D: "0", I: "1", B: "8", S: "5", Z: "2" };

/** The key misreads share: O/Q/D -> 0, I -> 1, B -> 8, S -> 5, Z -> 2. Stored next to every plate for lookup. */
export function plateKey(normalized: string): string {
  return normalizePlate(normalized).replace(/[OQDIBSZ]/g, (ch) => CONFUSABLE[ch] ?? ch);
}

/** Trimmed and upper-case ("ct " -> "CT"); null when absent or blank. */
export function normalizeState(state: string | null | undefined): string | null {
  if (typeof state !== "string") return null;
  const s = state.trim().toUpperCase();
  return s === "" ? null : s;
}

/**
 * exact: same normalised plate; fuzzy: different plates that share a key; null: no match.
 * Two known, different states mean two different vehicles, whatever the plates say.
 */
export function classifyMatch(
  query: { plate: string; state: string | null },
  candidate: { plate: string; state: string | null },
): MatchType | null {
  const qs = normalizeState(query.state);
  const cs = normalizeState(candidate.state);
  if (qs !== null && cs !== null && qs !== cs) return null;
  const q = normalizePlate(query.plate);
  const c = normalizePlate(candidate.plate);
  if (q === "" || c === "") return null;
  if (q === c) return "exact";
  return plateKey(q) === plateKey(c) ? "fuzzy" : null;
}
