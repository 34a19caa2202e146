// The fuzz's only source of chance: a small seeded generator, so a failing case can be run again.
// The seed is fixed unless FUZZ_SEED is set (vitest.config.mts passes it in); each operation draws
// from its own stream (seed mixed with the operation's name), so adding a route does not change the
// cases any other route gets.
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    fuzzSeed: string;
  }
}

const DEFAULT_SEED = 20260509;

export function fuzzSeed(): number {
  const given = inject("fuzzSeed");
  if (!given) return DEFAULT_SEED;
  const n = Number(given);
  if (!Number.isSafeInteger(n)) throw new Error(`FUZZ_SEED must be an integer, got ${given}`);
  return n >>> 0;
}

/** FNV-1a of a string: mixes an operation's name into the seed. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: 32 bits of state, fast, and good enough to choose test inputs. */
export function rngFor(seed: number, stream = ""): Rng {
  let state = (seed ^ hashOf(stream)) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(0, items.length - 1)]!;
    },
    chance: (p) => next() < p,
  };
}
