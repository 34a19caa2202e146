// How the bench talks: progress and report lines on stdout, figures with a fixed number of decimals.

export const log = (...a) => console.log(...a);

export const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "–");

/** A broken run (setup, a sanity check): bench/run.mjs prints it as `!!! BENCH FAILED` and exits 1. */
export const fail = (msg) => {
  throw new Error(msg);
};
