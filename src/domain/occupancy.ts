// Occupancy over time from parking sessions: how many sessions were running at each step of a window.
// Until occupancy snapshots exist, this is how a zone's last day is drawn from its session history.

export interface Interval {
  startMs: number;
  endMs: number;
}

export interface OccupancyPoint {
  at: number;
  occupied: number;
}

/**
 * The number of intervals covering each instant `fromMs, fromMs + stepMs, …` up to and including
 * `toMs`. An interval covers t when startMs <= t < endMs. One sweep over the sorted starts and ends.
 */
export function occupancySeries(intervals: readonly Interval[], fromMs: number, toMs: number, stepMs: number): OccupancyPoint[] {
  if (!(stepMs > 0) || toMs < fromMs) return [];
  const starts = intervals
    .filter((i) => i.endMs > i.startMs)
    .map((i) => i.startMs)
    .sort((a, b) => a - b);
  const ends = intervals
    .filter((i) => i.endMs > i.startMs)
    .map((i) => i.endMs)
    .sort((a, b) => a - b);
  const points: OccupancyPoint[] = [];
  let s = 0;
  let e = 0;
  for (let t = fromMs; t <= toMs; t += stepMs) {
    while (s < starts.length && starts[s]! <= t) s++;
    while (e < ends.length && ends[e]! <= t) e++;
    points.push({ at: t, occupied: s - e });
  }
  return points;
}

/** Occupied share of capacity, 0..1 (over 1 when a zone is oversold), or null for a zone without a capacity. */
export const occupancyRate = (occupied: number, capacity: number | null) =>
  capacity ? Math.round((occupied / capacity) * 1000) / 1000 : null;
