// A vehicle's stay in a zone: its back-to-back sessions, each starting no later than the previous end
// plus a gap, count as one continuous stay. The verdict judges OVERSTAY by it (verdict.ts), and a sale
// that would take a stay past the zone's maximum is refused by the same rule (maxStayRefusal), so no time
// Curbgate sells can earn a ticket.

const MINUTE = 60_000;

export interface Span {
  startMs: number;
  endMs: number;
}

/** The continuous stays a vehicle's sessions make, in time order; `gapMs` is how long it may be away and still stay. */
export function stays(sessions: readonly Span[], gapMs: number): Span[] {
  const out: Span[] = [];
  for (const s of [...sessions].sort((a, b) => a.startMs - b.startMs)) {
    const last = out.at(-1);
    if (last && s.startMs <= last.endMs + gapMs) last.endMs = Math.max(last.endMs, s.endMs);
    else out.push({ startMs: s.startMs, endMs: s.endMs });
  }
  return out;
}

export interface MaxStayRefusal {
  /** When the stay the sale would extend began. */
  stayStartMs: number;
  /** A stay starting after this instant is a new one (the current stay's end plus the gap). */
  newStayAfterMs: number;
}

/**
 * Whether selling `sale` (a new session, or an extension's new span) would take the vehicle's stay past
 * its maximum: `maxStayMinutes`, or what it answers for the stay's start (a zone's time slots may differ).
 * `others` are the vehicle's other sessions in the zone (for an extension: without the session being
 * extended). A stay of exactly the maximum is allowed: the verdict's OVERSTAY needs more.
 */
export function maxStayRefusal(
  others: readonly Span[],
  sale: Span,
  maxStayMinutes: number | ((stayStartMs: number) => number),
  gapMs: number,
): MaxStayRefusal | null {
  const stay = stays([...others, sale], gapMs).find((s) => s.startMs <= sale.startMs && sale.startMs <= s.endMs);
  const max = typeof maxStayMinutes === "number" ? maxStayMinutes : stay && maxStayMinutes(stay.startMs);
  if (!stay || max === undefined || stay.endMs - stay.startMs <= max * MINUTE) return null;
  // The stay as it stands without this sale decides when the vehicle may come back.
  const before = stays(others, gapMs).filter((s) => s.startMs <= stay.endMs && s.endMs >= stay.startMs);
  const endMs = Math.max(stay.startMs, ...before.map((s) => s.endMs));
  return { stayStartMs: stay.startMs, newStayAfterMs: endMs + gapMs };
}
